/**
 * Which webhook deliveries the hourly cron pushes again (store/maintenance.ts): queued ones whose
 * message was lost, or, without a `WEBHOOKS` queue, every delivery now due. Sending them is
 * store/webhook-delivery.ts's.
 */

/**
 * How long a delivery may wait `pending` (queued, not yet tried) before its queue message counts
 * as lost: the cron pushes it again, and "Retry now" sends it again instead of answering that
 * it is already queued.
 */
export const QUEUED_STALE_MS = 15 * 60_000;

/**
 * Deliveries that need a push: with a queue, those still `pending` (never tried, or sent again
 * by "Retry now") with no attempt after `staleMs` (their enqueue was lost); without one, every
 * `pending`/`retrying` delivery now due.
 *
 * @example
 * await dispatchDeliveries(env, config, await dueDeliveries(env.DB, Date.now(), !!env.WEBHOOKS));
 */
export async function dueDeliveries(
  db: D1Database,
  now: number,
  queued: boolean,
  staleMs = QUEUED_STALE_MS,
  limit = 200,
): Promise<string[]> {
  const stmt = queued
    ? db
        .prepare(
          "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at < ? LIMIT ?",
        )
        .bind(now - staleMs, limit)
    : db
        .prepare(
          "SELECT id FROM webhook_deliveries WHERE status IN ('pending', 'retrying') AND next_attempt_at <= ? LIMIT ?",
        )
        .bind(now, limit);
  const { results } = await stmt.all<{ id: string }>();
  return results.map((r) => r.id);
}
