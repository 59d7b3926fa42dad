// Red team, from the soak (bench/soak.mjs): a shop's server reporting its orders with a secret
// key (`POST /v1/events`, `events:write`, one idempotency key per order) was held to the
// per-address budget of the keyless callers (`CLIENT_LIMITER`, 300 a minute): past it, its
// conversions were refused with 429 and counted nowhere. The budget is for keyless callers;
// a key is accountable by itself. Keyless callers, and calls with a key that is not valid,
// still spend it.
import { describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../src/limits";
import { BASE, hopCapturingWorker, mintKey, windowedLimiter } from "./helpers";
import { IPHONE, makePoster } from "./poster-helpers";

const CALL_LIMIT = RATE_LIMITS.client;
const SHOP_SERVER = "203.0.113.77";

describe("redteam soak: a busy shop's server reporting conversions", () => {
  it("every order it reports counts, past the keyless callers' budget; an app on one address is still held to it", async () => {
    const { send, rows } = hopCapturingWorker({ CLIENT_LIMITER: windowedLimiter(CALL_LIMIT) });
    const events = (ip: string, body: object, key?: string) =>
      send(
        new Request(`${BASE}/v1/events`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "cf-connecting-ip": ip,
            ...(key ? { authorization: `Bearer ${key}` } : {}),
          },
          body: JSON.stringify(body),
        }),
      );
    const key = await mintKey("secret", ["events:write"]);
    const p = await makePoster();
    const page = await send(
      new Request(`${BASE}/p/${p.code}`, {
        headers: { "user-agent": IPHONE, "cf-connecting-ip": "198.18.7.1" },
      }),
    );
    const session = /[?&]s=([0-9A-Z]{42})/.exec(await page.text())![1]!;

    const orders = CALL_LIMIT + 20;
    const statuses: number[] = [];
    for (let i = 0; i < orders; i++) {
      const body = { session, type: "converted", value: 30, idempotency_key: `order-${i}` };
      statuses.push((await events(SHOP_SERVER, body, key)).status);
    }
    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    const converted = rows.filter((r) => r.hop === "converted" && r.session_id !== null);
    expect(converted).toHaveLength(orders);

    // A key that is not valid, from the same address: refused, and it spends the budget.
    const forged = await events("203.0.113.78", { session, type: "converted" }, "qb_sk_forged");
    expect(forged.status).toBe(401);

    // The app, keyless, from one address: held to the budget as before.
    const app: number[] = [];
    for (let i = 0; i <= CALL_LIMIT; i++)
      app.push((await events("198.18.7.2", { session, type: "app_open" })).status);
    expect(app.slice(0, CALL_LIMIT).every((s) => s === 202)).toBe(true);
    expect(app[CALL_LIMIT]).toBe(429);
  });
});
