/**
 * "Retry now" on a webhook delivery (`POST /v1/webhooks/:id/deliveries/:delivery_id/retry`):
 * claim one try with a conditional UPDATE, log it in the same batch, and hand it on
 * (store/webhook-delivery.ts sends it).
 */
import type { BridgeConfig } from "../config";
import { type AuditActor, changesOf } from "../core/audit";
import type { Env } from "../env";
import { auditIf } from "./audit-log";
import { dispatchDeliveries } from "./webhook-dispatch";
import { QUEUED_STALE_MS } from "./webhook-due";

/** What "Retry now" did: queued a try, found one already queued, or found no such delivery. */
export type RedeliverResult = "queued" | "already queued" | "not found";

/**
 * Send a delivery again (after it failed, to try a retrying one now, or to replay a delivered
 * one): back to `pending`, attempts kept. One conditional UPDATE claims the try, so of calls
 * that race (a double click, a script repeating its call) one queues it and the others find it
 * `pending` and queue nothing: a receiver never gets two sends of one delivery at once. Once
 * the try was made (the delivery left `pending`), the next call is a new try. A `pending` one
 * queued over `QUEUED_STALE_MS` ago counts as lost and is queued again. With `by`, the audit
 * log's `webhook.retry` row is written in the claim's batch, only when this call queued the try.
 *
 * @example
 * if ((await redeliver(env, config, "whe_…", "whd_…")) === "not found") …
 */
export async function redeliver(
  env: Env,
  config: Pick<BridgeConfig, "keyring" | "env" | "webhookBreaker">,
  endpointId: string,
  id: string,
  now = Date.now(),
  by?: AuditActor,
): Promise<RedeliverResult> {
  const db = env.DB;
  const claim = db
    .prepare(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?1
       WHERE id = ?2 AND endpoint_id = ?3
         AND NOT (status = 'pending' AND coalesce(next_attempt_at, 0) > ?1 - ?4)`,
    )
    .bind(now, id, endpointId, QUEUED_STALE_MS);
  const changes = changesOf({ delivery_id: id });
  const [res] = await db.batch([
    claim,
    // Right after the claim: `changes()` is its, so a call that found the try queued logs nothing.
    ...auditIf(db, by, "webhook.retry", endpointId, changes, now, true),
  ]);
  if (res?.meta.changes) {
    await dispatchDeliveries(env, config, [id]);
    return "queued";
  }
  const exists = await env.DB.prepare(
    "SELECT 1 FROM webhook_deliveries WHERE id = ? AND endpoint_id = ?",
  )
    .bind(id, endpointId)
    .first();
  return exists ? "already queued" : "not found";
}
