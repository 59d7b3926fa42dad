/**
 * The cron triggers' work (wrangler.toml): every minute ({@link SPOOL_CRON}) the spool only;
 * every hour the rest:
 * - the hop store: spooled hops (sent to R2 when the queue refused them) are counted
 *   (store/spool-drain.ts); raw hops a crash left in `hop_raw_pending` are archived; raw history
 *   past `QB_HOP_RETENTION_DAYS` is deleted by whole days (store/archive-upkeep.ts); the bookkeeping of exactly-once
 *   counting is forgotten (`hop_batches` after a day, or once the spool holds nothing older;
 *   `hop_resent` after 31 days; next week's `hop_once_<slot>` emptied)
 *   and so are past days' IP salts; raw hops of the D1 table that came before the archive
 *   (`legacy_hops`) move to R2, a chunk per run; finished days are folded into month rows and their unique-scanner
 *   sketches made compact, a bounded number of rows per run (store/rollup-compaction.ts).
 *   Rollups are kept.
 * - retention of dashboard sessions, webhook deliveries (but held ones)/attempts and dead letters (30 days), and
 *   of the audit log (`QB_AUDIT_RETENTION_DAYS`, in bounded chunks: store/audit-log.ts);
 * - `Idempotency-Key` claims and answers past 24 h, a bounded number per run (store/idempotency.ts);
 * - held deliveries of paused endpoints past the hold's bounds marked `expired`, a bounded number
 *   per run (store/webhook-hold-expiry.ts);
 * - endpoints whose receiver keeps failing paused (store/webhook-breaker.ts);
 * - webhook deliveries that need a push (held ones of a resumed endpoint too: store/webhook-hold.ts),
 *   and the replaced secrets of rotations whose window ended (store/webhook-edit.ts).
 * Handoff and login state lives in Durable Objects that delete themselves with alarms.
 */
import type { BridgeConfig } from "../config";
import { firstKeptHour } from "../core/day-range";
import { addDays } from "../core/time-zone";
import { finishedDaysToday, WIDEST_ZONES } from "../core/zone-set";
import type { Env } from "../env";
import { archivePending, deleteOldArchive, moveLegacyHops } from "./archive-upkeep";
import { deleteOldAudit } from "./audit-log";
import { CLOCK_SLACK_MS } from "./hop-claims";
import { prepareOnceSlot } from "./hop-rollups";
import { deleteOldSalts } from "./hop-salt";
import { deleteOldIdempotencyKeys } from "./idempotency";
import { compactRollups } from "./rollup-compaction";
import { drainSpool, oldestSpooled } from "./spool-drain";
import { zonesInUse } from "./store-zones";
import { pauseFailing } from "./webhook-breaker";
import { dispatchDeliveries } from "./webhook-dispatch";
import { releaseHeldBackstop } from "./webhook-drain";
import { dueDeliveries } from "./webhook-due";
import { clearExpiredSecretsStatement } from "./webhook-edit";
import { expireHeld } from "./webhook-hold-expiry";

const DAY = 86_400_000;
/** Days webhook deliveries, their attempts and dead letters are kept. */
export const LOG_RETENTION_DAYS = 30;
/**
 * How long counted batches are remembered, to recognise a redelivered message; longer while
 * the spool holds older requests (a copy of one may have been counted meanwhile).
 */
export const BATCH_MEMORY_MS = DAY;
/**
 * How long counted envelopes that a late copy may follow are remembered (`hop_resent`,
 * store/hop-claims.ts): longer than a dead letter is kept (and than a queue keeps a message),
 * so the other copy of one, however late, still finds it.
 */
export const RESENT_MEMORY_MS = (LOG_RETENTION_DAYS + 1) * DAY;

/**
 * Most idempotency keys one run deletes: a day's creates of a busy backend fit a few runs, and
 * one statement stays well inside D1's time limit.
 */
export const IDEMPOTENCY_DELETE_LIMIT = 5_000;

