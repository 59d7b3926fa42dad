// Abuse from outside, attacked as an outsider would: floods held to per-client budgets, and
// scripts that cannot inflate the numbers a business reads.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../src/config";
import type { HandoffRecord } from "../../src/core/handoff";
import type { Env } from "../../src/env";
import type { ResolvedPoster } from "../../src/routes/posters-resolve";
import { waitForFunnel } from "./funnel-helpers";
import { createHandoff, signedToken } from "./handoffs-helpers";
import {
  BASE,
  call,
  hopCapturingWorker,
  mintKey,
  mintSecretKey,
  untilThrottled,
  windowedLimiter,
} from "./helpers";
import { makePoster, scan } from "./poster-helpers";

// As configured in wrangler.toml (test/unit/limits.test.ts ties the two).
const FAILURE_LIMIT = RATE_LIMITS.failures;
const CALL_LIMIT = RATE_LIMITS.client;
const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";

/** A client address of its own (an IPv6 /64 nobody else in the run uses). */
function newClient(): string {
  const group = () => Math.floor(Math.random() * 0xffff).toString(16);
  return `2001:db8:${group()}:${group()}::${group()}`;
}

/**
 * The Worker with a HOPS producer that keeps every row it is sent, and the client budgets of
 * wrangler.toml as limiters whose window stays put: a burst meets exactly one window's budget.
 */
function capturingWorker() {
  const { send, rows } = hopCapturingWorker({
    FAILURE_LIMITER: windowedLimiter(FAILURE_LIMIT),
    CLIENT_LIMITER: windowedLimiter(CALL_LIMIT),
  });
  function fetch(path: string, ip: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("cf-connecting-ip", ip);
    if (!headers.has("user-agent")) headers.set("user-agent", IPHONE);
    return send(new Request(`${BASE}${path}`, { ...init, headers }));
  }
  return { fetch, rows };
}

/** A forged poster code: the right shape, a MAC that cannot match. */
const forgedCode = (i: number) => `ZZ${String(i).padStart(4, "0")}0000`;

describe("forged links from one IP", () => {
  it("are held to the failure budget: 429 with Retry-After, no hop, and other clients unaffected", async () => {
    const w = capturingWorker();
    const attacker = newClient();
    const { before, throttled } = await untilThrottled(
      (i) => w.fetch(`/p/${forgedCode(i)}`, attacker),
      4 * FAILURE_LIMIT + 1,
    );
    // Every request before the 429 was a 404 with one `rejected` hop: the window's budget, exactly.
    expect(new Set(before)).toEqual(new Set([404]));
    expect(before.length).toBe(FAILURE_LIMIT);
    expect(throttled.headers.get("retry-after")).toBe("60");
    expect(throttled.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await throttled.text()).toContain("Too many tries");
    const rejected = () => w.rows.filter((r) => r.hop === "rejected").length;
    expect(rejected()).toBe(before.length);

    // The budget is the client's, on every route that takes a code or a token; each request
    // before its 429 recorded one `rejected` hop, the 429s none.
    const resolveForged = () =>
      w.fetch("/v1/resolve", attacker, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: `${BASE}/P/${forgedCode(998)}` }),
      });
    const routes: [string, () => Promise<Response>, number][] = [
      ["/h", () => w.fetch(`/h/${"Z".repeat(42)}`, attacker), 404],
      ["/c", () => w.fetch(`/c?code=${forgedCode(999)}`, attacker), 400],
      ["/v1/resolve", resolveForged, 400],
    ];
    for (const [route, send, status] of routes) {
      const start = rejected();
      const r = await untilThrottled(send, FAILURE_LIMIT + 1);
      expect(new Set(r.before), route).toEqual(r.before.length ? new Set([status]) : new Set());
      expect(r.throttled.headers.get("retry-after"), route).toBe("60");
      expect(rejected() - start, route).toBe(r.before.length);
    }
    const json = await untilThrottled(resolveForged, FAILURE_LIMIT + 1);
    expect(json.throttled.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await json.throttled.json()).toMatchObject({
      error: "rate_limited",
      details: { retry_after: 60 },
    });

    // Another client is not affected, and neither is the attacker's scan of a real poster.
    const neighbour = newClient();
    expect((await w.fetch(`/p/${forgedCode(1)}`, neighbour)).status).toBe(404);
    const poster = await makePoster();
    expect((await w.fetch(`/p/${poster.code}`, attacker)).status).toBe(200);
  });
});

