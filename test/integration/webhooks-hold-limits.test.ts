// A paused endpoint holds its deliveries within bounds: past the hold window, or the oldest over
// the cap, they are marked `expired` by the hourly cron, counted on the endpoint, listed in the
// log, and never sent; a resume sends what was kept, each once. Attacked as a busy day would: a
// cap far over, a run's bound, a cron and a resume at once, stale queue messages after expiry.
// On fresh storage: the cron acts on every paused endpoint, so its reports are this file's.
import { afterEach, describe, expect, it } from "vitest";
import { HOLD_LIMITS, type HoldLimits } from "../../src/core/webhook-hold-limits";
import type { Env } from "../../src/env";
import { runMaintenance } from "../../src/store/maintenance";
import { expireHeld } from "../../src/store/webhook-hold-expiry";
import { Meter, meterEnv } from "../support/meter";
import { BASE, call, runToEnd } from "./helpers";
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
const DAY = 86_400_000;
const HOUR = 3_600_000;
const db = () => testEnv.DB;

interface View {
  held: number;
  enabled: boolean;
  hold_expired: { count: number; from: number; to: number } | null;
  released?: number;
}

const patch = async (env: Env, id: string, json: unknown) =>
  (await patchWebhookVia(env, key(), id, json)) as unknown as View;

async function view(id: string): Promise<View> {
  const res = await call(`/v1/webhooks/${id}`, { key: key() });
  expect(res.status).toBe(200);
  return (await res.json()) as View;
}

/** Endpoints of the test that runs: deleted after it, so no later test's scans reach them. */
const hooks: string[] = [];
afterEach(async () => {
  for (const id of hooks.splice(0))
    await call(`/v1/webhooks/${id}`, { method: "DELETE", key: key() });
});

/**
 * A paused endpoint (paused now) holding one scan's delivery per age (ms before `now`), and
 * only those: the copies its scans made for the test's other paused endpoints are removed.
 */
async function pausedHolding(label: string, ages: number[], now = Date.now()) {
  const hook = await registerWebhook(
    key(),
    ["poster.scanned"],
    `https://hooks.example.com/${label}`,
  );
  hooks.push(hook.id);
  await patch(capturingQueue().env, hook.id, { enabled: false });
  const rows = ages.map((_, i) =>
    hopRow({ kind: "poster", subject_id: `P-${label}-${i}`, hop: "scanned" }, Date.now()),
  );
  await runQueue("qrbridge-hops", hopMessages(rows), capturingQueue().env);
  const ids = rows.map((r) => `whd_${hook.id.slice(4)}_${r.event_id}`);
  await db()
    .prepare(
      "DELETE FROM webhook_deliveries WHERE event_id IN (SELECT value FROM json_each(?)) AND endpoint_id <> ?",
    )
    .bind(JSON.stringify(rows.map((r) => r.event_id)), hook.id)
    .run();
  for (const [i, id] of ids.entries())
    await db()
      .prepare("UPDATE webhook_deliveries SET created_at = ? WHERE id = ?")
      .bind(now - ages[i]!, id)
      .run();
  return { hook: hook.id, ids, created: ages.map((a) => now - a) };
}

const rowOf = (id: string) =>
  db()
    .prepare("SELECT status, last_error, next_attempt_at FROM webhook_deliveries WHERE id = ?")
    .bind(id)
    .first<{ status: string; last_error: string | null; next_attempt_at: number | null }>();

