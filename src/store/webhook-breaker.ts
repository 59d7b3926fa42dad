/**
 * The webhook circuit breaker's D1 side (the rule: core/webhook-breaker.ts). The delivery writer
 * moves an endpoint's failing state on an attempt that changes it ({@link failingStatements});
 * the hourly cron pauses, by reading that state, every endpoint the rule says
 * ({@link pauseFailing}): exactly as a manual pause does (its deliveries are then held, bounded,
 * and sent on resume), with `paused_reason = 'failing'` and an audit row by the actor
 * {@link SYSTEM_ACTOR}. The breaker never resumes: the owner does, when the receiver is back.
 */
import type { AuditActor } from "../core/audit";
import { type BreakerRule, failingBefore } from "../core/webhook-breaker";
import { pauseSet } from "./webhook-hold";

/**
 * Who the audit log names for a change the bridge makes itself: actor `system`, via `system`
 * (migrations/0027; a pause logged before it reads `api`).
 */
export const SYSTEM_ACTOR: AuditActor = { actor: "system", via: "system" };

/**
 * The statements moving an endpoint's failing state on by one attempt: `"clear"` (a success ends
 * a failing run) or `"count"` (a failure starts a run, its `failing_since` kept by later ones,
 * and counts up to the rule's number). Conditional, so two attempts that read the same state
 * write what is right either way, and a failure never counts past the rule. A count is two
 * statements, the one for a run going on first: only a run's start sets `failing_since`, so only
 * it writes the endpoint's entry in `webhook_endpoints_failing` (migrations/0026).
 *
 * @example
 * await db.batch([update, ...failingStatements(db, "whe_…", "count", Date.now(), DEFAULT_BREAKER)]);
 */
export function failingStatements(
  db: D1Database,
  endpointId: string,
  write: "clear" | "count",
  now: number,
  rule: BreakerRule,
): D1PreparedStatement[] {
  if (write === "clear")
    return [
      db
        .prepare(
          `UPDATE webhook_endpoints SET failing_since = NULL, failures = 0
           WHERE id = ? AND (failing_since IS NOT NULL OR failures > 0)`,
        )
        .bind(endpointId),
    ];
  return [
    db
      .prepare(
        `UPDATE webhook_endpoints SET failures = failures + 1
         WHERE id = ? AND failing_since IS NOT NULL AND failures < ?`,
      )
      .bind(endpointId, rule.failures),
    db
      .prepare(
        `UPDATE webhook_endpoints SET failing_since = ?, failures = failures + 1
         WHERE id = ? AND failing_since IS NULL`,
      )
      .bind(now, endpointId),
  ];
}

/**
 * Which endpoints the rule pauses: active, running, failing long enough and often enough. Read
 * through the partial index `webhook_endpoints_failing` (migrations/0026), whose condition these
 * terms imply: a deleted, paused or healthy endpoint is never read.
 */
const TRIPPED = `disabled_at IS NULL AND paused_at IS NULL AND failing_since <= ?2 AND failures >= ?3`;

/**
 * Pause every active endpoint the rule trips at `now`, as `PATCH {enabled: false}` pauses (a new
 * pause counts afresh what it does not keep), with `paused_reason = 'failing'`; each gets its
 * `webhook.pause` audit row (actor `system`) in the same transaction, written first from the
 * same condition, so a pause never lands without its row. A success that clears an endpoint's
 * failing state before this batch keeps it running; one just after leaves it paused with the
 * reason shown. A second run (or two at once) finds it paused already: paused once, logged once.
 * The endpoints paused.
 *
 * @example
 * const paused = await pauseFailing(env.DB, Date.now(), config.webhookBreaker);
 */
export async function pauseFailing(
  db: D1Database,
  now: number,
  rule: BreakerRule | null,
): Promise<string[]> {
  if (!rule) return [];
  // ?1 now, ?2 and ?3 the rule ({@link TRIPPED}); the audit row's actor after them. `+id`: ordered
  // by a sort of the few tripped rows, not by a walk of the primary key over every endpoint.
  const tripped = [now, failingBefore(now, rule), rule.failures];
  const [, paused] = await db.batch([
    db
      .prepare(
        `INSERT INTO audit_log (at, actor, via, action, subject_type, subject_id, changes)
         SELECT ?1, ?4, ?5, 'webhook.pause', 'webhook', id, json_object(
           'fields', json_array('enabled', 'paused_reason', 'failing_since', 'failures'),
           'values', json_object('enabled', json('false'), 'paused_reason', 'failing',
             'failing_since', failing_since, 'failures', failures))
         FROM webhook_endpoints WHERE ${TRIPPED} ORDER BY +id`,
      )
      .bind(...tripped, SYSTEM_ACTOR.actor, SYSTEM_ACTOR.via),
    db
      .prepare(`UPDATE webhook_endpoints SET ${pauseSet("failing")} WHERE ${TRIPPED} RETURNING id`)
      .bind(...tripped),
  ]);
  return ((paused?.results ?? []) as { id: string }[]).map((r) => r.id).sort();
}
