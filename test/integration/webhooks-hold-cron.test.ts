// The hold's cron step (store/webhook-hold-expiry.ts) racing a resume, and what it costs. A
// resume and the cron at once, and a resume (or a resume and a new pause) landing exactly
// between the cron's read and its write: each delivery is expired or sent, never both, sent
// once, and the count is exact. Its D1 work per run is pinned at a backlog (docs/performance.md).
// On fresh storage: the cron acts on every paused endpoint, so its reports are this file's.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runMaintenance } from "../../src/store/maintenance";
import { expireHeld } from "../../src/store/webhook-hold-expiry";
import { Meter, meterEnv } from "../support/meter";
import { runQueue, testConfig, testEnv } from "./hop-helpers";
import { capturingQueue, receiver, webhookKeyForFile, webhookMessages } from "./webhooks-helpers";
import { DAY, db, holdKit, statuses } from "./webhooks-hold-helpers";

const key = webhookKeyForFile();
const { patch, view, pausedHolding } = holdKit(key);

/** The tests' clock, pinned for the routes and the Worker too: no row's time depends on when the suite runs. */
const NOW = Date.UTC(2026, 11, 7, 12);
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the hold's cron step and a resume", () => {
  it("a cron and a resume at once: each delivery is expired or sent, never both, and sent once", async () => {
    const config = await testConfig();
    for (const [label, cronFirst] of [
      ["race-cron", true],
      ["race-resume", false],
    ] as const) {
      // 20 past the window, 20 inside it.
      const ages = [
        ...Array.from({ length: 20 }, (_, i) => 8 * DAY + i * 1000),
        ...Array.from({ length: 20 }, (_, i) => DAY + i * 1000),
      ];
      const { hook, ids } = await pausedHolding(label, ages, NOW);
      const cronQueue = capturingQueue();
      const resumeQueue = capturingQueue();
      const cron = () => runMaintenance(cronQueue.env, config, NOW);
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
      const { hook, ids } = await pausedHolding(`between-${repause}`, [8 * DAY, 9 * DAY], NOW);
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
      expect(await expireHeld(cronDb, NOW)).toEqual({ expired: 0, more: false });
      expect(landed).toBe(true);
      expect(queue.sent.map((m) => m.id).sort()).toEqual([...ids].sort());
      expect(await statuses(ids)).toEqual(["pending", "pending"]);
      expect((await view(hook)).hold_expired).toBeNull();
    }
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
    const hook = await backlog("meter", 5_000, 2_000, 1_200, NOW);
    const meter = new Meter();
    const metered = meterEnv(testEnv, meter, "cron");
    expect(await expireHeld(metered.DB, NOW)).toEqual({ expired: 1_200, more: false });
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
    expect(await expireHeld(metered.DB, NOW)).toEqual({ expired: 0, more: false });
    const idle = meter.snapshot();
    expect(idle["cron:d1.query"]).toBe(1);
    expect(idle["cron:d1.rows_read"]).toBeGreaterThanOrEqual(800);
    expect(idle["cron:d1.rows_read"]).toBeLessThan(800 + 50);
    expect(idle["cron:d1.rows_written"] ?? 0).toBe(0);
    expect((await view(hook)).held).toBe(800);
  });
});