describe("calls of the keyless endpoints from one IP", () => {
  it("are held to the call budget: 429 JSON on the API, a 429 page on /c, others unaffected", async () => {
    const w = capturingWorker();
    const client = newClient();
    // Cheapest call an attacker can make: an empty event, refused by validation.
    const event = () =>
      w.fetch("/v1/events", client, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
    const { before, throttled } = await untilThrottled(event, 2 * CALL_LIMIT + 1);
    expect(new Set(before)).toEqual(new Set([400]));
    expect(before.length).toBe(CALL_LIMIT);
    expect(throttled.headers.get("retry-after")).toBe("60");
    expect(throttled.headers.get("cache-control")).toBe("no-store");
    expect(await throttled.json()).toMatchObject({ error: "rate_limited" });

    const page = await untilThrottled(() => w.fetch("/c", client), CALL_LIMIT + 1);
    expect(page.throttled.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.throttled.headers.get("retry-after")).toBe("60");
    const resolve = await untilThrottled(
      () =>
        w.fetch("/v1/resolve", client, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        }),
      CALL_LIMIT + 1,
    );
    expect(await resolve.throttled.json()).toMatchObject({ error: "rate_limited" });

    expect((await w.fetch("/c", newClient())).status).toBe(200);
  });
});

// Inflating a business's numbers with only what any visitor has: a poster and curl. Each test
// replays the attack, then reads the funnel through the API as the business would.
const CURL = "curl/8.0";
const APP = "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0";
/** Where this run's addresses start: the limiter's buckets outlive a run of the file. */
let ipSeq = crypto.getRandomValues(new Uint8Array(1))[0]!;
/** A client address of its own for each attack (the call budget is per IP). */
const newIp = () => `198.51.100.${(++ipSeq * 37) % 250}`;

const post = (path: string, json: unknown, headers: Record<string, string>) =>
  call(path, { method: "POST", json, headers });

/** A person scans the poster's QR; returns the session its landing page hands the app. */
async function personScan(code: string): Promise<string> {
  const html = await (await scan(`/p/${code}`)).text();
  return /[?&]s=([0-9A-Z]{42})/.exec(html)![1]!;
}

describe("a script resolving a poster link", () => {
  it("gets its answer, but 50 curl resolves count no scan and no app open", async () => {
    const p = await makePoster();
    const ip = newIp();
    for (let i = 0; i < 50; i++) {
      const res = await post(
        "/v1/resolve",
        { url: p.url },
        { "user-agent": CURL, "cf-connecting-ip": ip },
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as ResolvedPoster;
      expect(body).toMatchObject({ kind: "poster", path: "/menu" });
      // Conversions against a session a bot started count for no one either.
      const converted = await post(
        "/v1/events",
        { session: body.attribution.session, type: "converted", value: 1 },
        { "user-agent": APP, "cf-connecting-ip": ip },
      );
      expect(converted.status).toBe(202);
    }
    // One person scans and opens the app last: once they are counted, the script's 150 hops
    // (sent before them) have arrived too.
    const s = await personScan(p.code);
    await post("/v1/resolve", { url: `${p.url}?s=${s}` }, { "user-agent": APP });
    const f = await waitForFunnel(p.id, (t) => t.app_open >= 1);
    expect(f.totals).toMatchObject({ scanned: 1, landing: 1, app_open: 1, converted: 0 });
  });
});

describe("conversions reported without a key", () => {
  it("count once per session: 200 with fresh idempotency keys are one conversion", async () => {
    const p = await makePoster();
    const s = await personScan(p.code);
    const ip = newIp();
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const res = await post(
        "/v1/events",
        { session: s, type: "converted", value: 1, idempotency_key: `order-${i}` },
        { "user-agent": APP, "cf-connecting-ip": ip },
      );
      expect(res.status).toBe(202);
      ids.add(((await res.json()) as { event_id: string }).event_id);
    }
    expect(ids.size).toBe(1);
    // curl posting as the app counts for no one.
    expect(
      (await post("/v1/events", { session: s, type: "app_open" }, { "user-agent": CURL })).status,
    ).toBe(202);
    await post("/v1/resolve", { url: `${p.url}?s=${s}` }, { "user-agent": APP });
    const f = await waitForFunnel(p.id, (t) => t.app_open >= 1 && t.converted >= 1);
    expect(f.totals).toMatchObject({ scanned: 1, app_open: 1, converted: 1 });
  });

  it("refuse a value outside 0 – 1,000,000 or with more than 2 decimals, naming value", async () => {
    const p = await makePoster();
    const s = await personScan(p.code);
    for (const value of [1e12, 1_000_000.01, -1, 12.345, Number.MAX_SAFE_INTEGER]) {
      const res = await post("/v1/events", { session: s, type: "converted", value }, {});
      expect(res.status, String(value)).toBe(400);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe("validation_failed");
      expect(body.message).toMatch(/^value: /);
    }
    for (const value of [0, 12.34, 1_000_000, 0.1 + 0.2, 19.99])
      expect((await post("/v1/events", { session: s, type: "converted", value }, {})).status).toBe(
        202,
      );
  });
});

