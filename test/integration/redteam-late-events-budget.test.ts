// POST /v1/events skips the keyless per-address budget for a secret key holding events:write.
// Attacked as a script would: bearers that are not such a key (random `qb_sk_…`, publishable,
// another scope, revoked, another product's format) must still spend the budget and meet 429,
// and a flood of made-up keys must not cost a D1 read per throttled request. Each test runs the
// real Worker with a limiter whose window turns over only when the test says, and a metered env.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../src/limits";
import { Meter, meterEnv } from "../support/meter";
import { count } from "./budget-helpers";
import { BASE, call, mintKey, runToEnd, statusTally, windowedLimiter } from "./helpers";
import { makePoster, scannedSession } from "./poster-helpers";

const APP = "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0";
const BUDGET = RATE_LIMITS.client;
const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
let session = "";
/** Where this run's addresses start: the isolate remembers key guessers for a window. */
let ipSeq = crypto.getRandomValues(new Uint8Array(1))[0]! * 256;

/** A made-up secret key of the real shape: `qb_sk_` and 32 random letters and digits. */
function randomSecretKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `qb_sk_${[...bytes].map((b) => ALNUM[b % ALNUM.length]).join("")}`;
}

/** The Worker with a fresh call budget and a meter, as one client address sees it. */
function worker() {
  const meter = new Meter();
  const limiter = windowedLimiter(BUDGET);
  const bindings = meterEnv(
    {
      ...(env as unknown as Record<string, unknown>),
      CLIENT_LIMITER: limiter,
      FAILURE_LIMITER: windowedLimiter(RATE_LIMITS.failures),
    },
    meter,
    "request",
  );
  const send = runToEnd(bindings);
  const ip = `2001:db8:${(++ipSeq).toString(16)}::1`;
  const post = (bearer: string | null, json: unknown = { session, type: "converted" }) =>
    send(
      new Request(`${BASE}/v1/events`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": APP,
          "cf-connecting-ip": ip,
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body: JSON.stringify(json),
      }),
    );
  return { meter, limiter, post };
}

/** Send `n` events with `bearer(i)`; the tally of statuses and the D1 queries they made. */
async function flood(
  w: ReturnType<typeof worker>,
  n: number,
  bearer: (i: number) => string | null,
) {
  w.meter.reset();
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await w.post(bearer(i))).status);
  return { tally: statusTally(statuses), d1: count(w.meter.snapshot(), "d1.query") };
}

beforeAll(async () => {
  const p = await makePoster();
  session = await scannedSession(p.code);
});

describe("POST /v1/events: who skips the per-address budget", () => {
  it("1,000 made-up qb_sk_ keys: the budget's worth answered 401, the rest 429, no D1 read once throttled", async () => {
    const w = worker();
    const { tally, d1 } = await flood(w, 1000, () => randomSecretKey());
    expect(tally).toEqual({ 401: BUDGET, 429: 1000 - BUDGET });
    // Before the budget skip a throttled call read nothing, and each budgeted one read its key
    // once; the skip adds the lookups of the made-up keys the failures budget allows, no more.
    // (Before the fix: 1,000, one per call, throttled or not.)
    expect(d1).toBeLessThanOrEqual(BUDGET + RATE_LIMITS.failures + 1);
  });

  it("the same made-up key sent 1,000 times costs one D1 read, and is still budgeted", async () => {
    const w = worker();
    const fake = randomSecretKey();
    const { tally, d1 } = await flood(w, 1000, () => fake);
    expect(tally).toEqual({ 401: BUDGET, 429: 1000 - BUDGET });
    expect(d1).toBeLessThanOrEqual(1);
  });

  it("a publishable key, a secret key without the scope, another product's key: budgeted like no key", async () => {
    const pk = await mintKey("publishable", ["handoffs:write"], ["https://shop.test"]);
    const noScope = await mintKey("secret", ["stats:read", "posters:write"]);
    const bearers = [
      pk,
      noScope,
      "sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUv",
      "qb_sk_",
      "x".repeat(4000),
    ];
    for (const bearer of bearers) {
      const w = worker();
      const { tally } = await flood(w, BUDGET + 5, () => bearer);
      const refused = Object.keys(tally).filter((s) => s !== "429");
      expect(refused, bearer.slice(0, 20)).toHaveLength(1);
      expect(Number(refused[0])).toBeGreaterThanOrEqual(400);
      expect(Number(refused[0])).toBeLessThan(500);
      expect(tally[429], bearer.slice(0, 20)).toBe(5);
    }
  });

  it("a revoked events:write key is budgeted again at once, in the isolate that revoked it", async () => {
    const key = await mintKey("secret", ["events:write"]);
    const w = worker();
    // While valid: past the budget, every order is taken and none spends the address's budget.
    const valid = await flood(w, BUDGET + 20, () => key);
    expect(valid.tally).toEqual({ 202: BUDGET + 20 });
    const admin = { key: (env as unknown as { QB_ADMIN_KEY: string }).QB_ADMIN_KEY };
    const list = await call("/v1/keys", admin);
    const { keys } = (await list.json()) as { keys: { id: string; prefix: string }[] };
    const id = keys.find((k) => key.startsWith(k.prefix))!.id;
    const revoked = await call(`/v1/keys/${id}`, { ...admin, method: "DELETE" });
    expect(revoked.status).toBeLessThan(300);
    const after = await flood(w, BUDGET + 5, () => key);
    expect(after.tally).toEqual({ 401: BUDGET, 429: 5 });
  });

  it("a valid key's calls leave the keyless budget whole for the address's apps", async () => {
    const key = await mintKey("secret", ["events:write"]);
    const w = worker();
    const server = await flood(w, 50, () => key);
    expect(server.tally).toEqual({ 202: 50 });
    const apps = await flood(w, BUDGET + 1, () => null);
    expect(apps.tally).toEqual({ 202: BUDGET, 429: 1 });
  });

  it("an address that sent made-up keys past the failures budget: its valid key spends the calls budget for the window", async () => {
    const key = await mintKey("secret", ["events:write"]);
    const w = worker();
    const guesses = await flood(w, RATE_LIMITS.failures + 1, () => randomSecretKey());
    expect(guesses.tally).toEqual({ 401: RATE_LIMITS.failures + 1 });
    // Still taken as the server's (counted per idempotency key), but no longer exempt.
    const orders = await flood(w, BUDGET, () => key);
    expect(orders.tally).toEqual({
      202: BUDGET - RATE_LIMITS.failures - 1,
      429: RATE_LIMITS.failures + 1,
    });
    // The route reads the key once, then remembers it; its first use notes last_used_at once.
    expect(orders.d1).toBe(2);
  });
});
