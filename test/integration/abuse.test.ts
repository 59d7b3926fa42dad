// Abuse from outside, attacked as an outsider would: floods held to per-client budgets. (Scripts
// that try to inflate the numbers a business reads: abuse-inflation.test.ts.)
import { describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../src/limits";
import { BASE, hopCapturingWorker, untilThrottled, windowedLimiter } from "./helpers";
import { makePoster } from "./poster-helpers";

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
