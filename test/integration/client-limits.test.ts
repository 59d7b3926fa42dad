// Per-client budgets of the keyless endpoints, attacked as an outsider would: a flood of forged
// links from one IP, and a flood of calls. The `[[ratelimits]]` bindings are the real local ones
// from wrangler.toml (counted per key in a wall-clock window), so each burst runs until the first
// 429 and allows for one window rolling over mid-burst. Hops are captured from the Worker's own
// HOPS producer, so "nothing recorded" is checked whatever the hop store does with them.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env as testEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import worker from "../../src/index";
import { BASE, untilThrottled } from "./helpers";
import { makePoster } from "./poster-helpers";

// As configured in wrangler.toml.
const FAILURE_LIMIT = 30;
const CALL_LIMIT = 300;
const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";

/** A client address of its own (an IPv6 /64 nobody else in the run uses). */
function newClient(): string {
  const group = () => Math.floor(Math.random() * 0xffff).toString(16);
  return `2001:db8:${group()}:${group()}::${group()}`;
}

/** The Worker with a HOPS producer that keeps every row it is sent. */
function capturingWorker() {
  const rows: HopRow[] = [];
  const bindings = {
    ...(testEnv as unknown as Record<string, unknown>),
    HOPS: {
      // A request sends its hops as one `{t: "hops", rows}` message.
      send: async (body: { rows: HopRow[] }) => void rows.push(...body.rows),
    },
  };
  async function fetch(path: string, ip: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("cf-connecting-ip", ip);
    if (!headers.has("user-agent")) headers.set("user-agent", IPHONE);
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`${BASE}${path}`, { ...init, headers }),
      bindings as never,
      ctx,
    );
    await res.clone().arrayBuffer();
    await waitOnExecutionContext(ctx);
    return res;
  }
  return { fetch, rows };
}

/** Send requests until one is a 429 (at most `max`); returns the statuses before it and the 429. */
/** A forged poster code: the right shape, a MAC that cannot match. */
const forgedCode = (i: number) => `ZZ${String(i).padStart(4, "0")}0000`;

describe("forged links from one IP", () => {
  it("are held to the failure budget: 429 with Retry-After, no hop, and other clients unaffected", async () => {
    const w = capturingWorker();
    const attacker = newClient();
    const { before, throttled } = await untilThrottled(
      (i) => w.fetch(`/p/${forgedCode(i)}`, attacker),
      2 * FAILURE_LIMIT + 1,
    );
    // Every request before the 429 was a 404 with one `rejected` hop; at least a window's budget
    // went through (two when a window turned over mid-burst).
    expect(new Set(before)).toEqual(new Set([404]));
    expect(before.length).toBeGreaterThanOrEqual(FAILURE_LIMIT);
    expect(before.length).toBeLessThanOrEqual(2 * FAILURE_LIMIT);
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
    expect(before.length).toBeGreaterThanOrEqual(CALL_LIMIT);
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
