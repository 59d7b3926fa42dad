// A paused endpoint holds its deliveries within bounds: past the hold window, or the oldest over
// the cap, they are marked `expired` by the hourly cron, counted on the endpoint, listed in the
// log, and never sent; a resume sends what was kept, each once. Attacked as a busy day would: a
// cap far over, a run's bound, stale queue messages after expiry (races and the step's cost:
// webhooks-hold-cron.test.ts). On fresh storage: the cron acts on every paused endpoint, so its
// reports are this file's.
import { describe, expect, it } from "vitest";
import { HOLD_LIMITS, type HoldLimits } from "../../src/core/webhook-hold-limits";
import { runMaintenance } from "../../src/store/maintenance";
import { expireHeld } from "../../src/store/webhook-hold-expiry";
import { Meter, meterEnv } from "../support/meter";
import { BASE, call, runToEnd } from "./helpers";
import { runQueue, testConfig, testEnv } from "./hop-helpers";
import { capturingQueue, receiver, webhookKeyForFile, webhookMessages } from "./webhooks-helpers";
import { DAY, db, HOUR, holdKit, rowOf, statuses } from "./webhooks-hold-helpers";

const key = webhookKeyForFile();
const { patch, view, pausedHolding } = holdKit(key);

describe("a pause's bounds", () => {
  it("the cron marks deliveries held past the window expired; the resume sends only the kept ones, each once", async () => {
    const now = Date.now();
    // Ages: 7 days and a minute, 3 days, an hour.
    const { hook, ids, created } = await pausedHolding(
      "window",
      [7 * DAY + 60_000, 3 * DAY, HOUR],
      now,
    );
    const [old, mid, recent] = ids as [string, string, string];
    const config = await testConfig();
    expect(await view(hook)).toMatchObject({ held: 3, hold_expired: null });

    // Two minutes earlier the oldest was still inside the window: nothing expired.
    const early = await runMaintenance(capturingQueue().env, config, now - 2 * 60_000);
    expect(early.heldExpired).toBe(0);
    expect(await statuses(ids)).toEqual(["held", "held", "held"]);

    const run = await runMaintenance(capturingQueue().env, config, now);
    expect(run.heldExpired).toBe(1);
    expect(run.heldExpiryPending).toBe(false);
    expect(await rowOf(old)).toEqual({
      status: "expired",
      last_error: "not kept while paused: held over 7 days",
      next_attempt_at: null,
    });
    expect(await statuses([mid, recent])).toEqual(["held", "held"]);
    expect(await view(hook)).toMatchObject({
      held: 2,
      hold_expired: { count: 1, from: created[0], to: created[0] },
    });
    // The log lists it as expired, no tries left and no due time.
    const log = await call(`/v1/webhooks/${hook}/deliveries?status=expired`, { key: key() });
    const listed = ((await log.json()) as { deliveries: Record<string, unknown>[] }).deliveries;
    expect(listed).toEqual([
      expect.objectContaining({
        id: old,
        status: "expired",
        attempts_left: 0,
        next_attempt_at: null,
      }),
    ]);
    // The same run again marks nothing twice.
    expect((await runMaintenance(capturingQueue().env, config, now)).heldExpired).toBe(0);
    expect((await view(hook)).hold_expired?.count).toBe(1);

    // Four days on, the 3-day-old one is past the window too.
    expect(
      (await runMaintenance(capturingQueue().env, config, now + 4 * DAY + HOUR)).heldExpired,
    ).toBe(1);
    expect(await view(hook)).toMatchObject({
      held: 1,
      hold_expired: { count: 2, from: created[0], to: created[1] },
    });

    // Resumed: only the kept one is released and queued, once; the counts stay for the user.
    const resumed = capturingQueue();
    const answer = await patch(resumed.env, hook, { enabled: true });
    expect(answer).toMatchObject({ enabled: true, released: 1, hold_expired: { count: 2 } });
    expect(resumed.sent.map((m) => m.id)).toEqual([recent]);
    // Stale messages of the expired ones, and the kept one's: only the kept one is sent.
    const seen = receiver(204);
    await runQueue("qrbridge-webhooks", webhookMessages([recent, old, mid]));
    await runQueue("qrbridge-webhooks", webhookMessages([old, mid, recent], 2));
    expect(seen.map((s) => s.headers.get("webhook-id"))).toEqual([recent]);
    expect(await statuses(ids)).toEqual(["expired", "expired", "delivered"]);
    expect(await view(hook)).toMatchObject({ held: 0, hold_expired: { count: 2 } });
    // One not kept can still be sent on purpose, once resumed: "Retry now".
    const retried = capturingQueue();
    const retry = await runToEnd(retried.env as unknown as Record<string, unknown>)(
      new Request(`${BASE}/v1/webhooks/${hook}/deliveries/${old}/retry`, {
        method: "POST",
        headers: { authorization: `Bearer ${key()}` },
      }),
    );
    expect(retry.status).toBe(202);
    expect(retried.sent.map((m) => m.id)).toEqual([old]);

    // A new pause counts afresh.
    const again = await patch(capturingQueue().env, hook, { enabled: false });
    expect(again.hold_expired).toBeNull();
  });

  it("the cap: the oldest over it are expired, exactly enough, and a second run marks none", async () => {
    const now = Date.now();
    const ages = Array.from({ length: 12 }, (_, i) => (12 - i) * 60_000); // oldest first
    const { hook, ids, created } = await pausedHolding("cap", ages, now);
    const limits: HoldLimits = { ...HOLD_LIMITS, maxHeld: 5, chunk: 3 };
    expect(await expireHeld(db(), now, limits)).toEqual({ expired: 7, more: false });
    expect(await statuses(ids)).toEqual([...Array(7).fill("expired"), ...Array(5).fill("held")]);
    expect((await rowOf(ids[0]!))!.last_error).toBe("not kept while paused: over 5 held");
    expect(await view(hook)).toMatchObject({
      held: 5,
      hold_expired: { count: 7, from: created[0], to: created[6] },
    });
    expect(await expireHeld(db(), now, limits)).toEqual({ expired: 0, more: false });
  });

  it("a run's bound holds: the rest waits for the next run, oldest pause first", async () => {
    const now = Date.now();
    const old = Array.from({ length: 6 }, (_, i) => 8 * DAY + i * 60_000);
    const first = await pausedHolding("bound-a", old, now);
    const second = await pausedHolding("bound-b", old, now);
    const limits: HoldLimits = { ...HOLD_LIMITS, perRun: 5, chunk: 2 };
    const meter = new Meter();
    const metered = meterEnv(testEnv, meter, "cron");
    expect(await expireHeld(metered.DB, now, limits)).toEqual({ expired: 5, more: true });
    expect((await view(first.hook)).held).toBe(1);
    expect((await view(second.hook)).held).toBe(6);
    // Chunks of 2: 3 of them for 5, each a read of its ids and one batch.
    expect(meter.snapshot()["cron:d1.batch"]).toBe(3);
    expect(await expireHeld(db(), now, limits)).toEqual({ expired: 5, more: true });
    expect(await expireHeld(db(), now, limits)).toEqual({ expired: 2, more: false });
    for (const h of [first, second])
      expect(await view(h.hook)).toMatchObject({ held: 0, hold_expired: { count: 6 } });
  });

  it("an endpoint resumed with deliveries still held is not expired: the cron releases them", async () => {
    const now = Date.now();
    const { hook, ids } = await pausedHolding("resumed", [40 * DAY], now);
    // A resume that stopped before releasing (as a failed request would leave it).
    await db()
      .prepare("UPDATE webhook_endpoints SET paused_at = NULL WHERE id = ?")
      .bind(hook)
      .run();
    const cron = capturingQueue();
    const report = await runMaintenance(cron.env, await testConfig(), now);
    expect(report.heldExpired).toBe(0);
    expect(cron.sent.map((m) => m.id)).toContain(ids[0]);
    expect((await rowOf(ids[0]!))!.status).toBe("pending");
  });
});
