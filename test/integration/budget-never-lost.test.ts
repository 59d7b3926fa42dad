// What "nothing lost" costs, pinned: the object's last send of a redemption's hops (with a claim
// or without) at the end of its replay window, of a handoff's landing-page scan before the
// deletion of a handoff never redeemed, and of a QR login's steps before its deletion — one
// queue message each — and the once-only rows their hops write in the consumer.
import {
  createExecutionContext,
  createMessageBatch,
  evictDurableObject,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { PURGE_GRACE_MS } from "../../src/core/handoff";
import type { HandoffRecord } from "../../src/core/handoff-record";
import { LOGIN_PURGE_GRACE_MS } from "../../src/core/login";
import type { LoginRecord } from "../../src/core/login-record";
import worker from "../../src/index";
import type { HandoffObject } from "../../src/store/handoff-object";
import { newHopId } from "../../src/store/hop-ids";
import type { HopMessage } from "../../src/store/hops";
import type { LoginObject } from "../../src/store/login-object";
import { type Counts, meterBatch, meterEnv, meterStorage } from "../support/meter";
import { bindings, json, meter, metered, phone } from "./budget-helpers";
import { createHandoff, IPHONE_UA } from "./handoffs-helpers";
import { mintKey, mintSecretKey } from "./helpers";
import { eventually } from "./hop-helpers";
import { createLogin, loginStatus } from "./logins-helpers";

type Stub<T> = DurableObjectStub<T & Rpc.DurableObjectBranded>;
const handoffStub = (id: string) =>
  bindings.HANDOFF.get(bindings.HANDOFF.idFromName(id)) as unknown as Stub<HandoffObject>;
const loginStub = (id: string) =>
  bindings.LOGIN.get(bindings.LOGIN.idFromName(id)) as unknown as Stub<LoginObject>;

/**
 * Run the object's alarm with its storage and bindings metered (`ready` first moves its record
 * in time, unmetered), and wait for the hops it sends. The meter's counts for scope "object".
 */
async function meteredAlarm<T extends { alarm(): Promise<void> }>(
  stub: Stub<T>,
  ready: (storage: DurableObjectStorage) => void,
): Promise<Counts> {
  await runInDurableObject(stub, (_object: T, state) => ready(state.storage));
  // The object keeps its record in memory: it reads it afresh when woken, as by its alarm.
  await evictDurableObject(stub);
  await runInDurableObject(stub, async (object: T, state) => {
    meter.reset();
    meterStorage(state.storage, meter, "object");
    (object as unknown as { env: object }).env = meterEnv(bindings, meter, "object");
    await object.alarm();
  });
  await eventually(() => (meter.snapshot()["object:queue.message"] ?? 0) > 0, "its send");
  return meter.snapshot();
}

/** What the consumer writes (D1 rows) for one batch of the hop message bodies `bodies`. */
async function consumerRows(bodies: HopMessage[]): Promise<number> {
  meter.reset();
  const batch = createMessageBatch(
    "qrbridge-hops",
    bodies.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body })),
  );
  const consumption = meterBatch(batch, meter, "consumer");
  const ctx = createExecutionContext();
  await worker.queue(batch, meterEnv(bindings, meter, "consumer"), ctx);
  await waitOnExecutionContext(ctx);
  consumption.settle(true);
  return meter.snapshot()["consumer:d1.rows_written"] ?? 0;
}

/** The same message with a random id on every row: what it was before the ids were once-only. */
const withRandomIds = (m: HopMessage): HopMessage => ({
  t: "hops",
  rows: m.rows.map((r) => ({ ...r, event_id: newHopId(Date.now()) })),
});

