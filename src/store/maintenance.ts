/**
 * The cron triggers' work (wrangler.toml): every minute ({@link SPOOL_CRON}) the spool only;
 * every hour the rest:
 * - the hop store: spooled hops (sent to R2 when the queue refused them) are counted
 *   (store/spool-drain.ts); raw hops a crash left in `hop_raw_pending` are archived; raw history
 *   past `QB_HOP_RETENTION_DAYS` is deleted by whole days; the bookkeeping of exactly-once
 *   counting is forgotten (`hop_batches` after a day, or once the spool holds nothing older;
 *   `hop_resent` after 31 days; next week's `hop_once_<slot>` emptied)
 *   and so are past days' IP salts; raw hops of the D1 table that came before the archive
 *   (`legacy_hops`) move to R2, a chunk per run; finished days are folded into month rows and their unique-scanner
 *   sketches made compact, a bounded number of rows per run (store/rollup-compaction.ts).
 *   Rollups are kept.
 * - retention of dashboard sessions, webhook deliveries/attempts and dead letters (30 days), and
 *   of the audit log (`QB_AUDIT_RETENTION_DAYS`, in bounded chunks: store/audit-log.ts);
 * - webhook deliveries that need a push.
 * Handoff and login state lives in Durable Objects that delete themselves with alarms.
 */
import type { BridgeConfig } from "../config";
import { dayOf } from "../core/funnel";
import type { HopRow } from "../core/hop-row";
import type { Env } from "../env";
import { deleteOldAudit } from "./audit-log";
import { archiveKey, deleteArchiveDay, hourOf, putArchiveObject, toNdjson } from "./hop-archive";
import { CLOCK_SLACK_MS } from "./hop-claims";
import { prepareOnceSlot } from "./hop-rollups";
import { deleteOldSalts } from "./hop-salt";
import { compactRollups } from "./rollup-compaction";
import { drainSpool, oldestSpooled } from "./spool-drain";
import { dispatchDeliveries, dueDeliveries } from "./webhook-delivery";

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
/** Pending raw hops older than this are archived by the cron (the consumer normally does it). */
const PENDING_GRACE_MS = 5 * 60_000;
/**
 * Past days of raw hops deleted per run, oldest first: a day is an R2 list and delete per 1,000
 * objects, and lowering `QB_HOP_RETENTION_DAYS` puts months past it at once. Normally one a day.
 */
export const RETENTION_DAYS_PER_RUN = 7;
/** Pending bodies archived per run; the rest wait for the next hour. */
const PER_RUN = 200;
/** Legacy raw rows moved to R2 per run. */
const LEGACY_CHUNK = 5_000;
/**
 * Hours of legacy rows moved per run: each is an R2 write and a D1 batch, and a quiet
 * deployment's 5,000 rows could span 5,000 hours, 10,000 calls, past what one invocation may make
 * (10,000 on Workers Paid) with the spool drain's share before it.
 */
