// What the webhook circuit breaker costs (store/webhook-breaker.ts): a healthy endpoint's success
// writes its endpoint nothing, a failing run writes it up to the rule's count only, the cron's
// check reads the endpoints table and writes nothing when nothing trips; and turned off, it counts
// and pauses nothing, though a success still clears a run counted before it was turned off.
import { describe, expect, it, vi } from "vitest";
import type { BridgeConfig } from "../../src/config";
import { pauseFailing } from "../../src/store/webhook-breaker";
import { dispatchDeliveries } from "../../src/store/webhook-delivery";
import { Meter, meterEnv } from "../support/meter";
import { runQueue, testConfig, testEnv } from "./hop-helpers";
import { breakerKit, db, HOUR, NOW } from "./webhooks-breaker-helpers";
import { receiver, webhookMessages } from "./webhooks-helpers";

const { endpoint, view, scans, failures } = breakerKit();

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
    const { ids } = await scans(hook, 3);
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
    const firstFailure = await written(ids[1]!, 500);
    // A success after failures clears the endpoint: one row more than a healthy success.
    const recovery = await written(ids[2]!, 204);
    expect(recovery).toBe(healthy + 1);
    // A failure writes the endpoint (one row) besides its delivery and attempt.
    expect(firstFailure).toBeGreaterThan(healthy);
    // Past the count, a failure writes the endpoint no more.
    await failures(hook, 50);
    const { ids: more } = await scans(hook, 1);
    const past = await written(more[0]!, 500);
    expect(past).toBe(firstFailure - 1);
    // The cron's check with nothing to pause: one batch of two statements, each a scan of the
    // endpoints table (a row each, active or deleted, and one more), nothing written.
    const meter = new Meter();
    const endpoints = await db()
      .prepare("SELECT COUNT(*) AS n FROM webhook_endpoints")
      .first<{ n: number }>();
    const config = await testConfig();
    expect(
      await pauseFailing(meterEnv(testEnv, meter, "c").DB, NOW, config.webhookBreaker),
    ).toEqual([]);
    const idle = meter.snapshot();
    expect(idle["c:d1.batch"]).toBe(1);
    expect(idle["c:d1.query"]).toBe(2);
    expect(idle["c:d1.rows_written"] ?? 0).toBe(0);
    expect(idle["c:d1.rows_read"]).toBeLessThanOrEqual(2 * (endpoints!.n + 1));
  });
});
