/**
 * Webhook endpoints in D1 (`webhook_endpoints`), and the test ping. An endpoint's signing secret
 * is never stored: it is derived from the bridge's signing key (HMAC of the endpoint id), shown
 * once at creation and re-derived to sign. The delivery log's reads: store/webhook-log.ts.
 */
import { customAlphabet } from "nanoid";
import { type AuditActor, changesOf } from "../core/audit";
import type { Keyring } from "../core/token";
import type { WebhookEventType } from "../core/webhook-events";
import { auditIf } from "./audit-log";
import type { AnswerHook } from "./idempotency";
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
  /**
   * Why it is paused: `manual` (`PATCH {enabled: false}`) or `failing` (the circuit breaker,
   * store/webhook-breaker.ts); null while it runs.
   */
  paused_reason: "manual" | "failing" | null;
  /**
   * Since when (unix ms) its receiver has failed every attempt: the first failure since the last
   * success; null once one succeeds (or a resume).
   */
  failing_since: number | null;
  /** During a secret rotation, when the replaced secret stops signing (unix ms); else null. */
  previous_secret_expires_at: number | null;
  /**
   * What the current (or last) pause did not keep: deliveries marked `expired`
   * (store/webhook-hold-expiry.ts), with the creation times of the oldest and newest; null
   * when it kept everything.
   */
  hold_expired: { count: number; from: number; to: number } | null;
}

/** A `webhook_endpoints` row (migrations/0005, 0021, 0023, 0025). */
export interface EndpointRow
  extends Omit<WebhookEndpoint, "events" | "enabled" | "hold_expired" | "paused_reason">,
    SecretColumns {
  events: string;
  paused_reason: string | null;
  failures: number;
  hold_expired: number | null;
  hold_expired_from: number | null;
  hold_expired_to: number | null;
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
  // A pause from before the breaker (no reason stored) was a manual one.
  paused_reason: r.paused_at === null ? null : r.paused_reason === "failing" ? "failing" : "manual",
  failing_since: r.failing_since ?? null,
  previous_secret_expires_at: previousSecretEnds(r, now),
  hold_expired: r.hold_expired
    ? { count: r.hold_expired, from: r.hold_expired_from ?? 0, to: r.hold_expired_to ?? 0 }
    : null,
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
  answer?: AnswerHook<{ endpoint: WebhookEndpoint; secret: string }>,
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
    paused_reason: null,
    failing_since: null,
    previous_secret_expires_at: null,
    hold_expired: null,
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
  await db.batch([
    insert,
    ...auditIf(db, by, "webhook.create", endpoint.id, changes, at),
    ...((await answer?.({ endpoint, secret })) ?? []),
  ]);
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
