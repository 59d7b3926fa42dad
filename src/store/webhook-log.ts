/**
 * The delivery log of a webhook endpoint as the API reads it (`webhook_deliveries`,
 * `webhook_attempts`): a page of deliveries, or one with its payload and every attempt. What
 * writes it: store/webhook-fanout.ts (deliveries), webhook-delivery.ts (attempts).
 */

import { attemptsLeft, type DeliveryState } from "../core/webhook-retry";
import { RETRY } from "../limits";
import { afterCursor, type Cursor, page } from "./paging";

export interface WebhookDelivery {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: DeliveryState;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  /** When the next try is due (unix ms); null when delivered, given up or not to be tried. */
  next_attempt_at: number | null;
  delivered_at: number | null;
  /** Tries left before it is given up (derived on read: core/webhook-retry.ts). */
  attempts_left: number;
}

type DeliveryRow = Omit<WebhookDelivery, "attempts_left">;

/** A stored delivery as the log shows it: with its tries left, and no due time once settled. */
const toDelivery = <R extends DeliveryRow>(r: R): R & { attempts_left: number } => ({
  ...r,
  next_attempt_at:
    r.status === "delivered" ||
    r.status === "failed" ||
    r.status === "held" ||
    r.status === "expired"
      ? null
      : r.next_attempt_at,
  attempts_left: attemptsLeft(r.status, r.attempts, RETRY.webhook.attempts),
});

export interface WebhookAttempt {
  attempt: number;
  at: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/**
 * Deliveries of an endpoint, newest first, paged with a cursor (see ./paging).
 *
 * @example
 * const { deliveries, next_cursor } = await listDeliveries(env.DB, "whe_…", { limit: 50 });
 */
export async function listDeliveries(
  db: D1Database,
  endpointId: string,
  opts: { limit: number; cursor?: Cursor | null; status?: DeliveryState },
): Promise<{ deliveries: WebhookDelivery[]; next_cursor: string | null }> {
  const where = ["endpoint_id = ?"];
  const args: unknown[] = [endpointId];
  if (opts.status) {
    where.push("status = ?");
    args.push(opts.status);
  }
  if (opts.cursor) {
    const after = afterCursor(opts.cursor);
    where.push(after.sql);
    args.push(...after.args);
  }
  const { results } = await db
    .prepare(
      `SELECT id, endpoint_id, event_id, event_type, status, attempts, last_status_code, last_error,
              created_at, next_attempt_at, delivered_at
       FROM webhook_deliveries WHERE ${where.join(" AND ")}
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
    .bind(...args, opts.limit + 1)
    .all<DeliveryRow>();
  const { items, next_cursor } = page(results, opts.limit);
  return { deliveries: items.map(toDelivery), next_cursor };
}

/**
 * One delivery of an endpoint with its payload and every attempt, or null.
 *
 * @example
 * const d = await getDelivery(env.DB, "whe_…", "whd_…");
 */
export async function getDelivery(
  db: D1Database,
  endpointId: string,
  id: string,
): Promise<(WebhookDelivery & { payload: string; attempt_log: WebhookAttempt[] }) | null> {
  const [one, attempts] = await db.batch([
    db
      .prepare("SELECT * FROM webhook_deliveries WHERE id = ? AND endpoint_id = ?")
      .bind(id, endpointId),
    db
      .prepare(
        "SELECT attempt, at, status_code, error, duration_ms FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt",
      )
      .bind(id),
  ]);
  const row = one?.results[0] as (DeliveryRow & { payload: string }) | undefined;
  if (!row) return null;
  return {
    ...toDelivery(row),
    attempt_log: (attempts?.results ?? []) as unknown as WebhookAttempt[],
  };
}
