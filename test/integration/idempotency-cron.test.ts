// Idempotency-Key retention: answers replay for 24 h, then the hourly cron deletes them. On fresh
// storage (vitest.config.ts FRESH_STORAGE): the cron runs at a later clock and deletes other
// files' old rows too.
import { afterEach, describe, expect, it, vi } from "vitest";
import { IDEMPOTENCY_RETAIN_MS, idempotencyScope } from "../../src/core/idempotency";
import { runMaintenance } from "../../src/store/maintenance";
import { mintKey } from "./helpers";
import { testConfig, testEnv } from "./hop-helpers";
import { db, keyIdOf, post, postersNamed, unique } from "./idempotency-helpers";

afterEach(() => vi.useRealTimers());

describe("retention", () => {
  it("replays for 24 h; the cron then deletes the key, and the value creates anew", async () => {
    const key = await mintKey("secret", ["posters:write"]);
    const name = unique("expiry");
    const t0 = Date.parse("2031-02-01T00:00:00Z");
    vi.useFakeTimers({ toFake: ["Date"], now: t0 });
    expect((await post("/v1/posters", key, { name, path: "/a" }, "day-1")).status).toBe(201);
    vi.setSystemTime(t0 + IDEMPOTENCY_RETAIN_MS - 1);
    const late = await post("/v1/posters", key, { name, path: "/a" }, "day-1");
    expect(late.headers.get("idempotent-replayed")).toBe("true");
    const scope = await idempotencyScope(await keyIdOf(key), "day-1");
    const held = () =>
      db
        .prepare("SELECT COUNT(*) AS n FROM idempotency_keys WHERE scope = ?")
        .bind(scope)
        .first<{ n: number }>();
    const early = await runMaintenance(testEnv, await testConfig(), t0 + IDEMPOTENCY_RETAIN_MS - 1);
    expect(early.failedSteps).not.toContain("idempotency");
    expect((await held())!.n).toBe(1);
    const report = await runMaintenance(testEnv, await testConfig(), t0 + IDEMPOTENCY_RETAIN_MS);
    expect(report.idempotencyDeleted).toBeGreaterThanOrEqual(1);
    expect((await held())!.n).toBe(0);
    vi.setSystemTime(t0 + IDEMPOTENCY_RETAIN_MS + 1);
    const fresh = await post("/v1/posters", key, { name, path: "/a" }, "day-1");
    expect(fresh.status).toBe(201);
    expect(fresh.headers.get("idempotent-replayed")).toBeNull();
    expect(await postersNamed(name)).toBe(2);
  });
});
