// Red team, a QR login's one-time steps under partial failures: the login object's write refused
// in the middle of an approval or an exchange (a full or failing storage), an answer lost after
// the object committed (a deny), the object reset between the steps, an expiry alarm that fails
// after expiring and runs again. One approval, one exchange, the ticket pushed to the PC only for
// a stored approval, nothing approved after a denial, every step's hop counted once.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/core/hash";
import type { HopRow } from "../../src/core/hop-row";
import type { LoginRecord } from "../../src/core/login-record";
import { signTicket } from "../../src/core/login-ticket";
import { StoredRecord } from "../../src/store/stored-record";
import { faultyStorage } from "../support/faulty-bindings";
import { hopCapturingWorker, mintKey, testKeyring } from "./helpers";
import {
  type CreatedLogin,
  createLogin,
  editLogin,
  errorOf,
  loginStatus,
  loginStubOf,
  openLoginSocket,
  postJson as post,
  scanned,
  storedLogin,
} from "./logins-helpers";

/** The live object's record writes refused while `refuse(record)` says so; undone by eviction. */
async function refuseWrites(id: string, refuse: (rec: LoginRecord) => boolean): Promise<void> {
  await runInDurableObject(loginStubOf(id), (object, state) => {
    const storage = faultyStorage(state.storage, { put: (_k, v) => refuse(v as LoginRecord) });
    (object as unknown as { stored: StoredRecord<LoginRecord> }).stored = new StoredRecord(
      storage,
      "login",
    );
  });
}

/** A login scanned by the app: its key, the login and the scan handle. */
async function scannedLogin(): Promise<{ key: string; login: CreatedLogin; scan: string }> {
  const key = await mintKey("secret", ["logins:write"]);
  const login = await createLogin(key);
  const { scan } = await scanned(login);
  return { key, login, scan };
}

const countOf = (rows: HopRow[], id: string, hop: string) =>
  new Set(rows.filter((r) => r.subject_id === id && r.hop === hop).map((r) => r.event_id)).size;

const settle = () => new Promise((r) => setTimeout(r, 50));

describe("a login step whose write the object's storage refuses", () => {
  it("the approval: 500, the PC pushed no ticket and no `approved`; the retry approves once and the ticket exchanges once", async () => {
    const { key, login, scan } = await scannedLogin();
    const pc = await openLoginSocket(login);
    await refuseWrites(login.id, (rec) => rec.status === "approved");
    const w = hopCapturingWorker();
    const approval = post(`/v1/logins/${login.id}/approve`, { scan, subject: "user-9" }, key);

    expect((await w.send(approval.clone())).status).toBe(500);
    await settle();
    expect(pc.messages.map((m) => m.status)).toEqual(["scanned"]);
    expect(JSON.stringify(pc.messages)).not.toContain("ticket");
    expect((await storedLogin(login.id))?.status).toBe("scanned");
    expect(await loginStatus(login)).not.toHaveProperty("ticket");

    await evictDurableObject(loginStubOf(login.id));
    expect((await w.send(approval.clone())).status).toBe(200);
    // The same approval once more (its answer lost too): 200, nothing changes, no second push.
    expect((await w.send(approval.clone())).status).toBe(200);
    const other = post(`/v1/logins/${login.id}/approve`, { scan, subject: "user-x" }, key);
    expect((await w.send(other)).status).toBe(409);
    await settle();
    const pushed = pc.messages.filter((m) => m.status === "approved");
    expect(pushed).toHaveLength(1);
    const ticket = pushed[0]!.ticket as string;
    const exchange = post("/v1/logins/exchange", { ticket, code_verifier: login.verifier }, key);
    const done = await w.send(exchange.clone());
    expect(done.status).toBe(200);
    expect(((await done.json()) as { subject: string }).subject).toBe("user-9");
    expect((await w.send(exchange.clone())).status).toBe(409);
    expect(countOf(w.rows, login.id, "approved")).toBe(1);
    expect(countOf(w.rows, login.id, "exchanged")).toBe(1);
  });

  it("the exchange: 500 without the subject; the retry exchanges once, across a reset of the object", async () => {
    const { key, login, scan } = await scannedLogin();
    const w = hopCapturingWorker();
    const approval = post(`/v1/logins/${login.id}/approve`, { scan, subject: "user-10" }, key);
    expect((await w.send(approval)).status).toBe(200);
    const { ticket } = (await loginStatus(login)) as { ticket: string };
    await refuseWrites(login.id, (rec) => rec.status === "exchanged");
    const exchange = post("/v1/logins/exchange", { ticket, code_verifier: login.verifier }, key);

    const failed = await w.send(exchange.clone());
    expect(failed.status).toBe(500);
    expect(await failed.text()).not.toContain("user-10");
    expect((await storedLogin(login.id))?.status).toBe("approved");

    await evictDurableObject(loginStubOf(login.id));
    const done = await w.send(exchange.clone());
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("user-10");
    // The object reset again: what it stored, not what it remembered, refuses the second use.
    await evictDurableObject(loginStubOf(login.id));
    const twice = await w.send(exchange.clone());
    expect(twice.status).toBe(409);
    expect(await errorOf(twice)).toBe("already_exchanged");
    expect(countOf(w.rows, login.id, "exchanged")).toBe(1);
  });
});

