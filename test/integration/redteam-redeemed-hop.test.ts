// Red team: a redemption is counted exactly once, even when the Worker that answered it never
// sent its hops (core/redemption-hops.ts). The Worker's isolate dies between the object's commit
// and the send (here: its queue, spool and database all refuse for that one request), the app
// asks again with its claim and gets the replay, which sends the same once-only rows: one
// `redeemed` hop counted, one webhook. The "double count" attack is the same replay when the
// first send did arrive, alone or 20 at once; a stranger without the claim sends nothing. And
// why QR login's `approved` hop is left as it is: its retry is refused, not replayed.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HandoffRecord } from "../../src/core/handoff";
import type { HopRow } from "../../src/core/hop-row";
import {
  ANDROID_APP_UA,
  type Created,
  createHandoff,
  decide,
  handoffStub,
} from "./handoffs-helpers";
import { BASE, call, mintKey, runToEnd, statusTally } from "./helpers";
import { eventually, failingBatchDb, runQueue, scalar } from "./hop-helpers";
import { createLogin, scanned } from "./logins-helpers";
import { receiver, registerWebhook, webhookKeyForFile } from "./webhooks-helpers";

const CLAIM = "app-claim_Rk7Zq2Lm9Xw4Vb8Nc1Td";

type Message = { id: string; timestamp: Date; attempts: number; body: { rows: HopRow[] } };

/**
 * The Worker with its hop queue replaced by a list of the messages it took, or — `dead` — as
 * an isolate that dies before its send: the queue, the R2 spool and a direct write all fail.
 */
function app(opts: { dead?: boolean } = {}) {
  const taken: Message[] = [];
  const refuse = async () => {
    throw new Error("the isolate is gone");
  };
  const base = env as unknown as Record<string, unknown>;
  const bindings = {
    ...base,
    HOPS: {
      send: async (body: Message["body"]) => {
        if (opts.dead) return refuse();
        taken.push({
          id: `q-${crypto.randomUUID()}`,
          timestamp: new Date(),
          attempts: 1,
          body: structuredClone(body),
        });
      },
    },
    ...(opts.dead
      ? {
          HOP_ARCHIVE: { put: refuse },
          DB: failingBatchDb(base.DB as D1Database),
        }
      : {}),
  };
  const rows = () => taken.flatMap((m) => m.body.rows);
  return { send: runToEnd(bindings), taken, rows };
}

/** The app (or a stranger) resolving the link, from its own address. */
function resolveReq(h: Created, claim?: string, ip = "198.51.100.7"): Request {
  return new Request(`${BASE}/v1/resolve`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": ANDROID_APP_UA,
      "cf-connecting-ip": ip,
    },
    body: JSON.stringify({ url: h.url, ...(claim ? { claim } : {}) }),
    cf: { country: "NL", colo: "AMS" },
  } as RequestInit);
}

/** Count messages through the real consumer, one batch each, in order. */
async function consume(messages: Message[]): Promise<void> {
  for (const m of messages) {
    const r = await runQueue("qrbridge-hops", [m]);
    expect(r.retryBatch.retry || r.retryMessages.length > 0).toBe(false);
  }
}

const keyFor = webhookKeyForFile();
let key = "";
let endpoint = "";
beforeAll(async () => {
  key = await mintKey("secret", ["handoffs:write", "stats:read"]);
});
// The storage is shared with other files: their handoffs make no deliveries to this endpoint.
afterAll(async () => {
  if (endpoint)
    expect(
      (await call(`/v1/webhooks/${endpoint}`, { method: "DELETE", key: keyFor() })).status,
    ).toBe(200);
});

/** A fresh handoff, and a webhook endpoint listening for handoff events. */
async function setUp(): Promise<Created> {
  receiver(200);
  if (!endpoint)
    endpoint = (await registerWebhook(keyFor(), ["handoff.scanned", "handoff.redeemed"])).id;
  return createHandoff(key, { payload: { session: "s-42" } });
}

/** How many of handoff `id`'s `hop` hops the business exports (counted hops only). */
async function exported(id: string, hop: string): Promise<number> {
  const res = await call(`/v1/hops?subject_id=${id}`, { key });
  expect(res.status).toBe(200);
  const rows = new TextDecoder()
    .decode(await res.arrayBuffer())
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { hop: string });
  return rows.filter((r) => r.hop === hop).length;
}

