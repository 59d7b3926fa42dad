// Red team: a QR login's steps — the scan, the approval or denial, the exchange — are counted
// exactly once even when the Worker that made a step never sent its hop: the isolate dies
// between the object's commit and its send (queue, spool and database all refuse for that one
// request), and no retry can make it good (a second scan or approve is 409, an exchange is
// one-time). The login's object sends every step's once-only row a last time before it deletes
// the login. The "double count" attack is that last send when the first ones arrived, counted by
// concurrent consumers; a stranger's calls (wrong scan handle, 409s) send nothing of it.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LOGIN_PURGE_GRACE_MS } from "../../src/core/login";
import { BASE, statusTally } from "./helpers";
import { eventually, runQueue } from "./hop-helpers";
import {
  type CreatedLogin,
  createLogin,
  editLogin,
  loginStatus,
  loginStubOf,
  scanLogin,
  storedLogin,
} from "./logins-helpers";
import {
  app,
  consume,
  deliveries,
  exported,
  type Message,
  webhookWatchForFile,
} from "./never-lost-helpers";

const STEPS = ["scanned", "approved", "exchanged"] as const;

const watch = webhookWatchForFile(
  ["logins:write", "stats:read"],
  ["login.scanned", "login.approved", "login.denied", "login.exchanged"],
);
const key = () => watch.key();

/** A fresh login, and a webhook endpoint listening for its steps. */
async function setUp(): Promise<CreatedLogin> {
  await watch.listen();
  return createLogin(key());
}

/** The requests of a login's steps, as the app and the two backends send them. */
const post = (path: string, body: object, headers: Record<string, string> = {}) =>
  new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    cf: { country: "DE", colo: "TXL" },
  } as RequestInit);
const scanReq = (login: CreatedLogin) =>
  post("/v1/logins/scan", { url: login.url }, { "cf-connecting-ip": "198.51.100.40" });
const bearer = () => ({ authorization: `Bearer ${key()}` });
const approveReq = (login: CreatedLogin, scan: string) =>
  post(`/v1/logins/${login.id}/approve`, { scan, subject: "user-7" }, bearer());
const denyReq = (login: CreatedLogin, scan: string) =>
  post(`/v1/logins/${login.id}/deny`, { scan, reason: "not me" });
async function exchangeReq(login: CreatedLogin): Promise<Request> {
  const { ticket } = (await loginStatus(login)) as { ticket: string };
  return post("/v1/logins/exchange", { ticket, code_verifier: login.verifier }, bearer());
}

/** One counted of each of `hops`, one webhook for each. */
async function expectCountedOnce(id: string, hops: readonly string[]): Promise<void> {
  for (const hop of hops) {
    expect(await exported(key(), id, hop), hop).toBe(1);
    expect(await deliveries(watch.endpoint(), id, `login.${hop}`), hop).toBe(1);
  }
}

/** The login ended long enough ago to be deleted, as time passing would. */
const endedLongAgo = (id: string) =>
  editLogin(id, (r) => {
    r.ended_at = Date.now() - LOGIN_PURGE_GRACE_MS - 1;
  });

const message = (body: Message["body"]): Message => ({
  id: `q-${crypto.randomUUID()}`,
  timestamp: new Date(),
  attempts: 1,
  body: structuredClone(body),
});

/** The object's alarm deletes the login; its last send is caught in a list instead of the queue. */
async function objectsLastSend(id: string): Promise<Message[]> {
  await endedLongAgo(id);
  const caught: Message[] = [];
  await runInDurableObject(loginStubOf(id), async (object) => {
    const hops = { send: async (body: Message["body"]) => void caught.push(message(body)) };
    (object as unknown as { env: object }).env = { ...env, HOPS: hops };
    await object.alarm();
  });
  return eventually(() => caught.length > 0 && caught, "the object's last send");
}