describe("conversions a company's server reports", () => {
  it("count once per idempotency key with a secret key holding events:write", async () => {
    const p = await makePoster();
    const s = await personScan(p.code);
    await post("/v1/resolve", { url: `${p.url}?s=${s}` }, { "user-agent": APP });
    const key = await mintKey("secret", ["events:write"]);
    const server = { authorization: `Bearer ${key}`, "user-agent": "python-requests/2.31" };
    for (const order of ["o-1", "o-2", "o-3", "o-2"]) {
      const json = { session: s, type: "converted", value: 20, idempotency_key: order };
      expect((await post("/v1/events", json, server)).status).toBe(202);
    }
    const f = await waitForFunnel(p.id, (t) => t.converted >= 3);
    expect(f.totals).toMatchObject({ scanned: 1, app_open: 1, converted: 3 });
  });

  it("need the events:write scope: another secret key is refused, a publishable one too", async () => {
    const p = await makePoster();
    const s = await personScan(p.code);
    const json = { session: s, type: "converted", idempotency_key: "o-1" };
    const other = await mintSecretKey();
    const res = await post("/v1/events", json, { authorization: `Bearer ${other}` });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "forbidden" });
    const pk = await mintKey("publishable", ["handoffs:write"], ["https://shop.test"]);
    const web = { authorization: `Bearer ${pk}`, origin: "https://shop.test" };
    expect((await post("/v1/events", json, web)).status).toBe(403);
  });
});

describe("events against a handoff", () => {
  const E = env as unknown as Env;
  const stub = (id: string) => E.HANDOFF.get(E.HANDOFF.idFromName(id));

  it("are refused before the app redeemed it, and after its 24-hour event window", async () => {
    const key = await mintKey("secret", ["handoffs:write"]);
    const created = await call("/v1/handoffs", { method: "POST", key, json: { path: "/cart" } });
    const h = (await created.json()) as { id: string; url: string };
    const early = await post("/v1/events", { url: h.url, type: "converted" }, {});
    expect(early.status).toBe(409);

    expect((await post("/v1/resolve", { url: h.url }, { "user-agent": APP })).status).toBe(200);
    expect((await post("/v1/events", { url: h.url, type: "converted" }, {})).status).toBe(202);
    // A day later, as time passing would leave the record (the object keeps it that long).
    await runInDurableObject(stub(h.id), (_object, state) => {
      const rec = state.storage.kv.get<HandoffRecord>("handoff")!;
      rec.redeemed_at = Date.UTC(2026, 0, 1); // long before any event window of today
      state.storage.kv.put("handoff", rec);
    });
    // The object keeps its record in memory: a fresh instance reads the edited one.
    await evictDurableObject(stub(h.id));
    const late = await post("/v1/events", { url: h.url, type: "converted" }, {});
    expect(late.status).toBe(410);
    expect(((await late.json()) as { message: string }).message).toMatch(/24 hours/);
  });

  it("are refused without asking anyone when the link expired longer ago than any window", async () => {
    const h = await createHandoff(await mintSecretKey());
    const longAgo = Date.UTC(2026, 0, 1) / 1000; // an expiry long before any window of today
    const token = await signedToken(longAgo, h.id);
    const res = await post(
      "/v1/events",
      { url: `https://qr.test/h/${token}`, type: "converted" },
      {},
    );
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ error: "expired" });
  });
});