/** Webhook deliveries made for handoff `id`'s `type` events. */
const deliveries = (id: string, type: string) =>
  scalar(
    `SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = ? AND event_type = ?
       AND json_extract(payload, '$.data.subject_id') = ?`,
    endpoint,
    type,
    id,
  );

/** One counted of each of the redemption's hops, one webhook for each. */
async function expectCountedOnce(h: Created): Promise<void> {
  expect(await exported(h.id, "redeemed")).toBe(1);
  expect(await exported(h.id, "scanned")).toBe(1);
  expect(await deliveries(h.id, "handoff.redeemed")).toBe(1);
  expect(await deliveries(h.id, "handoff.scanned")).toBe(1);
}

describe("the redemption's send was lost with its isolate", () => {
  it("the app's retry with its claim sends the hops again: one redeemed hop counted, one webhook", async () => {
    const h = await setUp();
    const dead = app({ dead: true });
    const first = await dead.send(resolveReq(h, CLAIM));
    expect(first.status).toBe(200);
    expect(dead.taken).toHaveLength(0);
    expect(await exported(h.id, "redeemed")).toBe(0);

    // The answer was lost too (the isolate died): the app client asks again with its claim.
    const retry = app();
    const again = await retry.send(resolveReq(h, CLAIM, "203.0.113.99"));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
    await consume(retry.taken);
    await expectCountedOnce(h);
    // Counted as the redemption happened: at its time, from its request (not the retry's).
    const [scanned, redeemed] = retry.rows();
    const record = (await runInDurableObject(handoffStub(h.id), (_o, state) =>
      state.storage.kv.get<HandoffRecord>("handoff"),
    ))!;
    expect(redeemed).toMatchObject({ hop: "redeemed", at: record.redeemed_at, colo: "AMS" });
    expect(scanned).toMatchObject({ hop: "scanned", at: record.scanned_at, country: "NL" });
  });

  it('confirm: "pc": the claimant\'s lost redemption is made good by its retry; the scan, sent by its claim call, stays one', async () => {
    receiver(200);
    const h = await createHandoff(key, { payload: { session: "s-43" }, confirm: "pc" });
    const phone = app();
    expect((await phone.send(resolveReq(h, CLAIM))).status).toBe(202);
    expect((await decide(h, "approve")).status).toBe(200);
    expect((await app({ dead: true }).send(resolveReq(h, CLAIM))).status).toBe(200);
    const retry = app();
    expect((await retry.send(resolveReq(h, CLAIM))).status).toBe(200);
    // The retry re-sends the redemption alone: its scan was the claim call's, already sent.
    expect(retry.rows().map((r) => r.hop)).toEqual(["redeemed"]);
    await consume([...phone.taken, ...retry.taken]);
    expect(await exported(h.id, "redeemed")).toBe(1);
    expect(await exported(h.id, "scanned")).toBe(1);
  });

  it("with no retry at all, the object sends them when the replay window closes: counted once", async () => {
    const h = await setUp();
    expect((await app({ dead: true }).send(resolveReq(h, CLAIM))).status).toBe(200);
    await runInDurableObject(handoffStub(h.id), (_o, state) => {
      const rec = state.storage.kv.get<HandoffRecord>("handoff")!;
      rec.replay_until = Date.now() - 1;
      state.storage.kv.put("handoff", rec);
    });
    await evictDurableObject(handoffStub(h.id));
    expect(await runDurableObjectAlarm(handoffStub(h.id))).toBe(true);
    // The object sends through the real queue; its consumer counts them.
    await eventually(async () => (await exported(h.id, "redeemed")) > 0, "the object's copy");
    await expectCountedOnce(h);
    const record = await runInDurableObject(handoffStub(h.id), (_o, state) =>
      state.storage.kv.get<HandoffRecord>("handoff"),
    );
    expect(record).toMatchObject({ replay_until: null, replay_hops: null, payload: null });
  });
});

