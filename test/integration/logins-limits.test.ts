// QR login rate limits, counted exactly: each limiter is replaced by one whose window turns over
// only when the test says (helpers.ts `windowedLimiter`), with the budget wrangler.toml gives
// the real binding (test/unit/limits.test.ts ties the two), so a burst gets exactly its budget
// through, whatever the clock does while the test runs.
import { describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../src/limits";
import { ANDROID_APP_UA } from "./handoffs-helpers";
import { mintKey, mintSecretKey, statusTally } from "./helpers";
import { limitedWorker, newVerifier } from "./logins-helpers";

const ORIGIN = "https://shop.example";

/** Statuses of `n` calls sent all at once. */
const burst = async (n: number, send: () => Promise<Response>) =>
  (await Promise.all(Array.from({ length: n }, send))).map((r) => r.status);

describe("QR login rate limits", () => {
  it("scans are limited per client IP (LOGIN_LIMITER): exactly the budget a window, others unaffected", async () => {
    const w = limitedWorker();
    const scanFrom = (ip: string) => () =>
      w.post(
        "/v1/logins/scan",
        { url: "https://qr.test/l/NOTATOKEN" },
        { "user-agent": ANDROID_APP_UA, "cf-connecting-ip": ip },
      );
    const statuses = await burst(RATE_LIMITS.login + 10, scanFrom("192.0.2.201"));
    expect(statusTally(statuses)).toEqual({ 400: RATE_LIMITS.login, 429: 10 });
    const refused = await scanFrom("192.0.2.201")();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe(String(RATE_LIMITS.periodSeconds));
    // Another address has its own budget; the next window gives the first one its budget again.
    expect((await scanFrom("192.0.2.202")()).status).toBe(400);
    w.LOGIN_LIMITER.nextWindow();
    expect(statusTally(await burst(RATE_LIMITS.login + 1, scanFrom("192.0.2.201")))).toEqual({
      400: RATE_LIMITS.login,
      429: 1,
    });
  });

  it("creates with a publishable key are limited per key and IP (PUBLIC_LIMITER)", async () => {
    const w = limitedWorker();
    const pk = await mintKey("publishable", ["logins:write"], [ORIGIN]);
    const create = (ip: string) => () =>
      w.post(
        "/v1/logins",
        { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" },
        { authorization: `Bearer ${pk}`, origin: ORIGIN, "cf-connecting-ip": ip },
      );
    expect(statusTally(await burst(RATE_LIMITS.publishable + 5, create("192.0.2.203")))).toEqual({
      201: RATE_LIMITS.publishable,
      429: 5,
    });
    const refused = await create("192.0.2.203")();
    expect(refused.headers.get("retry-after")).toBe(String(RATE_LIMITS.periodSeconds));
    expect(await refused.json()).toMatchObject({
      error: "rate_limited",
      details: { retry_after: RATE_LIMITS.periodSeconds },
    });
    expect((await create("192.0.2.213")()).status).toBe(201);
  });

  it("exchanges are limited per key and IP (LOGIN_EXCHANGE_LIMITER), a secret key's budget not another's", async () => {
    const w = limitedWorker();
    const [backend, other] = [await mintSecretKey(), await mintSecretKey()];
    const exchangeWith = (key: string) => () =>
      w.post(
        "/v1/logins/exchange",
        { ticket: "NOTATICKET", code_verifier: newVerifier() },
        { authorization: `Bearer ${key}`, "cf-connecting-ip": "192.0.2.204" },
      );
    const statuses: number[] = [];
    // In rounds of 50 at once, as a busy backend would send them.
    while (statuses.length < RATE_LIMITS.loginExchange + 50) {
      statuses.push(...(await burst(50, exchangeWith(backend))));
    }
    expect(statusTally(statuses)).toEqual({ 400: RATE_LIMITS.loginExchange, 429: 50 });
    expect((await exchangeWith(other)()).status).toBe(400);
  });

  // One subscriber holds a whole IPv6 /64 and can send each request from a fresh address in it:
  // every login budget keys such a client by its /64, as the keyless endpoints' do.
  describe("an IPv6 client is one client across its /64", () => {
    let next = 0;
    /** A fresh address in 2001:db8:64:<net>::/64 at each call. */
    const addressIn = (net: number) => () => `2001:db8:64:${net}::${(++next).toString(16)}`;

    it("scans (LOGIN_LIMITER)", async () => {
      const w = limitedWorker();
      const scanFrom = (ip: () => string) => () =>
        w.post(
          "/v1/logins/scan",
          { url: "https://qr.test/l/NOTATOKEN" },
          { "user-agent": ANDROID_APP_UA, "cf-connecting-ip": ip() },
        );
      expect(statusTally(await burst(RATE_LIMITS.login + 10, scanFrom(addressIn(1))))).toEqual({
        400: RATE_LIMITS.login,
        429: 10,
      });
      // The next /64 is another client.
      expect((await scanFrom(addressIn(2))()).status).toBe(400);
    });

    it("creates with a publishable key (PUBLIC_LIMITER)", async () => {
      const w = limitedWorker();
      const pk = await mintKey("publishable", ["logins:write"], [ORIGIN]);
      const create = (ip: () => string) => () =>
        w.post(
          "/v1/logins",
          { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" },
          { authorization: `Bearer ${pk}`, origin: ORIGIN, "cf-connecting-ip": ip() },
        );
      expect(statusTally(await burst(RATE_LIMITS.publishable + 5, create(addressIn(3))))).toEqual({
        201: RATE_LIMITS.publishable,
        429: 5,
      });
      expect((await create(addressIn(4))()).status).toBe(201);
    });

    it("exchanges (LOGIN_EXCHANGE_LIMITER)", async () => {
      const w = limitedWorker();
      const backend = await mintSecretKey();
      const exchangeFrom = (ip: () => string) => () =>
        w.post(
          "/v1/logins/exchange",
          { ticket: "NOTATICKET", code_verifier: newVerifier() },
          { authorization: `Bearer ${backend}`, "cf-connecting-ip": ip() },
        );
      const statuses: number[] = [];
      while (statuses.length < RATE_LIMITS.loginExchange + 50) {
        statuses.push(...(await burst(50, exchangeFrom(addressIn(5)))));
      }
      expect(statusTally(statuses)).toEqual({ 400: RATE_LIMITS.loginExchange, 429: 50 });
      expect((await exchangeFrom(addressIn(6))()).status).toBe(400);
    });
  });
});
