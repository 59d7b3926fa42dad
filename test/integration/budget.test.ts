// The billable operations that are the design, pinned: requests go through the real Worker with
// every binding metered (test/support/meter.ts, the wrapping `npm run bench -- budget` uses), and
// the counts of one request, its waitUntil work included, are checked. The cost per million and
// the downstream figures are the bench's; here only what must not regress.
import {
  createExecutionContext,
  createMessageBatch,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/env";
import worker from "../../src/index";
import type { HandoffObject } from "../../src/store/handoff-object";
import { MEMORY_TTL_MS } from "../../src/store/poster-cache";
import { type Counts, Meter, meterBatch, meterEnv, meterStorage } from "../support/meter";
import { createHandoff, IPHONE_UA } from "./handoffs-helpers";
import { BASE, mintKey, mintSecretKey } from "./helpers";
import { hopMessages, hopRow } from "./hop-helpers";
import { makePoster } from "./poster-helpers";

const bindings = env as unknown as Env;
const meter = new Meter();
const FACEBOOK = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";
const SHOP = "https://shop.example";
const CLAIM = "budget-app-claim-Zq4Lm9Xw2Vb8";

interface Answer {
  status: number;
  body: string;
}

/** One request through the real Worker, metered; its waitUntil work is awaited too. */
async function metered(path: string, init: RequestInit = {}): Promise<[Answer, Counts]> {
  meter.reset();
  const ctx = createExecutionContext();
  const request = new Request(/^https?:/i.test(path) ? path : `${BASE}${path}`, init);
  const res = await worker.fetch(request, meterEnv(bindings, meter, "request"), ctx);
  const body = await res.text();
  await waitOnExecutionContext(ctx);
  return [{ status: res.status, body }, meter.snapshot()];
}

const phone = { headers: { "user-agent": IPHONE_UA } };
const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", "user-agent": IPHONE_UA, ...headers },
  body: JSON.stringify(body),
});
/** The sum of a metric over every scope ("kv" sums kv.read, kv.write, …). */
const count = (counts: Counts, metric: string) =>
  Object.entries(counts)
    .filter(([k]) => {
      const m = k.slice(k.indexOf(":") + 1);
      return m === metric || m.startsWith(`${metric}.`);
    })
    .reduce((a, [, n]) => a + n, 0);
const storage = (c: Counts) => ({ kv: count(c, "kv"), d1: count(c, "d1"), r2: count(c, "r2") });