describe("the double count: the first send arrived, and the replays send again", () => {
  it("one replay, its copy counted first or second: one redeemed hop, one webhook", async () => {
    for (const order of ["sent order", "reversed"] as const) {
      const h = await setUp();
      const phone = app();
      expect((await phone.send(resolveReq(h, CLAIM))).status).toBe(200);
      expect((await phone.send(resolveReq(h, CLAIM))).status).toBe(200);
      expect(phone.taken).toHaveLength(2);
      // Two copies of the same rows, under once-only ids.
      expect(phone.taken[1]!.body.rows).toEqual(phone.taken[0]!.body.rows);
      await consume(order === "reversed" ? [...phone.taken].reverse() : phone.taken);
      await expectCountedOnce(h);
    }
  });

  it("20 replays at once, their copies counted by concurrent consumers: one redeemed hop, one webhook", async () => {
    const h = await setUp();
    const phone = app();
    expect((await phone.send(resolveReq(h, CLAIM))).status).toBe(200);
    const replays = await Promise.all(
      Array.from({ length: 20 }, () => phone.send(resolveReq(h, CLAIM))),
    );
    expect(statusTally(replays)).toEqual({ 200: 20 });
    expect(phone.taken).toHaveLength(21);
    // Three consumers at the same moment, each with a batch of seven copies.
    const batches = [0, 1, 2].map((i) => phone.taken.slice(i * 7, i * 7 + 7));
    const results = await Promise.all(batches.map((b) => runQueue("qrbridge-hops", b)));
    for (const r of results) expect(r.retryBatch.retry || r.retryMessages.length > 0).toBe(false);
    await expectCountedOnce(h);
  });
});

describe("a stranger with the QR but not the claim", () => {
  it("no claim or a wrong claim: 409, and nothing is sent", async () => {
    const h = await setUp();
    expect((await app().send(resolveReq(h, CLAIM))).status).toBe(200);
    const stranger = app();
    const answers = await Promise.all([
      stranger.send(resolveReq(h, undefined, "192.0.2.1")),
      stranger.send(resolveReq(h, "a-guessed-claim-000000000", "192.0.2.2")),
      stranger.send(resolveReq(h, CLAIM.toUpperCase(), "192.0.2.3")),
    ]);
    expect(statusTally(answers)).toEqual({ 409: 3 });
    expect(stranger.taken).toHaveLength(0);
  });
});

describe("a redemption without a claim", () => {
  it("sends its hops once, with random ids, and keeps nothing to send again", async () => {
    const h = await setUp();
    const phone = app();
    expect((await phone.send(resolveReq(h))).status).toBe(200);
    const rows = phone.rows();
    expect(rows.map((r) => r.hop)).toEqual(["scanned", "redeemed"]);
    for (const r of rows) expect(r.event_id).not.toMatch(/^ev_/);
    const record = await runInDurableObject(handoffStub(h.id), (_o, state) =>
      state.storage.kv.get<HandoffRecord>("handoff"),
    );
    expect(record).toMatchObject({ payload: null, claim_hash: null });
    expect(record?.replay_hops ?? null).toBeNull();
    // Counted with no once-only row: the hop_once tables hold none of its ids.
    await consume(phone.taken);
    const once = await Promise.all(
      [0, 1, 2, 3].map((slot) =>
        scalar(
          `SELECT COUNT(*) FROM hop_once_${slot} WHERE event_id IN (SELECT value FROM json_each(?))`,
          JSON.stringify(rows.map((r) => r.event_id)),
        ),
      ),
    );
    expect(once).toEqual([0, 0, 0, 0]);
    await expectCountedOnce(h);
  });
});

describe("QR login's approve (why its approved hop keeps a random id)", () => {
  it("a retried approve is refused, never answered again: there is no replay to send a copy", async () => {
    const lkey = await mintKey("secret", ["logins:write"]);
    const login = await createLogin(lkey);
    const { scan } = await scanned(login);
    const backend = app();
    const approveReq = () =>
      new Request(`${BASE}/v1/logins/${login.id}/approve`, {
        method: "POST",
        headers: { authorization: `Bearer ${lkey}`, "content-type": "application/json" },
        body: JSON.stringify({ scan, subject: "user-7" }),
      });
    expect((await backend.send(approveReq())).status).toBe(200);
    const again = await backend.send(approveReq());
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toBe("conflict");
    expect(backend.rows().map((r) => r.hop)).toEqual(["approved"]);
  });
});
