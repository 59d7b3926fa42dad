/**
 * Deliveries held while their endpoint is paused (`PATCH /v1/webhooks/:id {enabled: false}`):
 * recorded as usual, not sent, and released — back to `pending`, queued — when it is resumed.
 * Nothing is dropped unseen: a held delivery keeps its tries, is not removed by the log's
 * retention, and is released exactly once (a conditional UPDATE claims it), by the resume or by
 * the cron, unless the pause outlasts its bounds: then the cron marks it `expired` and counts it
 * (store/webhook-hold-expiry.ts), claiming it the same way, so it is one or the other.
 */

/**
 * The SET of a new pause, by hand (store/webhook-edit.ts) or by the circuit breaker
 * (store/webhook-breaker.ts): paused at `?1`, for `reason`, and what it does not keep counted
 * afresh (store/webhook-hold-expiry.ts).
 *
 * @example
 * db.prepare(`UPDATE webhook_endpoints SET ${pauseSet("manual")} WHERE id = ?2 AND paused_at IS NULL`)
 */
export const pauseSet = (reason: "manual" | "failing"): string =>
  `paused_at = ?1, paused_reason = '${reason}', hold_expired = 0, hold_expired_from = NULL,
   hold_expired_to = NULL`;

/** Held deliveries a resume releases in one statement; more go in further pages. */
export const RELEASE_PAGE = 500;

/**
 * Hold a delivery whose endpoint is paused (a test `ping` excepted: it checks the receiver
 * before a resume): `held`, its tries kept, no due time. Only while the endpoint is still
 * paused in that same UPDATE, so a resume that came meanwhile (and released what was held
 * before it) leaves this one to be sent now instead of held with nobody to release it. True
 * when it was held.
 *
 * @example
 * if (await holdIfPaused(env.DB, target)) return { outcome: "skipped", reason: "endpoint paused: held" };
 */
export async function holdIfPaused(
  db: D1Database,
  target: { id: string; endpoint_id: string; event_type: string; paused_at: number | null },
): Promise<boolean> {
  if (target.paused_at === null || target.event_type === "ping") return false;
  const held = await db
    .prepare(
      `UPDATE webhook_deliveries SET status = 'held', next_attempt_at = NULL
       WHERE id = ?1 AND status IN ('pending', 'retrying') AND EXISTS (
         SELECT 1 FROM webhook_endpoints WHERE id = ?2 AND paused_at IS NOT NULL AND disabled_at IS NULL)`,
    )
    .bind(target.id, target.endpoint_id)
    .run();
  return held.meta.changes > 0;
}

/**
 * The release UPDATE: `?1` now, `?2` the endpoint, `?3` the page. The page is picked by the held
 * index of migrations/0023 (named: the planner would otherwise take the status index and read
 * every held row of every endpoint) and written by primary key (`+status`), so a page reads its
 * own rows only, however much other endpoints hold.
 */
export const RELEASE_SQL = `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?1
  WHERE id IN (
    SELECT id FROM webhook_deliveries INDEXED BY webhook_deliveries_held
    WHERE status = 'held' AND endpoint_id = ?2 ORDER BY created_at, id LIMIT ?3)
  AND +status = 'held'
  AND EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = ?2 AND paused_at IS NULL AND disabled_at IS NULL)
  RETURNING id`;

/**
 * Release up to `pages` pages of `limit` held deliveries of `endpointId`, oldest first, if the
 * endpoint is active and not paused ({@link RELEASE_SQL}): each goes back to `pending`, due
 * `now`; the ids released, for the caller to queue. Claimed by the UPDATE itself, so two releases
 * at once (a resume, the cron, a drain step delivered twice) never queue one delivery twice.
 * Fewer than `pages × limit` means none are left (or the endpoint was paused or deleted
 * meanwhile).
 *
 * @example
 * await dispatchDeliveries(env, config, await releaseHeld(env.DB, "whe_…", Date.now(), 4));
 */
export async function releaseHeld(
  db: D1Database,
  endpointId: string,
  now: number,
  pages = 1,
  limit = RELEASE_PAGE,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < pages; i++) {
    const { results } = await db
      .prepare(RELEASE_SQL)
      .bind(now, endpointId, limit)
      .all<{ id: string }>();
    ids.push(...results.map((r) => r.id));
    if (results.length < limit) break;
  }
  return ids;
}

/**
 * Active, unpaused endpoints that still hold deliveries (a resume stopped short, or a delivery
 * was held while the resume ran): one probe of the held index an endpoint.
 *
 * @example
 * for (const id of await endpointsWithHeld(env.DB)) await releaseHeld(env.DB, id, Date.now());
 */
export async function endpointsWithHeld(db: D1Database): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT e.id FROM webhook_endpoints e
       WHERE e.paused_at IS NULL AND e.disabled_at IS NULL AND EXISTS (
         SELECT 1 FROM webhook_deliveries d INDEXED BY webhook_deliveries_held
         WHERE d.status = 'held' AND d.endpoint_id = e.id)
       ORDER BY e.id`,
    )
    .all<{ id: string }>();
  return results.map((r) => r.id);
}
