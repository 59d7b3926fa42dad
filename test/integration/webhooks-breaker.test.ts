// The webhook circuit breaker (store/webhook-breaker.ts): an endpoint whose receiver keeps
// failing is paused by the hourly cron after the rule's hours and failures, and not before; a
// low-volume endpoint's short outage never trips it; a success resets it; what it holds is sent
// once after the resume; a manual pause stays manual; a success racing the cron and two crons at
// once pause at most once, never silently. The receiver answers 500 (global fetch stands in for
// it), the clock is injected, and deliveries go through the Worker's own queue handler.
import { describe, expect, it, vi } from "vitest";
import { pauseFailing } from "../../src/store/webhook-breaker";
import { ADMIN_KEY, call } from "./helpers";
import { runQueue, testConfig } from "./hop-helpers";
import { breakerKit, db, HOUR, NOW } from "./webhooks-breaker-helpers";
import { capturingQueue, webhookMessages } from "./webhooks-helpers";

const { endpoint, view, patch, scans, deliver, failures, trip, cron, pausesBy, statusOf } =
  breakerKit();

describe("the webhook circuit breaker", () => {
  it("pauses a busy failing endpoint once it has failed for the rule's hours, not an hour before", async () => {
    const hook = await endpoint("busy");
    const failed = await failures(hook, 50);
    expect(await view(hook)).toMatchObject({ enabled: true, failing_since: NOW });

    // Failures go on (a failure past the count writes nothing more): not yet 6 hours.
    vi.setSystemTime(NOW + 5 * HOUR);
    await failures(hook, 5);
    expect((await cron(NOW + 6 * HOUR - 1)).endpointsPaused).toBe(0);
    expect(await view(hook)).toMatchObject({ enabled: true, paused_reason: null });

    const report = await cron(NOW + 6 * HOUR);
    expect(report.endpointsPaused).toBe(1);
    expect(await view(hook)).toMatchObject({
      enabled: false,
      paused_at: NOW + 6 * HOUR,
      paused_reason: "failing",
      failing_since: NOW,
    });
    const [entry, ...more] = await pausesBy(hook);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actor: "system", via: "system" });
    // The audit API shows it so (its schema takes `system`).
    const listed = await call(`/v1/audit-log?subject_type=webhook&subject_id=${hook}`, {
      key: ADMIN_KEY,
    });
    expect(listed.status).toBe(200);
    const { entries } = (await listed.json()) as { entries: { action: string; via: string }[] };
    expect(entries.filter((e) => e.action === "webhook.pause")).toMatchObject([{ via: "system" }]);
    expect(JSON.parse(entry!.changes).values).toMatchObject({
      enabled: false,
      paused_reason: "failing",
      failing_since: NOW,
      failures: 50,
    });
    // The next hour's run pauses nothing again and logs nothing again.
    expect((await cron(NOW + 7 * HOUR)).endpointsPaused).toBe(0);
    expect(await pausesBy(hook)).toHaveLength(1);

    // New events are held: not queued, not tried. A retry already scheduled is held when due.
    const { ids: later, queued } = await scans(hook, 3);
    expect(queued).toEqual([]);
    expect(await Promise.all(later.map(statusOf))).toEqual(["held", "held", "held"]);
    vi.setSystemTime(NOW + 8 * HOUR);
    expect(await deliver(failed.slice(0, 2), 500, 2)).toEqual([]);
    expect(await Promise.all(failed.slice(0, 2).map(statusOf))).toEqual(["held", "held"]);
    expect((await view(hook)).held).toBe(5);
  });

  it("held while paused by the breaker: sent exactly once after the resume, and the resume clears it", async () => {
    const hook = await endpoint("resume");
    await failures(hook, 50);
    await cron(NOW + 6 * HOUR);
    const { ids } = await scans(hook, 4);
    const queue = capturingQueue();
    const resumed = await patch(hook, { enabled: true }, queue);
    expect(resumed).toMatchObject({
      enabled: true,
      paused_reason: null,
      failing_since: null,
      released: 4,
    });
    const released = queue.sent.map((m) => m.id);
    expect([...released].sort()).toEqual([...ids].sort());
    // The queue delivers each twice (at least once): each is sent once.
    const sent = [...(await deliver(released, 204)), ...(await deliver(released, 204))];
    expect([...sent].sort()).toEqual([...ids].sort());
    // Healthy again: one more hour of the cron pauses nothing.
    expect(await trip(NOW + 12 * HOUR)).toEqual([]);
    expect((await view(hook)).enabled).toBe(true);
  });

  it("a low-volume endpoint whose one delivery fails all its tries is not paused", async () => {
    const hook = await endpoint("quiet");
    const { ids } = await scans(hook, 1);
    // Its 9 tries, each when due (limits.ts RETRY.webhook), all failing.
    for (let attempt = 1; attempt <= 9; attempt++) {
      const row = await db()
        .prepare("SELECT next_attempt_at FROM webhook_deliveries WHERE id = ?")
        .bind(ids[0])
        .first<{ next_attempt_at: number }>();
      vi.setSystemTime(row!.next_attempt_at);
      await deliver(ids, 500, attempt);
    }
    expect(await statusOf(ids[0]!)).toBe("failed");
    expect((await view(hook)).failing_since).toBe(NOW);
    expect(await trip(NOW + 24 * HOUR)).toEqual([]);
    expect(await view(hook)).toMatchObject({ enabled: true, paused_reason: null });
  });

  it("a success in between starts the count again", async () => {
    const hook = await endpoint("reset");
    await failures(hook, 49);
    vi.setSystemTime(NOW + HOUR);
    const { ids } = await scans(hook, 1);
    expect(await deliver(ids, 204)).toEqual(ids);
    expect((await view(hook)).failing_since).toBeNull();
    vi.setSystemTime(NOW + 2 * HOUR);
    await failures(hook, 49);
    // 98 failures since NOW, 7 hours: but 49 since the success, for 5 hours.
    expect((await cron(NOW + 7 * HOUR)).endpointsPaused).toBe(0);
    expect(await view(hook)).toMatchObject({ enabled: true, failing_since: NOW + 2 * HOUR });
    vi.setSystemTime(NOW + 7 * HOUR);
    await failures(hook, 1);
    expect((await cron(NOW + 8 * HOUR)).endpointsPaused).toBe(1);
  });

  it("a manual pause stays manual, and its resume clears the failing state", async () => {
    const hook = await endpoint("manual");
    await failures(hook, 60);
    await patch(hook, { enabled: false });
    expect(await view(hook)).toMatchObject({ paused_reason: "manual", failing_since: NOW });
    expect(await trip(NOW + 24 * HOUR)).toEqual([]);
    expect(await view(hook)).toMatchObject({ enabled: false, paused_reason: "manual" });
    expect((await pausesBy(hook)).map((r) => r.actor)).not.toContain("system");
    await patch(hook, { enabled: true });
    expect((await view(hook)).failing_since).toBeNull();
    // Cleared: the cron a day later has nothing to count on.
    expect(await trip(NOW + 48 * HOUR)).toEqual([]);
  });

  it("a success racing the cron: landed before, the endpoint runs on; in flight during it, the reason stays shown", async () => {
    const config = await testConfig();
    for (const successFirst of [true, false]) {
      vi.setSystemTime(NOW);
      const hook = await endpoint(`race-${successFirst}`);
      await failures(hook, 50);
      const { ids } = await scans(hook, 1);
      vi.setSystemTime(NOW + 6 * HOUR);
      const cron = () => pauseFailing(db(), NOW + 6 * HOUR, config.webhookBreaker);
      let paused: string[] = [];
      // The receiver answers 2xx; with `!successFirst` the cron pauses while its answer is on
      // the way (the attempt was past its hold check, as a busy day's would be).
      vi.spyOn(globalThis, "fetch").mockImplementation(async () => {
        if (!successFirst) paused = await cron();
        return new Response(null, { status: 204 });
      });
      await runQueue("qrbridge-webhooks", webhookMessages(ids));
      vi.restoreAllMocks();
      if (successFirst) paused = await cron();
      const v = await view(hook);
      if (successFirst) {
        expect(paused).toEqual([]);
        expect(v).toMatchObject({ enabled: true, failing_since: null });
      } else {
        // Paused, and it says why; the cleared failing state shows the receiver answered since.
        expect(paused).toEqual([hook]);
        expect(v).toMatchObject({ enabled: false, paused_reason: "failing", failing_since: null });
        expect(await pausesBy(hook)).toHaveLength(1);
      }
      // The attempt under way was delivered, once, either way.
      expect(await statusOf(ids[0]!)).toBe("delivered");
    }
  });

  it("two cron runs at once pause once and log once", async () => {
    const config = await testConfig();
    const hook = await endpoint("twice");
    await failures(hook, 50);
    const at = NOW + 6 * HOUR;
    const [a, b] = await Promise.all([
      pauseFailing(db(), at, config.webhookBreaker),
      pauseFailing(db(), at, config.webhookBreaker),
    ]);
    expect([...a, ...b]).toEqual([hook]);
    expect(await pausesBy(hook)).toHaveLength(1);
  });
});