export const LEGACY_HOURS_PER_RUN = 250;

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
  const archiveDaysDeleted = await step(
    "retention",
    () => deleteOldArchive(env, now - config.hopRetentionDays * DAY),
    0,
  );
  const legacyMoved = await step("legacy", () => moveLegacyHops(env), 0);
  // Days end for good a day after they end (late hops of a folded day are folded too).
  const compaction = await step("compaction", () => compactRollups(db, dayOf(now - 2 * DAY)), {
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
        db.prepare("DELETE FROM webhook_deliveries WHERE created_at < ?").bind(logCutoff),
        db.prepare("DELETE FROM webhook_attempts WHERE at < ?").bind(logCutoff),
        db.prepare("DELETE FROM dead_letters WHERE received_at < ?").bind(logCutoff),
        // Unknown (R2 failed): kept this run.
        db.prepare("DELETE FROM hop_batches WHERE at < ?").bind(batchCutoff ?? 0),
        db.prepare("DELETE FROM hop_resent WHERE at < ?").bind(now - RESENT_MEMORY_MS),
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
  // Yesterday's salt stays for hops of its last moments still on their way.
  await deleteOldSalts(db, dayOf(now - DAY));
  await prepareOnceSlot(db, now);

  const due = await dueDeliveries(db, now, Boolean(env.WEBHOOKS));
  await dispatchDeliveries(env, config, due);
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

/** Archive raw hops a consumer counted but could not write to R2. */
async function archivePending(env: Env, now: number): Promise<number> {
  const bucket = env.HOP_ARCHIVE;
  if (!bucket) return 0;
  const { results } = await env.DB.prepare(
    "SELECT key, body FROM hop_raw_pending WHERE created_at < ? LIMIT ?",
  )
    .bind(now - PENDING_GRACE_MS, PER_RUN)
    .all<{ key: string; body: string }>();
  for (const r of results) {
    await putArchiveObject(bucket, r.key, r.body);
    await env.DB.prepare("DELETE FROM hop_raw_pending WHERE key = ?").bind(r.key).run();
  }
  return results.length;
}

/**
 * Delete the archive's days before `cutoff` (unix ms), objects and index alike, the oldest
 * {@link RETENTION_DAYS_PER_RUN} of them; a day's index goes once its objects are gone, so an
 * export never lists an object already deleted.
 */
async function deleteOldArchive(env: Env, cutoff: number): Promise<number> {
  const firstKept = `${dayOf(cutoff)}T00`;
  const { results } = await env.DB.prepare(
    "SELECT DISTINCT substr(hour, 1, 10) AS day FROM hop_objects WHERE hour < ? ORDER BY day LIMIT ?",
  )
    .bind(firstKept, RETENTION_DAYS_PER_RUN)
    .all<{ day: string }>();
  for (const { day } of results) {
    if (env.HOP_ARCHIVE) await deleteArchiveDay(env.HOP_ARCHIVE, day);
    // Rows of the day still waiting for R2 go too: written later, they would be kept for good.
    const [from, to] = [`${day}T00`, `${day}T23`];
    await env.DB.batch([
      env.DB.prepare(
        "DELETE FROM hop_raw_pending WHERE key IN (SELECT key FROM hop_objects WHERE hour >= ? AND hour <= ?)",
      ).bind(from, to),
      env.DB.prepare("DELETE FROM hop_objects WHERE hour >= ? AND hour <= ?").bind(from, to),
    ]);
  }
  return results.length;
}

/**
 * Move a chunk of raw hops from the D1 table of earlier versions to the archive: the oldest
 * rows, at most {@link LEGACY_CHUNK} of them in at most {@link LEGACY_HOURS_PER_RUN} hours.
 */
async function moveLegacyHops(env: Env): Promise<number> {
  const bucket = env.HOP_ARCHIVE;
  if (!bucket) return 0;
  const { results } = await env.DB.prepare(
    "SELECT * FROM legacy_hops ORDER BY at, event_id LIMIT ?",
  )
    .bind(LEGACY_CHUNK)
    .all<HopRow>();
  if (results.length === 0) return 0;
  const byHour = new Map<string, HopRow[]>();
  for (const row of results) {
    const hour = hourOf(row);
    // Oldest first: an hour past the bound, and every later one, waits for the next run.
    if (!byHour.has(hour) && byHour.size === LEGACY_HOURS_PER_RUN) break;
    const list = byHour.get(hour) ?? [];
    list.push(row);
    byHour.set(hour, list);
  }
  const now = Date.now();
  let moved = 0;
  for (const [hour, rows] of byHour) {
    const key = archiveKey(hour, `legacy-${rows[0]!.event_id}`);
    await putArchiveObject(bucket, key, toNdjson(rows));
    await env.DB.batch([
      env.DB.prepare(
        "INSERT OR REPLACE INTO hop_objects (hour, key, rows, created_at) VALUES (?, ?, ?, ?)",
      ).bind(hour, key, rows.length, now),
      env.DB.prepare(
        "DELETE FROM legacy_hops WHERE event_id IN (SELECT value FROM json_each(?))",
      ).bind(JSON.stringify(rows.map((r) => r.event_id))),
    ]);
    moved += rows.length;
  }
  return moved;
}
