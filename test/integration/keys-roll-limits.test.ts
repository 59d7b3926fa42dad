// Through a roll's grace the old and the new key are one caller (they open each other's
// handoffs and share Idempotency-Keys), so they spend one per-client rate budget: alternating
// the two keys must not double what one client may send. Limiters as in logins-limits.test.ts:
// a window that turns over only when the test says, with wrangler.toml's budget.
import { describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../src/limits";
import { statusTally } from "./helpers";
import { mint, rolled, SHOP } from "./key-roll-helpers";
import { limitedWorker, newVerifier } from "./logins-helpers";

/** The old key's text and its successor's, rolled with a day's grace. */
async function rolledPair(json: Record<string, unknown>): Promise<[string, string]> {
  const old = await mint(json);
  return [old.key, (await rolled(old.id)).key];
}

/** Statuses of `n` calls sent all at once, the i-th with `keys[i % keys.length]`. */
const burst = async (n: number, keys: string[], send: (key: string) => Promise<Response>) =>
  (await Promise.all(Array.from({ length: n }, (_, i) => send(keys[i % keys.length]!)))).map(
    (r) => r.status,
  );

describe("a rolled key and its successor spend one rate budget", () => {
  it("publishable creates (PUBLIC_LIMITER): the budget once, whichever of the two keys sends", async () => {
    const w = limitedWorker();
    const pair = await rolledPair({
      kind: "publishable",
      scopes: ["logins:write"],
      origins: [SHOP],
    });
    const create = (key: string) =>
      w.post(
        "/v1/logins",
        { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" },
        { authorization: `Bearer ${key}`, origin: SHOP, "cf-connecting-ip": "192.0.2.231" },
      );
    expect(statusTally(await burst(RATE_LIMITS.publishable + 10, pair, create))).toEqual({
      201: RATE_LIMITS.publishable,
      429: 10,
    });
    // A key of no roll of theirs, from the same client, has its own budget.
    const other = await mint({ kind: "publishable", scopes: ["logins:write"], origins: [SHOP] });
    expect((await create(other.key)).status).toBe(201);
  });

  it("login exchanges (LOGIN_EXCHANGE_LIMITER): the budget once across the two secret keys", async () => {
    const w = limitedWorker();
    const pair = await rolledPair({ scopes: ["logins:write"] });
    const exchange = (key: string) =>
      w.post(
        "/v1/logins/exchange",
        { ticket: "NOTATICKET", code_verifier: newVerifier() },
        { authorization: `Bearer ${key}`, "cf-connecting-ip": "192.0.2.232" },
      );
    const statuses: number[] = [];
    // In rounds of 50 at once, as a busy backend would send them.
    while (statuses.length < RATE_LIMITS.loginExchange + 50) {
      statuses.push(...(await burst(50, pair, exchange)));
    }
    expect(statusTally(statuses)).toEqual({ 400: RATE_LIMITS.loginExchange, 429: 50 });
  });
});
