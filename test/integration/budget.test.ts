// The billable operations that are the design, pinned: requests go through the real Worker with
// every binding metered (test/support/meter.ts, the wrapping `npm run bench -- budget` uses), and
// the counts of one request, its waitUntil work included, are checked. The cost per million and
// the downstream figures are the bench's; here only what must not regress.
import { runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { HandoffObject } from "../../src/store/handoff-object";
import { MEMORY_TTL_MS } from "../../src/store/poster-cache";
import { meterStorage } from "../support/meter";
import { bindings, CLAIM, count, json, meter, metered, phone, storage } from "./budget-helpers";
import { createHandoff } from "./handoffs-helpers";
import { mintKey, mintSecretKey } from "./helpers";
import { makePoster } from "./poster-helpers";

const FACEBOOK = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";
const SHOP = "https://shop.example";

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