/** What one run did (returned for tests and logged). */
export interface MaintenanceReport {
  /** Steps that failed this run (each is tried again by the next; the others ran). */
  failedSteps: string[];
  spooledIngested: number;
  pendingArchived: number;
  archiveDaysDeleted: number;
  legacyMoved: number;
  daysFolded: number;
  /** Rollup rows whose unique-scanner sketches were made compact (or folded into a month). */
  sketchRowsCompacted: number;
  /** Whether compaction left work for the next run (it handles a bounded number of rows). */
  compactionPending: boolean;
  sessionsDeleted: number;
  deliveriesDeleted: number;
  deadLettersDeleted: number;
  /** Audit-log rows past retention deleted this run (a bounded number; the rest next hour). */
  auditDeleted: number;
  /** Idempotency keys past retention deleted this run (at most {@link IDEMPOTENCY_DELETE_LIMIT}). */
  idempotencyDeleted: number;
  /** Held deliveries of paused endpoints not kept (marked `expired`) this run. */
  heldExpired: number;
  /** Whether some were left for the next run (core/webhook-hold-limits.ts `perRun`). */
  heldExpiryPending: boolean;
  /** Endpoints the webhook circuit breaker paused this run. */
  endpointsPaused: number;
  deliveriesDispatched: number;
}

/**
 * The cron that only counts the spool (wrangler.toml): every minute, so the spill of a burst the
 * queue refused is counted within the hour, not over days. Any other cron runs the maintenance.
 */
export const SPOOL_CRON = "* * * * *";

/**
 * Whether `cron` fires every minute, however it is spelled (`* * * * *`, `*\/1 * * * *`, extra
 * spaces): such a trigger only drains the spool. Running the whole maintenance every minute
 * would be correct but sixty times the work.
 *
 * @example
 * everyMinute("*\/1 * * * *") // true
 * everyMinute("17 * * * *") // false
 */
function everyMinute(cron: string): boolean {
  const fields = cron.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f) => f === "*" || f === "*/1");
}

/**
 * The cron trigger's entry point: {@link runMaintenance} at the scheduled time, or for a
 * trigger that fires every minute ({@link SPOOL_CRON}) only the spool drain (an empty spool
 * costs one R2 list).
 *
 * @example
 * export default { scheduled: (ctrl, env, ctx) => runScheduled(ctrl, env, ctx, config) };
 */
export async function runScheduled(
  controller: ScheduledController,
  env: Env,
  _ctx: ExecutionContext,
  config: BridgeConfig,
): Promise<void> {
  if (!everyMinute(controller.cron)) {
    await runMaintenance(env, config, controller.scheduledTime);
    return;
  }
  const drained = await drainSpool(env, config, controller.scheduledTime);
  if (drained.objects) console.log(`qrbridge: counted ${drained.objects} spooled request(s)`);
}

/**
 * Run the hourly maintenance as of `now` (unix ms); see the module comment.
 *
 * @example
 * const report = await runMaintenance(env, config, Date.now());
 */