describe("the object's last send", () => {
  let key: string;
  beforeAll(async () => {
    key = await mintSecretKey();
  });

  it("a redemption without a claim: one queue message from the Worker, and one from the object when the window closes", async () => {
    const h = await createHandoff(key);
    await metered(h.url, phone);
    const [res, counts] = await metered("/v1/resolve", json({ url: h.url }));
    expect(res.status).toBe(200);
    expect(counts["request:queue.message"]).toBe(1);
    const end = await meteredAlarm(handoffStub(h.id), (storage) => {
      const rec = storage.kv.get<{ replay_until: number }>("handoff")!;
      storage.kv.put("handoff", { ...rec, replay_until: Date.now() - 1 });
    });
    // The alarm at the window's end (one Durable Object request, as a claimed redemption has):
    // the record without its replay facts, the alarm moved to the purge time (set by the expiry
    // check and again by the alarm's re-arm), and the hops in one message.
    expect(end["object:do.rows_written"]).toBe(3);
    expect(end["object:queue.message"]).toBe(1);
  });

  it("a handoff scanned through its landing page: one message from the Worker as before; one more from the object before it deletes a handoff never redeemed", async () => {
    const h = await createHandoff(key);
    const [page, counts] = await metered(h.url, phone);
    expect(page.status).toBe(200);
    // The scan itself costs what it did: one Durable Object request, one record written, one
    // message (its scanned and landing hops); the record only carries the scan's facts more.
    expect(counts["request:queue.message"]).toBe(1);
    expect(counts["request:do.request"]).toBe(1);
    const end = await meteredAlarm(handoffStub(h.id), (storage) => {
      const rec = storage.kv.get<HandoffRecord>("handoff")!;
      const ended_at = Date.now() - PURGE_GRACE_MS - 1;
      storage.kv.put("handoff", { ...rec, status: "expired", ended_at });
    });
    // The purge alarm it always had; its two hops in one message. (Redeemed, they ride in the
    // window's message above instead: no message more.)
    expect(end["object:queue.message"]).toBe(1);
  });

  it("a QR login: one message per step from the Worker as before, one more from the object before it deletes the login", async () => {
    const lkey = await mintKey("secret", ["logins:write"]);
    const login = await createLogin(lkey);
    const auth = { authorization: `Bearer ${lkey}` };
    const post = (path: string, body: object, headers = {}) => metered(path, json(body, headers));
    const [scan, scanCounts] = await post("/v1/logins/scan", { url: login.url });
    const { scan: handle } = JSON.parse(scan.body) as { scan: string };
    const approval = { scan: handle, subject: "u" };
    const [, approveCounts] = await post(`/v1/logins/${login.id}/approve`, approval, auth);
    const { ticket } = (await loginStatus(login)) as { ticket: string };
    const exchange = { ticket, code_verifier: login.verifier };
    const [, exchangeCounts] = await post("/v1/logins/exchange", exchange, auth);
    for (const c of [scanCounts, approveCounts, exchangeCounts]) {
      expect(c["request:queue.message"]).toBe(1);
      expect(c["request:do.request"]).toBe(1);
    }
    const end = await meteredAlarm(loginStub(login.id), (storage) => {
      const rec = storage.kv.get<LoginRecord>("login")!;
      storage.kv.put("login", { ...rec, ended_at: Date.now() - LOGIN_PURGE_GRACE_MS - 1 });
    });
    // The purge alarm it always had; its three hops in one message.
    expect(end["object:queue.message"]).toBe(1);
  });
});

describe("the once-only rows in the consumer", () => {
  it("a landing-page scan's message writes two hop_once rows more than with random ids; the object's copy writes only its batch claim", async () => {
    const h = await createHandoff(await mintSecretKey());
    const taken: HopMessage[] = [];
    const hops = { send: async (m: HopMessage) => void taken.push(structuredClone(m)) };
    const ctx = createExecutionContext();
    const req = new Request(h.url, { headers: { "user-agent": IPHONE_UA } });
    expect((await worker.fetch(req, { ...bindings, HOPS: hops } as never, ctx)).status).toBe(200);
    await waitOnExecutionContext(ctx);
    const [message] = taken;
    expect(message!.rows.map((r) => r.hop)).toEqual(["scanned", "landing"]);
    await consumerRows([withRandomIds(message!)]); // the day's rows exist from here on
    const before = await consumerRows([withRandomIds(message!)]);
    const after = await consumerRows([message!]);
    expect(after).toBe(before + 2);
    expect(await consumerRows([{ ...message!, id: undefined }])).toBe(1);
  });

  it("a login's step hop writes one hop_once row more than with a random id; the object's copy writes only its batch claim", async () => {
    const lkey = await mintKey("secret", ["logins:write"]);
    const login = await createLogin(lkey);
    const taken: HopMessage[] = [];
    const hops = { send: async (m: HopMessage) => void taken.push(structuredClone(m)) };
    const ctx = createExecutionContext();
    const req = new Request("https://qr.test/v1/logins/scan", json({ url: login.url }));
    expect((await worker.fetch(req, { ...bindings, HOPS: hops } as never, ctx)).status).toBe(200);
    await waitOnExecutionContext(ctx);
    const [message] = taken;
    await consumerRows([withRandomIds(message!)]); // the day's rows exist from here on
    const before = await consumerRows([withRandomIds(message!)]);
    const after = await consumerRows([message!]);
    expect(after).toBe(before + 1);
    expect(await consumerRows([{ ...message!, id: undefined }])).toBe(1);
  });
});