const statuses = async (ids: string[]) =>
  Promise.all(ids.map(async (id) => (await rowOf(id))?.status));

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

  it("a cron and a resume at once: each delivery is expired or sent, never both, and sent once", async () => {
    const config = await testConfig();
    for (const [label, cronFirst] of [
      ["race-cron", true],
      ["race-resume", false],
    ] as const) {
      const now = Date.now();
      // 20 past the window, 20 inside it.
      const ages = [
        ...Array.from({ length: 20 }, (_, i) => 8 * DAY + i * 1000),
        ...Array.from({ length: 20 }, (_, i) => DAY + i * 1000),
      ];
      const { hook, ids } = await pausedHolding(label, ages, now);
      const cronQueue = capturingQueue();
      const resumeQueue = capturingQueue();
      const cron = () => runMaintenance(cronQueue.env, config, now);
      const resume = () => patch(resumeQueue.env, hook, { enabled: true });
      const [a, b] = cronFirst ? [cron, resume] : [resume, cron];
      await Promise.all([a(), b()]);

      const queued = [...cronQueue.sent, ...resumeQueue.sent].map((m) => m.id);
      expect(new Set(queued).size).toBe(queued.length);
      const states = await statuses(ids);
      const expired = ids.filter((_, i) => states[i] === "expired");
      // Never inside the window; nothing left held; the count is exact.
      expect(expired.every((id) => ids.indexOf(id) < 20)).toBe(true);
      expect(states.filter((s) => s === "held")).toEqual([]);
      expect((await view(hook)).hold_expired?.count ?? 0).toBe(expired.length);
      expect(queued.filter((id) => ids.includes(id)).sort()).toEqual(
        ids.filter((id) => !expired.includes(id)).sort(),
      );
      const seen = receiver(204);
      await runQueue("qrbridge-webhooks", webhookMessages(ids));
      const sent = seen.map((s) => s.headers.get("webhook-id"));
      expect(new Set(sent).size).toBe(sent.length);
      expect([...sent].sort()).toEqual(ids.filter((id) => !expired.includes(id)).sort());
    }
  });

  it("a resume (or a resume and a new pause) between the cron's read and its write: the cron marks nothing", async () => {
    for (const repause of [false, true]) {
      const now = Date.now();
      const { hook, ids } = await pausedHolding(`between-${repause}`, [8 * DAY, 9 * DAY], now);
      const queue = capturingQueue();
      let landed = false;
      // The cron's D1, whose first write lets the resume commit first: exactly that interleaving.
      const cronDb = new Proxy(testEnv.DB, {
        get(target, name) {
          if (name === "batch")
            return async (statements: D1PreparedStatement[]) => {
              if (!landed) {
                landed = true;
                await patch(queue.env, hook, { enabled: true });
                if (repause) await patch(capturingQueue().env, hook, { enabled: false });
              }
              return target.batch(statements);
            };
          const value = Reflect.get(target, name, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      expect(await expireHeld(cronDb, now)).toEqual({ expired: 0, more: false });
      expect(landed).toBe(true);
      expect(queue.sent.map((m) => m.id).sort()).toEqual([...ids].sort());
      expect(await statuses(ids)).toEqual(["pending", "pending"]);
      expect((await view(hook)).hold_expired).toBeNull();
    }
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

  it("reads held rows by the held index, and marks them by primary key", async () => {
    const plan = async (sql: string, ...args: unknown[]) =>
      (
        await db()
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .bind(...args)
          .all<{ detail: string }>()
      ).results
        .map((r) => r.detail)
        .join("\n");
    expect(
      await plan(
        "SELECT id FROM webhook_deliveries INDEXED BY webhook_deliveries_held WHERE status = 'held' AND endpoint_id = ? ORDER BY created_at, id LIMIT 5",
        "whe_x",
      ),
    ).toMatch(/USING (COVERING )?INDEX webhook_deliveries_held/);
    expect(
      await plan(
        "UPDATE webhook_deliveries SET status = 'expired' WHERE id IN (SELECT value FROM json_each(?)) AND +status = 'held'",
        "[]",
      ),
    ).toMatch(
      /SEARCH webhook_deliveries USING INDEX sqlite_autoindex_webhook_deliveries_1 \(id=\?\)/,
    );
  });
});

describe("what the hold's cron step costs", () => {
  /**
   * A new paused endpoint's log: `delivered` rows from before the pause, then `held` ones, the
   * `old` oldest of those past the window.
   */
  async function backlog(label: string, delivered: number, held: number, old: number, now: number) {
    const { hook } = await pausedHolding(label, [], now);
    await db()
      .prepare(
        `WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < ?2 + ?3)
         INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status, attempts, created_at)
         SELECT 'whd_' || substr(?1, 5) || '_e' || i, ?1, 'e' || i, 'poster.scanned', '{"id":"e"}',
                CASE WHEN i < ?2 THEN 'delivered' ELSE 'held' END, 0,
                CASE WHEN i < ?2 + ?4 THEN ?5 - 9 * 86400000 + i ELSE ?5 - 3600000 + i END
         FROM k`,
      )
      .bind(hook, delivered, held, old, now)
      .run();
    return hook;
  }

  it("a run reads the held rows of paused endpoints, not their logs, and writes 2 rows a delivery it marks", async () => {
    const now = Date.now();
    const hook = await backlog("meter", 5_000, 2_000, 1_200, now);
    const meter = new Meter();
    const metered = meterEnv(testEnv, meter, "cron");
    expect(await expireHeld(metered.DB, now)).toEqual({ expired: 1_200, more: false });
    const marked = meter.snapshot();
    // One read of the paused endpoints with their counts, one of the chunk's ids, one batch.
    expect(marked["cron:d1.query"]).toBe(4);
    expect(marked["cron:d1.batch"]).toBe(1);
    // Each marked delivery: its row and its status index entry (the held index loses one);
    // and the endpoint's counters.
    expect(marked["cron:d1.rows_written"]).toBe(2 * 1_200 + 1);
    // Held rows counted (all, and those past the window), the chunk's read, its UPDATE by
    // primary key with its index entries (~5 a row): never the 5,000 delivered rows of the log.
    expect(marked["cron:d1.rows_read"]).toBeLessThan(2_000 + 1_200 + 6 * 1_200 + 50);
    meter.reset();
    // Next hour, nothing past the bounds: one query reading the 800 held index rows.
    expect(await expireHeld(metered.DB, now)).toEqual({ expired: 0, more: false });
    const idle = meter.snapshot();
    expect(idle["cron:d1.query"]).toBe(1);
    expect(idle["cron:d1.rows_read"]).toBeGreaterThanOrEqual(800);
    expect(idle["cron:d1.rows_read"]).toBeLessThan(800 + 50);
    expect(idle["cron:d1.rows_written"] ?? 0).toBe(0);
    expect((await view(hook)).held).toBe(800);
  });
});