describe("a denial whose answer was lost", () => {
  it("the object denied, the backend never heard: its approval after is 410, no ticket anywhere, the ticket refused", async () => {
    const { key, login, scan } = await scannedLogin();
    // The backend's deny reached the object and committed; its answer never came back.
    const facts = { country: "DE", colo: "TXL", referrer_host: null };
    await loginStubOf(login.id).deny(await sha256Hex(scan), "backend", null, facts);
    await evictDurableObject(loginStubOf(login.id));

    const w = hopCapturingWorker();
    const approval = post(`/v1/logins/${login.id}/approve`, { scan, subject: "user-11" }, key);
    const late = await w.send(approval);
    expect(late.status).toBe(410);
    expect(await errorOf(late)).toBe("gone");
    const seen = await loginStatus(login);
    expect(seen.status).toBe("denied");
    expect(seen).not.toHaveProperty("ticket");
    const pc = await openLoginSocket(login);
    await settle();
    expect(JSON.stringify(pc.messages)).not.toContain("ticket");
    // The ticket this bridge would have signed for it: refused, nothing exchanged.
    const ticket = await signTicket(await testKeyring(), login.id);
    const exchange = post("/v1/logins/exchange", { ticket, code_verifier: login.verifier }, key);
    const refused = await w.send(exchange);
    expect(refused.status).toBe(410);
    expect(await refused.text()).not.toContain("user-11");
    expect(countOf(w.rows, login.id, "approved")).toBe(0);
    expect(countOf(w.rows, login.id, "exchanged")).toBe(0);
  });
});

describe("an expiry alarm that fails after expiring", () => {
  it("runs again: the login stays expired, the PC told once, `expired` sent once", async () => {
    const { login, scan, key } = await scannedLogin();
    const pc = await openLoginSocket(login);
    await editLogin(login.id, (r) => {
      r.scanned_at = Date.now() - 10 * 60_000;
    });
    const sent: HopRow[] = [];
    const catcher = { send: async (body: { rows: HopRow[] }) => void sent.push(...body.rows) };
    for (const failing of [true, false]) {
      await runInDurableObject(loginStubOf(login.id), async (object, state) => {
        const o = object as unknown as { ctx: object; watchers: { env: object } };
        o.watchers.env = { ...o.watchers.env, HOPS: catcher };
        if (failing) {
          o.ctx = { ...state, storage: faultyStorage(state.storage, { setAlarm: () => true }) };
          await expect(object.alarm()).rejects.toThrow("injected");
        } else await object.alarm();
        o.ctx = state;
      });
    }
    await settle();
    expect((await storedLogin(login.id))?.status).toBe("expired");
    expect(pc.messages.map((m) => m.status)).toEqual(["scanned", "expired"]);
    expect(sent.filter((r) => r.hop === "expired")).toHaveLength(1);
    const approval = post(`/v1/logins/${login.id}/approve`, { scan, subject: "user-12" }, key);
    expect((await hopCapturingWorker().send(approval)).status).toBe(410);
  });
});
