/**
 * Webhook endpoints and their delivery log in D1 (`webhook_endpoints`, `webhook_deliveries`,
 * `webhook_attempts`). An endpoint's signing secret is never stored: it is derived from the
 * bridge's signing key (HMAC of the endpoint id), shown once at creation and re-derived to sign.
 */
import { customAlphabet } from "nanoid";
import { RETRY } from "../config";
import { type AuditActor, changesOf } from "../core/audit";
import type { Keyring } from "../core/token";
import type { WebhookEventType } from "../core/webhook-events";
import { attemptsLeft, type DeliveryState } from "../core/webhook-retry";
import { auditIf } from "./audit-log";
import { afterCursor, type Cursor, page } from "./paging";
import { endpointSecret, previousSecretEnds, type SecretColumns } from "./webhook-secrets";

const idPart = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 16);

/** Active endpoints a deployment may have (deliveries fan out per endpoint). */
export const MAX_ENDPOINTS = 25;

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: (WebhookEventType | "*")[];
  description: string | null;
  created_at: number;
  disabled_at: number | null;
  /** False while paused: its deliveries are held, and sent on resume (store/webhook-hold.ts). */
  enabled: boolean;
  paused_at: number | null;
  /** During a secret rotation, when the replaced secret stops signing (unix ms); else null. */
  previous_secret_expires_at: number | null;
}

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
    r.status === "delivered" || r.status === "failed" || r.status === "held"
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

/** A `webhook_endpoints` row (migrations/0005, 0021). */
export interface EndpointRow extends Omit<WebhookEndpoint, "events" | "enabled">, SecretColumns {
  events: string;
}

/**
 * An endpoint as the API shows it: never what derives its secret, and a rotation's end only
 * while the replaced secret still signs at `now`.
 *
 * @example
 * const endpoint = toEndpoint(row, Date.now());
 */
export const toEndpoint = (r: EndpointRow, now = Date.now()): WebhookEndpoint => ({
  id: r.id,
  url: r.url,
  events: JSON.parse(r.events) as WebhookEndpoint["events"],
  description: r.description,
  created_at: r.created_at,
  disabled_at: r.disabled_at,
  enabled: r.paused_at === null,
  paused_at: r.paused_at,
  previous_secret_expires_at: previousSecretEnds(r, now),
});

/**
 * Register an endpoint; returns it with its secret (the only time the secret is shown).
 *
 * @example
 * const { endpoint, secret } = await createEndpoint(env.DB, config.keyring, { url, events: ["handoff.redeemed"] });
 */
export async function createEndpoint(
  db: D1Database,
  ring: Keyring,
  input: { url: string; events: WebhookEndpoint["events"]; description?: string | null },
  by?: AuditActor,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const endpoint: WebhookEndpoint = {
    id: `whe_${idPart()}`,
    url: input.url,
    events: [...new Set(input.events)],
    description: input.description ?? null,
    created_at: Date.now(),
    disabled_at: null,
    enabled: true,
    paused_at: null,
    previous_secret_expires_at: null,
  };
  const secret = (await endpointSecret(ring, ring.current, endpoint.id))!;
  const insert = db
    .prepare(
      "INSERT INTO webhook_endpoints (id, url, events, secret_kid, description, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(
      endpoint.id,
      endpoint.url,
      JSON.stringify(endpoint.events),
      ring.current,
      endpoint.description,
      endpoint.created_at,
    );
  // The audit row keeps the URL's host only: a receiver's URL often carries its own token
  // (in the path or the query), and the signing secret is never logged.
  const { events, description } = endpoint;
  const changes = changesOf({ host: new URL(endpoint.url).host, events, description });
  const at = endpoint.created_at;
  await db.batch([insert, ...auditIf(db, by, "webhook.create", endpoint.id, changes, at)]);
  return { endpoint, secret };
}

/**
 * Count active endpoints.
 *
 * @example
 * if ((await countActiveEndpoints(env.DB)) >= MAX_ENDPOINTS) throw …;
 */
export async function countActiveEndpoints(db: D1Database): Promise<number> {
  const row = await db
    .prepare("SELECT COUNT(*) AS n FROM webhook_endpoints WHERE disabled_at IS NULL")
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Active endpoints, newest first (never their secret).
 *
 * @example
 * const endpoints = await listEndpoints(env.DB);
 */
export async function listEndpoints(db: D1Database, now = Date.now()): Promise<WebhookEndpoint[]> {
  const { results } = await db
    .prepare(
      "SELECT * FROM webhook_endpoints WHERE disabled_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 100",
    )
    .all<EndpointRow>();
  // Not `map(toEndpoint)`: map's index would stand in for the clock, and every ended overlap
  // would be listed as still signing.
  return results.map((row) => toEndpoint(row, now));
}

/**
 * One endpoint (active or disabled), or null.
 *
 * @example
 * const ep = await getEndpoint(env.DB, "whe_0123456789abcdef");
 */
export async function getEndpoint(db: D1Database, id: string): Promise<WebhookEndpoint | null> {
  const row = await db
    .prepare("SELECT * FROM webhook_endpoints WHERE id = ?")
    .bind(id)
    .first<EndpointRow>();
  return row ? toEndpoint(row) : null;
}

/**
 * Disable an endpoint: no new deliveries, pending (and held) ones are dropped as failed; its log
 * stays.
 * Returns false when there was no such active endpoint. With `by`, the audit row is written
 * in the same batch, only when the endpoint was active.
 *
 * @example
 * await disableEndpoint(env.DB, "whe_0123456789abcdef");
 */
export async function disableEndpoint(
  db: D1Database,
  id: string,
  by?: AuditActor,
): Promise<boolean> {
  const now = Date.now();
  const [res] = await db.batch([
    db
      .prepare("UPDATE webhook_endpoints SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL")
      .bind(now, id),
    // Right after the UPDATE: `changes()` is that statement's.
    ...auditIf(db, by, "webhook.delete", id, changesOf({}), now, true),
    db
      .prepare(
        "UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint deleted', next_attempt_at = NULL WHERE endpoint_id = ? AND status IN ('pending', 'held', 'retrying')",
      )
      .bind(id),
  ]);
  return (res?.meta.changes ?? 0) > 0;
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

/**
 * Create a `ping` delivery for an endpoint (not tied to a hop), for the receiver to test
 * its signature check. Returns the delivery id; dispatch it like any other.
 *
 * @example
 * const id = await sendTestEvent(env.DB, "whe_…");
 */
export async function sendTestEvent(db: D1Database, endpointId: string): Promise<string> {
  const now = Date.now();
  const eventId = `ping_${idPart()}`;
  const id = `whd_${endpointId.slice(4)}_${eventId}`;
  const payload = JSON.stringify({
    id: eventId,
    type: "ping",
    created: now,
    data: { endpoint_id: endpointId },
  });
  await db
    .prepare(
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status, attempts, created_at, next_attempt_at)
       VALUES (?, ?, ?, 'ping', ?, 'pending', 0, ?, ?)`,
    )
    .bind(id, endpointId, eventId, payload, now, now)
    .run();
  return id;
}