export async function runMaintenance(
  env: Env,
  config: BridgeConfig,
  now: number,
): Promise<MaintenanceReport> {
  const db = env.DB;
  const failedSteps: string[] = [];
  // Each step on its own: one that fails (R2 down, say) is logged and tried again next hour,
  // and holds back none of the others.
  const step = async <T>(name: string, run: () => Promise<T>, otherwise: T): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      failedSteps.push(name);
      console.error(`qrbridge: maintenance step ${name} failed; the next run retries`, err);
      return otherwise;
    }
  };
  const spooled = await step("spool", () => drainSpool(env, config, now), {
    rows: 0,
    objects: 0,
    failed: null,
  });
  if (spooled.failed) failedSteps.push("spool");
  const pendingArchived = await step("pending", () => archivePending(env, now), 0);
  // Days are the reporting time zone's and the stores' own: a day is over once it is over in
  // every zone in use, so "today" is the day of the zone whose clocks are latest. Without the
  // stores' zones (D1 refused), the world's widest zones stand in: nothing ends too soon.
  const zones = await step("zones", () => zonesInUse(db, config.reportingTimeZone), [
    config.reportingTimeZone,
    ...WIDEST_ZONES,
  ]);
  // Capped at the day after UTC−12's today: a store may yet take up a zone that far behind.
  const today = finishedDaysToday(now, zones);
  // The archive is kept from the first instant of the oldest day still kept in any zone (its UTC
  // day, as R2 is partitioned), so no zone's day is kept a day short of the retention.
  const archiveDaysDeleted = await step(
    "retention",
    () => deleteOldArchive(env, firstKeptHour(now, config.hopRetentionDays, zones)),
    0,
  );
  const legacyMoved = await step("legacy", () => moveLegacyHops(env), 0);
  // Days end for good a day after they end (late hops of a folded day are folded too).
  const compaction = await step("compaction", () => compactRollups(db, addDays(today, -2)), {
    folded: [],
    converted: [],
    sketchRows: 0,
    more: true,
  });
  const report: MaintenanceReport = {
    failedSteps,
    spooledIngested: spooled.rows,
    pendingArchived,
    archiveDaysDeleted,
    legacyMoved,
    daysFolded: compaction.folded.length,
    sketchRowsCompacted: compaction.sketchRows,
    compactionPending: compaction.more,
    sessionsDeleted: 0,
    deliveriesDeleted: 0,
    deadLettersDeleted: 0,
    auditDeleted: 0,
    idempotencyDeleted: 0,
    heldExpired: 0,
    heldExpiryPending: false,
    endpointsPaused: 0,
    deliveriesDispatched: 0,
  };

  const logCutoff = now - LOG_RETENTION_DAYS * DAY;
  const batchCutoff = await step("ledger", () => batchMemoryCutoff(env, now), null);
  // A step too: D1 refusing it leaves the salts, the once-only slot and the webhook pushes to run.
  const cleared = await step(
    "logs",
    () =>
      db.batch([
        db.prepare("DELETE FROM dashboard_sessions WHERE expires_at < ?").bind(now),
        // Held deliveries wait for their endpoint's resume (within the hold's bounds: step
        // `hold-expiry`); one released since is as old by `created_at` but due
        // (next_attempt_at) recently: kept until it is delivered or failed, or its next try is
        // as stale as the log.
        db
          .prepare(
            `DELETE FROM webhook_deliveries WHERE created_at < ?1 AND status <> 'held'
               AND (next_attempt_at IS NULL OR next_attempt_at < ?1)`,
          )
          .bind(logCutoff),
        db.prepare("DELETE FROM webhook_attempts WHERE at < ?").bind(logCutoff),
        db.prepare("DELETE FROM dead_letters WHERE received_at < ?").bind(logCutoff),
        // Unknown (R2 failed): kept this run.
        db.prepare("DELETE FROM hop_batches WHERE at < ?").bind(batchCutoff ?? 0),
        db.prepare("DELETE FROM hop_resent WHERE at < ?").bind(now - RESENT_MEMORY_MS),
        clearExpiredSecretsStatement(db, now),
      ]),
    [],
  );
  const [sessions, deliveries, , dead] = cleared;
  report.sessionsDeleted = sessions?.meta.changes ?? 0;
  report.deliveriesDeleted = deliveries?.meta.changes ?? 0;
  report.deadLettersDeleted = dead?.meta.changes ?? 0;
  report.auditDeleted = await step(
    "audit",
    () => deleteOldAudit(db, now - config.auditRetentionDays * DAY),
    0,
  );
  report.idempotencyDeleted = await step(
    "idempotency",
    () => deleteOldIdempotencyKeys(db, now, IDEMPOTENCY_DELETE_LIMIT),
    0,
  );
  const expiry = await step("hold-expiry", () => expireHeld(db, now), {
    expired: 0,
    more: true,
  });
  report.heldExpired = expiry.expired;
  report.heldExpiryPending = expiry.more;
  // Before the pushes below: what an endpoint paused now would be sent is held instead.
  report.endpointsPaused = (
    await step("breaker", () => pauseFailing(db, now, config.webhookBreaker), [])
  ).length;
  // Yesterday's salt stays for hops of its last moments still on their way.
  await step("salts", () => deleteOldSalts(db, addDays(today, -1)), 0);
  // Not turned this run, next week's table keeps older events: remembered longer, never shorter.
  await step("once-slot", () => prepareOnceSlot(db, now), false);

  // Held deliveries of an endpoint resumed while one of them was being held, or whose resume
  // (or drain through the queue) stopped before it had released them all. Without a queue a
  // released one is also due now: listed once, or it would be sent twice.
  const released = await step("held", () => releaseHeldBackstop(env, now), []);
  const found = await step("due", () => dueDeliveries(db, now, Boolean(env.WEBHOOKS)), []);
  const due = [...new Set([...released, ...found])];
  await step("dispatch", () => dispatchDeliveries(env, config, due), undefined);
  report.deliveriesDispatched = due.length;

  console.log("qrbridge: maintenance", JSON.stringify(report));
  return report;
}

/**
 * Counted batches before this (unix ms) are forgotten: a day ago, or earlier while the spool
 * still holds a request from before then.
 */
async function batchMemoryCutoff(env: Env, now: number): Promise<number> {
  const oldest = await oldestSpooled(env.HOP_ARCHIVE);
  return Math.min(now - BATCH_MEMORY_MS, (oldest ?? now) - CLOCK_SLACK_MS);
}
