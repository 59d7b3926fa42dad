/**
 * The bounds of a pause (core/webhook-hold-limits.ts): the hourly cron marks the held deliveries
 * of a paused endpoint that are past the hold window, or the oldest beyond its cap, `expired`
 * (a final state, then removed by the log's 30-day retention like a delivered one), and counts
 * them on the endpoint (`hold_expired`, `_from`, `_to`), so nothing leaves the hold unseen.
 * Only endpoints still paused: what a resume has to release is sent, however slowly.
 */
import {
  expiryReason,
  HOLD_LIMITS,
  type HoldLimits,
  holdExpiryPlan,
  type PausedHold,
} from "../core/webhook-hold-limits";

/** What one run did. */
export interface HoldExpiryReport {
  /** Deliveries marked `expired` this run. */
  expired: number;
  /** Whether the run's bound left some for the next run. */
  more: boolean;
}

/**
 * Count the held deliveries of endpoint `id` (the endpoint view's `held`): reads only its held
 * rows (the partial index of migrations/0023; named, as the planner otherwise takes the status
 * index and reads every held row of every endpoint).
 *
 * @example
 * const held = await countHeld(env.DB, "whe_…");
 */
export async function countHeld(db: D1Database, id: string): Promise<number> {
  const row = await db
    .prepare(
      `SELECT count(*) AS n FROM webhook_deliveries INDEXED BY webhook_deliveries_held
       WHERE status = 'held' AND endpoint_id = ?`,
    )
    .bind(id)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Mark `expired` the held deliveries of paused endpoints past `limits` as of `now`, oldest first,
 * at most `limits.perRun` (the rest next run). Each chunk is one batch: the UPDATE, guarded by
 * the endpoint being still in the same pause (a resume, a delete or a new pause since the count
 * makes it change nothing), and the endpoint's counters, from that UPDATE's `changes()`, so the
 * count is exact even when a resume races the cron: a delivery is released or expired, never
 * both (each UPDATE claims only rows still `held`).
 *
 * @example
 * const { expired, more } = await expireHeld(env.DB, Date.now());
 */
export async function expireHeld(
  db: D1Database,
  now: number,
  limits: HoldLimits = HOLD_LIMITS,
): Promise<HoldExpiryReport> {
  const cutoff = now - limits.windowMs;
  const { results } = await db
    .prepare(
      `SELECT e.id, e.paused_at,
         (SELECT count(*) FROM webhook_deliveries d INDEXED BY webhook_deliveries_held
          WHERE d.status = 'held' AND d.endpoint_id = e.id) AS held,
         (SELECT count(*) FROM webhook_deliveries d INDEXED BY webhook_deliveries_held
          WHERE d.status = 'held' AND d.endpoint_id = e.id AND d.created_at < ?1) AS past_window
       FROM webhook_endpoints e WHERE e.paused_at IS NOT NULL AND e.disabled_at IS NULL
       ORDER BY e.paused_at, e.id`,
    )
    .bind(cutoff)
    .all<PausedHold>();
  const plan = holdExpiryPlan(results, limits);
  let expired = 0;
  for (const target of plan.expire) {
    let left = target.count;
    while (left > 0) {
      const n = await expireChunk(db, target, Math.min(limits.chunk, left), cutoff, limits);
      if (n === 0) break;
      expired += n;
      left -= n;
    }
  }
  return { expired, more: plan.more };
}

/**
 * Mark the `limit` oldest held deliveries of one endpoint `expired`; how many were.
 */
async function expireChunk(
  db: D1Database,
  target: { id: string; paused_at: number },
  limit: number,
  cutoff: number,
  limits: HoldLimits,
): Promise<number> {
  const { results } = await db
    .prepare(
      `SELECT id, created_at FROM webhook_deliveries INDEXED BY webhook_deliveries_held
       WHERE status = 'held' AND endpoint_id = ? ORDER BY created_at, id LIMIT ?`,
    )
    .bind(target.id, limit)
    .all<{ id: string; created_at: number }>();
  if (results.length === 0) return 0;
  const from = results[0]!.created_at;
  const to = results.at(-1)!.created_at;
  const [marked] = await db.batch([
    // `+status`: by the primary key, not the status index (which would read every held row).
    db
      .prepare(
        `UPDATE webhook_deliveries SET status = 'expired', next_attempt_at = NULL,
           last_error = CASE WHEN created_at < ?3 THEN ?4 ELSE ?5 END
         WHERE id IN (SELECT value FROM json_each(?1)) AND +status = 'held'
           AND EXISTS (SELECT 1 FROM webhook_endpoints
                       WHERE id = ?2 AND paused_at = ?6 AND disabled_at IS NULL)`,
      )
      .bind(
        JSON.stringify(results.map((r) => r.id)),
        target.id,
        cutoff,
        expiryReason("window", limits),
        expiryReason("cap", limits),
        target.paused_at,
      ),
    // Right after the UPDATE: `changes()` is that statement's.
    db
      .prepare(
        `UPDATE webhook_endpoints SET hold_expired = hold_expired + changes(),
           hold_expired_from = min(coalesce(hold_expired_from, ?2), ?2),
           hold_expired_to = max(coalesce(hold_expired_to, ?3), ?3)
         WHERE id = ?1 AND changes() > 0`,
      )
      .bind(target.id, from, to),
  ]);
  return marked?.meta.changes ?? 0;
}