describe("billable operations per request", () => {
  let key: string;
  let poster: { url: string };
  beforeAll(async () => {
    key = await mintSecretKey();
    poster = await makePoster({ name: "Budget" });
  });

  it("/healthz touches nothing", async () => {
    const [res, counts] = await metered("/healthz");
    expect(res.status).toBe(200);
    expect(counts).toEqual({});
  });

  it("a hot poster scan: no KV, no D1, no Durable Object, one queue message", async () => {
    await metered(poster.url, phone); // in the isolate's memory from now on
    const [res, counts] = await metered(poster.url, phone);
    expect(res.status).toBe(200);
    expect(storage(counts)).toEqual({ kv: 0, d1: 0, r2: 0 });
    expect(count(counts, "do")).toBe(0);
    expect(count(counts, "queue.send")).toBe(1);
    expect(count(counts, "queue.message")).toBe(1);
  });

  it("a warm scan (poster in KV only) reads KV once and nothing else", async () => {
    await metered(poster.url, phone);
    // Past the isolate's memory of it (a fake clock), the poster is in KV only.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + MEMORY_TTL_MS + 1 });
    let answer: Awaited<ReturnType<typeof metered>>;
    try {
      answer = await metered(poster.url, phone);
    } finally {
      vi.useRealTimers();
    }
    const [res, counts] = answer;
    expect(res.status).toBe(200);
    expect(counts["request:kv.read"]).toBe(1);
    expect(storage(counts)).toEqual({ kv: 1, d1: 0, r2: 0 });
  });

  it("a cold scan (poster in D1 only) reads KV, then D1 once, and writes KV back", async () => {
    const fresh = await makePoster({ name: "Cold" });
    const [res, counts] = await metered(fresh.url, phone);
    expect(res.status).toBe(200);
    expect(counts["request:kv.read"]).toBe(1);
    expect(counts["request:d1.query"]).toBe(1);
    expect(counts["request:kv.write"]).toBe(1);
    expect(count(counts, "do")).toBe(0);
  });

  it("a forged poster code costs no KV, no D1 and no Durable Object", async () => {
    const last = poster.url.at(-1) === "0" ? "1" : "0";
    const [res, counts] = await metered(poster.url.slice(0, -1) + last, phone);
    expect(res.status).toBe(404);
    expect(storage(counts)).toEqual({ kv: 0, d1: 0, r2: 0 });
    expect(count(counts, "do")).toBe(0);
  });

  it("a bot scan of a poster or a handoff makes no Durable Object call", async () => {
    await metered(poster.url, phone);
    const [res, counts] = await metered(poster.url, { headers: { "user-agent": FACEBOOK } });
    expect(res.status).toBe(200);
    expect(storage(counts)).toEqual({ kv: 0, d1: 0, r2: 0 });
    const h = await createHandoff(key);
    const [hres, hcounts] = await metered(h.url, { headers: { "user-agent": FACEBOOK } });
    expect(hres.status).toBe(200);
    expect(count(hcounts, "do")).toBe(0);
  });

  it("a handoff scan is exactly one Durable Object request, and no KV or D1", async () => {
    const h = await createHandoff(key);
    const [res, counts] = await metered(h.url, phone);
    expect(res.status).toBe(200);
    expect(counts["request:do.request"]).toBe(1);
    expect(storage(counts)).toEqual({ kv: 0, d1: 0, r2: 0 });
  });

  it("a forged handoff token never reaches a Durable Object", async () => {
    const h = await createHandoff(key);
    const last = h.url.at(-1) === "0" ? "1" : "0";
    const [res, counts] = await metered(h.url.slice(0, -1) + last, phone);
    expect(res.status).toBe(404);
    expect(count(counts, "do")).toBe(0);
    expect(storage(counts)).toEqual({ kv: 0, d1: 0, r2: 0 });
  });

  /** A handoff scanned on the phone, its object's storage metered from here on. */
  async function scannedAndMetered(): Promise<{ url: string }> {
    const h = await createHandoff(key);
    await metered(h.url, phone);
    const stub = bindings.HANDOFF.get(bindings.HANDOFF.idFromName(h.id));
    await runInDurableObject(stub as DurableObjectStub<HandoffObject>, (_o, state) =>
      meterStorage(state.storage, meter, "object"),
    );
    return h;
  }

  it("a redeem is one Durable Object request; the object reads no storage, writes record and alarm", async () => {
    const h = await scannedAndMetered();
    const [res, counts] = await metered("/v1/resolve", json({ url: h.url }));
    expect(res.status).toBe(200);
    expect(counts["request:do.request"]).toBe(1);
    expect(storage(counts)).toEqual({ kv: 0, d1: 0, r2: 0 });
    // The object keeps its record in memory: a transition reads nothing, and writes the record
    // and the moved alarm.
    expect(counts["object:do.rows_read"] ?? 0).toBe(0);
    expect(counts["object:do.rows_written"]).toBe(2);
  });

  it("a redeem with the app's claim costs the same: the object writes the record (with what a replay needs) and the alarm", async () => {
    const h = await scannedAndMetered();
    const [res, counts] = await metered("/v1/resolve", json({ url: h.url, claim: CLAIM }));
    expect(res.status).toBe(200);
    expect(counts["request:do.request"]).toBe(1);
    expect(storage(counts)).toEqual({ kv: 0, d1: 0, r2: 0 });
    expect(counts["object:do.rows_written"]).toBe(2);
    expect(counts["request:queue.message"]).toBe(1);
    // The replay: one more Durable Object request (which writes nothing) and one more message.
    const [again, replay] = await metered("/v1/resolve", json({ url: h.url, claim: CLAIM }));
    expect(again.body).toBe(res.body);
    expect(replay["request:do.request"]).toBe(1);
    expect(replay["object:do.rows_written"] ?? 0).toBe(0);
    expect(replay["request:queue.message"]).toBe(1);
  });

  it("creating a handoff with a cached key: one Durable Object request, no D1; a publishable key is rate limited", async () => {
    await metered("/v1/handoffs", json({}, { authorization: `Bearer ${key}` }));
    const [res, counts] = await metered(
      "/v1/handoffs",
      json({}, { authorization: `Bearer ${key}` }),
    );
    expect(res.status).toBe(201);
    expect(counts["request:do.request"]).toBe(1);
    expect(storage(counts)).toEqual({ kv: 0, d1: 0, r2: 0 });
    expect(counts["request:ratelimit.call"]).toBeUndefined();

    const pk = await mintKey("publishable", ["handoffs:write"], [SHOP]);
    const headers = { authorization: `Bearer ${pk}`, origin: SHOP };
    await metered("/v1/handoffs", json({}, headers));
    const [pres, pcounts] = await metered("/v1/handoffs", json({}, headers));
    expect(pres.status).toBe(201);
    expect(pcounts["request:ratelimit.call"]).toBe(1);
    expect(storage(pcounts)).toEqual({ kv: 0, d1: 0, r2: 0 });
  });

  it("the app resolving a hot poster link and reporting a conversion: no KV, D1 or Durable Object", async () => {
    await metered(poster.url, phone);
    // With the claim the app client always sends: the retry's session comes from an HMAC, no store.
    const [res, counts] = await metered("/v1/resolve", json({ url: poster.url, claim: CLAIM }));
    expect(res.status).toBe(200);
    expect(storage(counts)).toEqual({ kv: 0, d1: 0, r2: 0 });
    expect(count(counts, "do")).toBe(0);
    // A bare poster link: the app records the scan and its app open, together in one message.
    expect(counts["request:queue.message"]).toBe(1);
    const { attribution } = JSON.parse(res.body) as { attribution: { session: string } };
    const session = attribution.session;
    const [eres, ecounts] = await metered(
      "/v1/events",
      json({ session, type: "converted", value: 10, idempotency_key: "budget-1" }),
    );
    expect(eres.status).toBe(202);
    expect(storage(ecounts)).toEqual({ kv: 0, d1: 0, r2: 0 });
    expect(count(ecounts, "do")).toBe(0);
  });
});

