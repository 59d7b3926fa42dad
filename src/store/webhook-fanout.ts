/**
 * Which hops become webhook deliveries. The hop writer asks, once per batch, which event types
 * the active endpoints subscribe to (usually none, so a batch builds no payload at all), then
 * creates one delivery per (subscribed endpoint, event) with one statement.
 */
import type { HopRow } from "../core/hop-row";
import { type WebhookEventType, webhookEventType, webhookPayload } from "../core/webhook-events";

/** One event for {@link deliveriesStatement}: hop event id, type and the body to send. */
export interface PendingEvent {
  id: string;
  type: WebhookEventType;
  payload: string;
}

/** The event types some active endpoint wants: `"*"` means every type. */
export type Subscriptions = ReadonlySet<WebhookEventType | "*">;

/**
 * The statement reading what active endpoints subscribe to; run it in the writer's batch and
 * give its rows to {@link subscriptionsFrom}.
 *
 * @example
 * const [subs] = await db.batch([subscriptionsStatement(db), …inserts]);
 * const wanted = subscriptionsFrom(subs.results);
 */
export function subscriptionsStatement(db: D1Database): D1PreparedStatement {
  return db.prepare("SELECT events FROM webhook_endpoints WHERE disabled_at IS NULL");
}

/**
 * The union of the `events` lists (JSON arrays) of active endpoints. Unreadable lists are skipped.
 *
 * @example
 * subscriptionsFrom([{ events: '["poster.scanned"]' }, { events: '["*"]' }]) // Set {"poster.scanned", "*"}
 */
export function subscriptionsFrom(rows: readonly { events?: unknown }[]): Subscriptions {
  const out = new Set<WebhookEventType | "*">();
  for (const row of rows) {
    try {
      const list = JSON.parse(String(row.events));
      if (Array.isArray(list)) for (const t of list) out.add(t);
    } catch {
      // An endpoint row we cannot read subscribes to nothing.
    }
  }
  return out;
}

/**
 * The webhook events of `rows` that some endpoint subscribes to (none when nobody listens).
 *
 * @example
 * pendingEvents(rows, new Set(["poster.scanned"])) // [{ id, type: "poster.scanned", payload }]
 */
export function pendingEvents(rows: readonly HopRow[], wanted: Subscriptions): PendingEvent[] {
  if (wanted.size === 0) return [];
  const all = wanted.has("*");
  const events: PendingEvent[] = [];
  for (const r of rows) {
    const type = webhookEventType(r.kind, r.hop, r.bot);
    if (type && (all || wanted.has(type)))
      events.push({ id: r.event_id, type, payload: webhookPayload(r, type) });
  }
  return events;
}

/**
 * The statement that creates one delivery per (subscribed active endpoint, event). The delivery
 * id is derived from both, so `INSERT OR IGNORE` makes a redelivered hop batch create nothing
 * twice. An endpoint that is paused gets its delivery `held` (store/webhook-hold.ts), not queued:
 * `RETURNING` gives the id of each new delivery to queue, and null for a held one. With
 * `claimed`, it runs only if that hop batch was claimed in the same transaction
 * (store/hop-claims.ts).
 *
 * @example
 * const stmt = deliveriesStatement(db, [{ id: row.event_id, type: "handoff.scanned", payload }], Date.now());
 */
export function deliveriesStatement(
  db: D1Database,
  events: PendingEvent[],
  now: number,
  claimed?: { at: number; id: string },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO webhook_deliveries
  (id, endpoint_id, event_id, event_type, payload, status, attempts, created_at, next_attempt_at)
SELECT 'whd_' || substr(e.id, 5) || '_' || json_extract(j.value, '$.id'), e.id,
       json_extract(j.value, '$.id'), json_extract(j.value, '$.type'),
       json_extract(j.value, '$.payload'),
       CASE WHEN e.paused_at IS NULL THEN 'pending' ELSE 'held' END, 0, ?2,
       CASE WHEN e.paused_at IS NULL THEN ?2 END
FROM json_each(?1) AS j
JOIN webhook_endpoints AS e ON e.disabled_at IS NULL AND EXISTS (
  SELECT 1 FROM json_each(e.events) AS x WHERE x.value IN ('*', json_extract(j.value, '$.type')))
WHERE ${claimed ? "EXISTS (SELECT 1 FROM hop_batches WHERE at = ?3 AND id = ?4)" : "true"}
RETURNING CASE WHEN status = 'pending' THEN id END AS id`,
    )
    .bind(JSON.stringify(events), now, ...(claimed ? [claimed.at, claimed.id] : []));
}
