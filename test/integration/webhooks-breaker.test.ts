// The webhook circuit breaker (store/webhook-breaker.ts): an endpoint whose receiver keeps
// failing is paused by the hourly cron after the rule's hours and failures, and not before; a
// low-volume endpoint's short outage never trips it; a success resets it; what it holds is sent
// once after the resume; a manual pause stays manual; a success racing the cron and two crons at
// once pause at most once, never silently. The receiver answers 500 (global fetch stands in for
// it), the clock is injected, and deliveries go through the Worker's own queue handler.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runMaintenance } from "../../src/store/maintenance";
import { pauseFailing } from "../../src/store/webhook-breaker";
import { dispatchDeliveries } from "../../src/store/webhook-delivery";
import { Meter, meterEnv } from "../support/meter";
import { call } from "./helpers";
import { hopMessages, hopRow, runQueue, testConfig, testEnv } from "./hop-helpers";
import {
  capturingQueue,
  patchWebhookVia,
  receiver,
  registerWebhook,
  webhookKeyForFile,
  webhookMessages,
} from "./webhooks-helpers";

const key = webhookKeyForFile();
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 7, 12);
const db = () => testEnv.DB;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});
afterEach(async () => {
  vi.useRealTimers();
  // Each test's endpoints go: no later test's scans (or cron) reach them.
  for (const id of hooks.splice(0))
    await call(`/v1/webhooks/${id}`, { method: "DELETE", key: key() });
});

const hooks: string[] = [];
let seq = 0;

interface View {
  enabled: boolean;
  paused_at: number | null;
  paused_reason: "manual" | "failing" | null;
  failing_since: number | null;
  held: number;
}

async function endpoint(label: string): Promise<string> {
  const hook = await registerWebhook(
    key(),
    ["poster.scanned"],
    `https://hooks.example.com/${label}`,
  );
  hooks.push(hook.id);
  return hook.id;
}

async function view(id: string): Promise<View> {
  const res = await call(`/v1/webhooks/${id}`, { key: key() });
  expect(res.status).toBe(200);
  return (await res.json()) as View;
}

const patch = (id: string, json: unknown, queue = capturingQueue()) =>
  patchWebhookVia(queue.env, key(), id, json) as unknown as Promise<View & { released?: number }>;

/** `n` scans counted now; the ids of `hook`'s deliveries, and those the writer queued. */
async function scans(hook: string, n: number) {
  const rows = Array.from({ length: n }, () =>
    hopRow({ kind: "poster", subject_id: `P-brk-${++seq}`, hop: "scanned" }, Date.now()),
  );
  const queue = capturingQueue();
  await runQueue("qrbridge-hops", hopMessages(rows), queue.env);
  const ids = rows.map((r) => `whd_${hook.slice(4)}_${r.event_id}`);
  return { ids, queued: queue.sent.map((m) => m.id).filter((id) => ids.includes(id)) };
}

/** Deliver `ids` through the Worker's webhook consumer now, with the receiver answering `status`. */
async function deliver(ids: string[], status: number, attempts = 1) {
  const seen = receiver(status);
  await runQueue("qrbridge-webhooks", webhookMessages(ids, attempts));
  vi.restoreAllMocks();
  return seen.map((s) => s.headers.get("webhook-id"));
}

/** `n` failed attempts of `hook`'s receiver now: one each of `n` new deliveries. */
async function failures(hook: string, n: number): Promise<string[]> {
  const { ids } = await scans(hook, n);
  await deliver(ids, 500);
  return ids;
}

/**
 * The breaker's step of the cron alone at `at` (a later day's whole cron would fold today's
 * rollups, which other files on this storage still write): the endpoints it paused.
 */
const trip = async (at: number) => {
  vi.setSystemTime(at);
  return pauseFailing(db(), at, (await testConfig()).webhookBreaker);
};

/** The hourly cron at `at` (today), its pushes recorded, not sent. */
const cron = async (at: number) => {
  vi.setSystemTime(at);
  return runMaintenance(capturingQueue().env, await testConfig(), at);
};

const pausesBy = async (hook: string) =>
  (
    await db()
      .prepare(
        "SELECT actor, via, changes FROM audit_log WHERE subject_id = ? AND action = 'webhook.pause' ORDER BY id",
      )
      .bind(hook)
      .all<{ actor: string; via: string; changes: string }>()
  ).results;

const statusOf = async (id: string) =>
  (
    await db()
      .prepare("SELECT status FROM webhook_deliveries WHERE id = ?")
      .bind(id)
      .first<{ status: string }>()
  )?.status;

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
    expect(entry).toMatchObject({ actor: "system", via: "api" });
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

  it("turned off, it pauses nothing and counts nothing", async () => {
    const config = { ...(await testConfig()), webhookBreaker: null };
    const hook = await endpoint("off");
    const { ids } = await scans(hook, 50);
    receiver(500);
    await dispatchDeliveries({ ...testEnv, WEBHOOKS: undefined }, config, ids);
    vi.restoreAllMocks();
    expect((await view(hook)).failing_since).toBeNull();
    expect(await pauseFailing(db(), NOW + 48 * HOUR, null)).toEqual([]);
    expect((await view(hook)).enabled).toBe(true);
    // The same failures with the breaker on are counted, and trip it.
    const on = await endpoint("on");
    const again = await scans(on, 50);
    receiver(500);
    await dispatchDeliveries({ ...testEnv, WEBHOOKS: undefined }, await testConfig(), again.ids);
    vi.restoreAllMocks();
    expect((await view(on)).failing_since).toBe(NOW);
    expect(await pauseFailing(db(), NOW + 48 * HOUR, (await testConfig()).webhookBreaker)).toEqual([
      on,
    ]);
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
