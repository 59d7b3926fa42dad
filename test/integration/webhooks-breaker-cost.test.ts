// What the webhook circuit breaker costs (store/webhook-breaker.ts): a healthy endpoint's success
// writes its endpoint nothing, a failing run writes it up to the rule's count only, the cron's
// check reads only the endpoints it may pause and writes nothing when nothing trips; and turned off, it counts
// and pauses nothing, though a success still clears a run counted before it was turned off.
import { describe, expect, it, vi } from "vitest";
import type { BridgeConfig } from "../../src/config";
import { pauseFailing } from "../../src/store/webhook-breaker";
import { dispatchDeliveries } from "../../src/store/webhook-dispatch";
import { Meter, meterEnv } from "../support/meter";
import { call } from "./helpers";
import { runQueue, testConfig, testEnv } from "./hop-helpers";
import { breakerKit, db, HOUR, NOW } from "./webhooks-breaker-helpers";
import { receiver, webhookMessages } from "./webhooks-helpers";

const { key, endpoint, view, patch, scans, failures } = breakerKit();

/** `n` new events of `hook` sent at once, without a queue, the receiver answering `status`. */
async function sendNow(hook: string, n: number, status: number, config: BridgeConfig) {
  const { ids } = await scans(hook, n);
  receiver(status);
  await dispatchDeliveries({ ...testEnv, WEBHOOKS: undefined }, config, ids);
  vi.restoreAllMocks();
}

describe("the webhook circuit breaker's cost, and its off switch", () => {
  it("turned off, it pauses nothing and counts nothing", async () => {
    const config = { ...(await testConfig()), webhookBreaker: null };
    const hook = await endpoint("off");
    await sendNow(hook, 50, 500, config);
    expect((await view(hook)).failing_since).toBeNull();
    expect(await pauseFailing(db(), NOW + 48 * HOUR, null)).toEqual([]);
    expect((await view(hook)).enabled).toBe(true);
    // The same failures with the breaker on are counted, and trip it.
    const on = await endpoint("on");
    await sendNow(on, 50, 500, await testConfig());
    expect((await view(on)).failing_since).toBe(NOW);
    expect(await pauseFailing(db(), NOW + 48 * HOUR, (await testConfig()).webhookBreaker)).toEqual([
      on,
    ]);
  });

  it("turned off after a failing run was counted, a success still clears it: on again, nothing trips", async () => {
    const hook = await endpoint("off-later");
    await sendNow(hook, 50, 500, await testConfig());
    expect((await view(hook)).failing_since).toBe(NOW);
    // The breaker turned off; the receiver is back.
    await sendNow(hook, 1, 204, { ...(await testConfig()), webhookBreaker: null });
    expect((await view(hook)).failing_since).toBeNull();
    // Turned on again days later: the endpoint that has been answering stays running.
    const on = (await testConfig()).webhookBreaker;
    expect(await pauseFailing(db(), NOW + 48 * HOUR, on)).toEqual([]);
    expect((await view(hook)).enabled).toBe(true);
  });

  it("costs a healthy endpoint's success no write to the endpoint; a failing run writes it up to the count only", async () => {
    const hook = await endpoint("cost");
    const { ids } = await scans(hook, 4);
    const written = async (id: string, status: number) => {
      const meter = new Meter();
      const seen = receiver(status);
      await runQueue("qrbridge-webhooks", webhookMessages([id]), meterEnv(testEnv, meter, "w"));
      vi.restoreAllMocks();
      expect(seen).toHaveLength(1);
      return meter.snapshot()["w:d1.rows_written"] ?? 0;
    };
    const healthy = await written(ids[0]!, 204);
    // The attempt's log row and the delivery's move to `delivered` (with its index entries): the
    // 4 rows docs/performance.md counts for a delivery's consumer, as before the breaker.
    expect(healthy).toBe(4);
    // A run's first failure writes the endpoint and its entry in the breaker's index (0026); the
    // next ones the endpoint only.
    expect(await written(ids[1]!, 500)).toBe(healthy + 2);
    expect(await written(ids[2]!, 500)).toBe(healthy + 1);
    // A success after failures clears the endpoint: one row more than a healthy success.
    expect(await written(ids[3]!, 204)).toBe(healthy + 1);
    // Past the count, a failure writes the endpoint no more.
    await failures(hook, 50);
    const { ids: more } = await scans(hook, 1);
    expect(await written(more[0]!, 500)).toBe(healthy);
  });

  it("the cron's check reads only what it may pause: deleted, paused and healthy endpoints add no row read", async () => {
    const rule = (await testConfig()).webhookBreaker;
    const later = NOW + 48 * HOUR;
    const check = async () => {
      const meter = new Meter();
      expect(await pauseFailing(meterEnv(testEnv, meter, "c").DB, later, rule)).toEqual([]);
      return meter.snapshot();
    };
    const before = await check();
    // One batch of two statements, nothing written.
    expect([before["c:d1.batch"], before["c:d1.query"]]).toEqual([1, 2]);
    expect(before["c:d1.rows_written"] ?? 0).toBe(0);
    // Endpoints the check can never pause: deleted ones with a failing run, a paused one, and
    // healthy ones. Before the index, each added a row read to both statements.
    const gone: string[] = [];
    for (let i = 0; i < 3; i++) {
      const hook = await endpoint(`read-deleted-${i}`);
      await failures(hook, 1);
      gone.push(hook);
    }
    for (const hook of gone) await call(`/v1/webhooks/${hook}`, { method: "DELETE", key: key() });
    await patch(await endpoint("read-paused"), { enabled: false });
    await endpoint("read-healthy-1");
    await endpoint("read-healthy-2");
    expect((await check())["c:d1.rows_read"] ?? 0).toBe(before["c:d1.rows_read"] ?? 0);
    // Endpoints in a failing run (short of the count) are what the check reads (D1 counts a
    // range's rows past its first).
    await failures(await endpoint("read-failing-1"), 1);
    await failures(await endpoint("read-failing-2"), 1);
    expect((await check())["c:d1.rows_read"] ?? 0).toBeGreaterThan(before["c:d1.rows_read"] ?? 0);
  });
});
