/**
 * The cron trigger's work (hourly, see wrangler.toml): retention of raw hops and of the
 * bookkeeping tables, and webhook deliveries that need a push. (Rollups need no sweep: the
 * `hops_rollup` trigger counts every row as it is inserted.)
 * Handoff and login state lives in Durable Objects that delete themselves with alarms, so
 * there is no expired handoff state in D1 to sweep.
 */
import type { BridgeConfig } from "../config";
import type { Env } from "../env";
import { dispatchDeliveries, dueDeliveries } from "./webhook-delivery";

const DAY = 86_400_000;
/** Days webhook deliveries, their attempts and dead letters are kept. */
export const LOG_RETENTION_DAYS = 30;
/** Raw hops deleted per statement, so one run never holds a long write lock. */
const DELETE_CHUNK = 5000;
/** Upper bound on chunks per run; what is left is deleted next hour. */
const MAX_CHUNKS = 40;

/** What one run did (returned for tests and logged). */
export interface MaintenanceReport {
  hopsDeleted: number;
  sessionsDeleted: number;
  deliveriesDeleted: number;
  deadLettersDeleted: number;
  deliveriesDispatched: number;
}

/**
 * The cron trigger's entry point: {@link runMaintenance} at the scheduled time.
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
  await runMaintenance(env, config, controller.scheduledTime);
}

/**
 * Run the hourly maintenance as of `now` (unix ms):
 * 1. delete raw hops older than `QB_HOP_RETENTION_DAYS` (rollups and unique sets stay);
 * 2. delete expired dashboard sessions, webhook deliveries/attempts and dead letters older
 *    than 30 days;
 * 3. push webhook deliveries that are stuck (lost enqueue) or, without a queue, due for retry.
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
  const report: MaintenanceReport = {
    hopsDeleted: 0,
    sessionsDeleted: 0,
    deliveriesDeleted: 0,
    deadLettersDeleted: 0,
    deliveriesDispatched: 0,
  };

  const hopCutoff = now - config.hopRetentionDays * DAY;
  for (let i = 0; i < MAX_CHUNKS; i++) {
    const res = await db
      .prepare(
        "DELETE FROM hops WHERE event_id IN (SELECT event_id FROM hops WHERE at < ? ORDER BY at LIMIT ?)",
      )
      .bind(hopCutoff, DELETE_CHUNK)
      .run();
    report.hopsDeleted += res.meta.changes;
    if (res.meta.changes < DELETE_CHUNK) break;
  }

  const logCutoff = now - LOG_RETENTION_DAYS * DAY;
  const [sessions, deliveries, , dead] = await db.batch([
    db.prepare("DELETE FROM dashboard_sessions WHERE expires_at < ?").bind(now),
    db.prepare("DELETE FROM webhook_deliveries WHERE created_at < ?").bind(logCutoff),
    db.prepare("DELETE FROM webhook_attempts WHERE at < ?").bind(logCutoff),
    db.prepare("DELETE FROM dead_letters WHERE received_at < ?").bind(logCutoff),
  ]);
  report.sessionsDeleted = sessions?.meta.changes ?? 0;
  report.deliveriesDeleted = deliveries?.meta.changes ?? 0;
  report.deadLettersDeleted = dead?.meta.changes ?? 0;

  const due = await dueDeliveries(db, now, Boolean(env.WEBHOOKS));
  await dispatchDeliveries(env, config.keyring, due);
  report.deliveriesDispatched = due.length;

  console.log("qrbridge: maintenance", JSON.stringify(report));
  return report;
}