describe("the queue consumer", () => {
  /** The app resolves `url` (straight from the QR: scan and redemption or app open), its hop messages kept. */
  async function redeem(url: string, claim?: string, vars: object = {}): Promise<unknown[]> {
    const sent: unknown[] = [];
    const hops = { send: async (body: unknown) => void sent.push(structuredClone(body)) };
    const ctx = createExecutionContext();
    const request = new Request(`${BASE}/v1/resolve`, json({ url, ...(claim ? { claim } : {}) }));
    const res = await worker.fetch(request, { ...bindings, ...vars, HOPS: hops } as never, ctx);
    expect(res.status).toBe(200);
    await waitOnExecutionContext(ctx);
    return sent;
  }

  /** What the consumer spends on `batch`, acknowledged as the queue would. */
  async function meteredConsume(batch: Parameters<typeof meterBatch>[0]): Promise<Counts> {
    meter.reset();
    const consumption = meterBatch(batch, meter, "consumer");
    const ctx = createExecutionContext();
    await worker.queue(batch, meterEnv(bindings, meter, "consumer"), ctx);
    await waitOnExecutionContext(ctx);
    consumption.settle(true);
    return meter.snapshot();
  }

  /** What the consumer spends on one batch of `bodies`. */
  function consume(bodies: unknown[]): Promise<Counts> {
    return meteredConsume(
      createMessageBatch(
        "qrbridge-hops",
        bodies.map((body) => ({
          id: crypto.randomUUID(),
          timestamp: new Date(),
          attempts: 1,
          body,
        })),
      ),
    );
  }

  it("a redemption's hops: with the app's claim one once-only row more per hop; a replay's copy writes only its batch claim", async () => {
    const key = await mintSecretKey();
    const written = (c: Counts) => c["consumer:d1.rows_written"];
    // The day's totals row exists from here on, as it does after the day's first hop.
    await consume(await redeem((await createHandoff(key)).url));
    // Without a claim: batch claim, rollup row, day row, archive object, pending rows, delete.
    const plain = await consume(await redeem((await createHandoff(key)).url));
    expect(written(plain)).toBe(6);
    // With the app's claim (the app client always sends one): + the scan's and the
    // redemption's once-only rows (hop_once), what makes any later copy count nothing.
    const h = await createHandoff(key);
    const first = await redeem(h.url, CLAIM);
    const replay = await redeem(h.url, CLAIM);
    expect(written(await consume(first))).toBe(6 + 2);
    // The replay's copy (and the object's at the end of the window): counted as nothing; the
    // batch claim is its only row, shared with whatever else that batch carries.
    const copy = await consume(replay);
    expect(written(copy)).toBe(1);
    expect(copy["consumer:r2.class_a"] ?? 0).toBe(0);
  });

  it("a bare poster link with the app's claim: its app open is once-only anyway; counting its retry once (opt-in) is one row more", async () => {
    const p = await makePoster({ name: "Budget retry" });
    const written = (c: Counts) => c["consumer:d1.rows_written"];
    await consume(await redeem(p.url)); // the poster's and the day's rollup rows exist from here on
    // Batch claim, the app open's once-only row, poster row, day row, archive object, pending
    // rows, their delete: the same with or without a claim.
    expect(written(await consume(await redeem(p.url)))).toBe(7);
    expect(written(await consume(await redeem(p.url, CLAIM)))).toBe(7);
    // QB_POSTER_CLAIMED_RESOLVES: + the scan's once-only row (hop_once), so that a retry's copy
    // counts nothing and writes only its batch claim. Opt-in: on the bench's funnel day (20 % of
    // person scans straight into the app) it is +0.2 rows per person scan (docs/stats.md).
    const claimed = { QB_POSTER_CLAIMED_RESOLVES: "true" };
    const first = await redeem(p.url, `${CLAIM}-retried`, claimed);
    const retry = await redeem(p.url, `${CLAIM}-retried`, claimed);
    expect(written(await consume(first))).toBe(7 + 1);
    expect(written(await consume(retry))).toBe(1);
  });

  it("counts a batch of hop messages in one read and one transaction, writing a few rows whatever its size", async () => {
    const now = Date.now();
    const rows = await Promise.all(
      Array.from({ length: 40 }, (_, i) => hopRow({ hop: "scanned" }, now + i)),
    );
    const counts = await meteredConsume(createMessageBatch("qrbridge-hops", hopMessages(rows)));
    // One read (webhook subscriptions, once-only events seen, resent copies counted: an empty
    // table, nothing read) and one transaction (claim, copies waiting in the dead letters: none,
    // nothing written, rollups by poster, month and day, the archive object and its pending rows), then the R2
    // object and the statement that clears its pending rows: 6 rows for 40 scans of one key
    // (claim, poster row, day row, object, pending, its delete), none per message.
    expect(counts["consumer:d1.batch"]).toBe(2);
    expect(counts["consumer:d1.query"]).toBe(12);
    expect(counts["consumer:d1.rows_written"]).toBe(6);
    expect(counts["consumer:r2.class_a"]).toBe(1);
    expect(counts["consumer:queue.read_op"]).toBe(40);
    expect(counts["consumer:queue.delete_op"]).toBe(40);
    expect(count(counts, "kv") + count(counts, "do") + count(counts, "queue.send")).toBe(0);
  });
});