describe("a login's steps, their sends lost with their isolates", () => {
  it("approve and exchange sent nothing: the object's last send counts each once, one webhook each", async () => {
    const login = await setUp();
    const phone = app();
    const scanned = await phone.send(scanReq(login));
    expect(scanned.status).toBe(200);
    const { scan } = (await scanned.json()) as { scan: string };
    const dead = app({ dead: true });
    expect((await dead.send(approveReq(login, scan))).status).toBe(200);
    expect((await dead.send(await exchangeReq(login))).status).toBe(200);
    expect(dead.taken).toHaveLength(0);
    await consume(phone.taken);
    expect(await exported(key(), login.id, "approved")).toBe(0);

    await endedLongAgo(login.id);
    expect(await runDurableObjectAlarm(loginStubOf(login.id))).toBe(true);
    expect(await storedLogin(login.id)).toBeUndefined();
    // The object sends through the real queue; its consumer counts them.
    await eventually(
      async () => (await exported(key(), login.id, "exchanged")) > 0,
      "the object's copy",
    );
    // The scan, sent and counted before, is not counted again.
    await expectCountedOnce(login.id, STEPS);
  });

  it("the app's denial sent nothing: counted once from the object's last send", async () => {
    const login = await setUp();
    const phone = app();
    const { scan } = (await (await phone.send(scanReq(login))).json()) as { scan: string };
    expect((await app({ dead: true }).send(denyReq(login, scan))).status).toBe(200);
    await consume(phone.taken);
    await endedLongAgo(login.id);
    expect(await runDurableObjectAlarm(loginStubOf(login.id))).toBe(true);
    await eventually(async () => (await exported(key(), login.id, "denied")) > 0, "the copy");
    await expectCountedOnce(login.id, ["scanned", "denied"]);
  });
});

describe("the double count: every step's send arrived, and the object sends again", () => {
  it("the same once-only rows, counted once by concurrent consumers: one hop and one webhook per step", async () => {
    const login = await setUp();
    const phone = app();
    const { scan } = (await (await phone.send(scanReq(login))).json()) as { scan: string };
    expect((await phone.send(approveReq(login, scan))).status).toBe(200);
    expect((await phone.send(await exchangeReq(login))).status).toBe(200);
    const rows = phone.rows().filter((r) => r.hop !== "created");
    expect(rows.map((r) => r.hop)).toEqual([...STEPS]);
    for (const r of rows) expect(r.event_id).toMatch(/^ev_/);
    const copy = await objectsLastSend(login.id);
    // The same rows but the scan's IP hash, which only the call that saw the phone has.
    expect(copy.flatMap((m) => m.body.rows)).toEqual(rows.map((r) => ({ ...r, ip_hash: null })));
    const results = await Promise.all(
      [phone.taken.slice(0, 2), [...copy, ...phone.taken.slice(2)]].map((batch) =>
        runQueue("qrbridge-hops", batch),
      ),
    );
    for (const r of results) expect(r.retryBatch.retry || r.retryMessages.length > 0).toBe(false);
    await expectCountedOnce(login.id, STEPS);
  });
});

describe("a stranger's calls", () => {
  it("a second scan, a wrong scan handle, a second approval: refused, and no step's hop is sent", async () => {
    const login = await setUp();
    const phone = app();
    const { scan } = (await (await phone.send(scanReq(login))).json()) as { scan: string };
    const stranger = app();
    const answers = [
      await stranger.send(scanReq(login)),
      await stranger.send(denyReq(login, "not-the-scan-handle-0000000000")),
      await stranger.send(approveReq(login, "not-the-scan-handle-0000000000")),
    ];
    expect(statusTally(answers)).toEqual({ 403: 2, 409: 1 });
    expect((await phone.send(approveReq(login, scan))).status).toBe(200);
    // The same approval again (a retry after a lost answer) is answered as the first, sending
    // nothing; another subject's approval is refused.
    expect((await stranger.send(approveReq(login, scan))).status).toBe(200);
    const otherSubject = post(
      `/v1/logins/${login.id}/approve`,
      { scan, subject: "user-8" },
      bearer(),
    );
    expect((await stranger.send(otherSubject)).status).toBe(409);
    // Only the refused scan's own `rejected` hop (the PC is warned of it), never a step's copy.
    expect(stranger.rows().map((r) => [r.hop, r.event_id.startsWith("ev_")])).toEqual([
      ["rejected", false],
    ]);
    // The scan handle is still unused by the stranger: their calls changed nothing kept.
    expect(Object.keys((await storedLogin(login.id))!.hop_facts ?? {})).toEqual([
      "scanned",
      "approved",
    ]);
    expect((await scanLogin(login.url)).status).toBe(409);
  });
});
