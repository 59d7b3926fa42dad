/**
 * Changing a webhook endpoint in place (`PATCH /v1/webhooks/:id`, `POST …/rotate-secret`): its
 * URL, events and description, pausing and resuming it, and rotating its secret, each with its
 * audit row in the same D1 batch. The endpoint keeps its id and its delivery log.
 */
import { customAlphabet } from "nanoid";
import { type AuditActor, changesOf } from "../core/audit";
import type { Keyring } from "../core/token";
import { auditIf } from "./audit-log";
import type { AnswerHook } from "./idempotency";
import { pauseSet } from "./webhook-hold";
import { endpointSecret } from "./webhook-secrets";
import { type EndpointRow, toEndpoint, type WebhookEndpoint } from "./webhooks";

const saltPart = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 24);

/** What `PATCH /v1/webhooks/:id` may change; absent fields stay as they are. */
export interface EndpointPatch {
  url?: string;
  events?: WebhookEndpoint["events"];
  description?: string | null;
  enabled?: boolean;
}

/**
 * Change an active endpoint. URL, events and description in one UPDATE (audit `webhook.update`,
 * the URL's host only, as at creation); `enabled: false` pauses it (`webhook.pause`) and `true`
 * resumes it (`webhook.resume`), each logged only when it changed the state; a resume also
 * clears the circuit breaker's failing state (store/webhook-breaker.ts), whoever paused it. Null when there is
 * no active endpoint `id`. A resume does not send what was held: the caller releases it
 * (store/webhook-hold.ts `releaseHeld`), after this batch, so nothing held is left behind.
 *
 * @example
 * const endpoint = await updateEndpoint(env.DB, "whe_…", { enabled: false }, Date.now(), by);
 */
export async function updateEndpoint(
  db: D1Database,
  id: string,
  patch: EndpointPatch,
  now: number,
  by?: AuditActor,
): Promise<WebhookEndpoint | null> {
  const statements: D1PreparedStatement[] = [];
  const events = patch.events ? [...new Set(patch.events)] : undefined;
  if (patch.url !== undefined || events !== undefined || patch.description !== undefined) {
    statements.push(
      db
        .prepare(
          `UPDATE webhook_endpoints SET url = coalesce(?2, url), events = coalesce(?3, events),
             description = CASE WHEN ?4 THEN ?5 ELSE description END
           WHERE id = ?1 AND disabled_at IS NULL`,
        )
        .bind(
          id,
          patch.url ?? null,
          events ? JSON.stringify(events) : null,
          patch.description !== undefined ? 1 : 0,
          patch.description ?? null,
        ),
      ...auditIf(
        db,
        by,
        "webhook.update",
        id,
        changesOf({
          host: patch.url === undefined ? undefined : new URL(patch.url).host,
          events,
          description: patch.description,
        }),
        now,
        true,
      ),
    );
  }
  if (patch.enabled === false) {
    statements.push(
      db
        .prepare(
          `UPDATE webhook_endpoints SET ${pauseSet("manual")}
           WHERE id = ?2 AND disabled_at IS NULL AND paused_at IS NULL`,
        )
        .bind(now, id),
      ...auditIf(db, by, "webhook.pause", id, changesOf({ enabled: false }), now, true),
    );
  } else if (patch.enabled === true) {
    statements.push(
      db
        .prepare(
          // A resume starts the breaker afresh: the receiver is back, or so its owner says.
          `UPDATE webhook_endpoints SET paused_at = NULL, paused_reason = NULL, failing_since = NULL,
             failures = 0 WHERE id = ? AND disabled_at IS NULL AND paused_at IS NOT NULL`,
        )
        .bind(id),
      ...auditIf(db, by, "webhook.resume", id, changesOf({ enabled: true }), now, true),
    );
  }
  statements.push(
    db.prepare("SELECT * FROM webhook_endpoints WHERE id = ? AND disabled_at IS NULL").bind(id),
  );
  const results = await db.batch(statements);
  const row = results.at(-1)?.results[0] as EndpointRow | undefined;
  return row ? toEndpoint(row, now) : null;
}

/**
 * Give an active endpoint a new secret, derived (never stored) from the current signing key, the
 * endpoint id and a new random salt, and returned here only. The secret it replaces keeps signing
 * beside it for `expiresInSeconds` (0: it stops now); a secret replaced before that, still in its
 * own window, stops now, so a delivery never carries more than two. Audit `webhook.rotate` (no
 * secret in it). Null when there is no active endpoint `id`.
 *
 * @example
 * const r = await rotateSecret(env.DB, config.keyring, "whe_…", 86_400, Date.now(), by);
 * // { secret: "whsec_…", previous_secret_expires_at: 1767312000000 }
 */
export async function rotateSecret(
  db: D1Database,
  ring: Keyring,
  id: string,
  expiresInSeconds: number,
  now: number,
  by?: AuditActor,
  answer?: AnswerHook<{ secret: string; previous_secret_expires_at: number | null }>,
): Promise<{ secret: string; previous_secret_expires_at: number | null } | null> {
  const salt = saltPart();
  const secret = (await endpointSecret(ring, ring.current, id, salt))!;
  const expiresAt = expiresInSeconds > 0 ? now + expiresInSeconds * 1000 : null;
  const rotated = { secret, previous_secret_expires_at: expiresAt };
  // An endpoint disabled (or unknown) rotates nothing: no answer then.
  const landed = {
    sql: "EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = ? AND secret_salt = ?)",
    args: [id, salt],
  };
  const [res] = await db.batch([
    // The replaced secret's columns are read before any is set (SQLite evaluates SET against
    // the row as it was), so the previous secret is the one that was current.
    db
      .prepare(
        `UPDATE webhook_endpoints SET
           previous_secret_kid = CASE WHEN ?4 IS NULL THEN NULL ELSE secret_kid END,
           previous_secret_salt = CASE WHEN ?4 IS NULL THEN NULL ELSE secret_salt END,
           previous_secret_expires_at = ?4,
           secret_kid = ?2, secret_salt = ?3
         WHERE id = ?1 AND disabled_at IS NULL`,
      )
      .bind(id, ring.current, salt, expiresAt),
    ...auditIf(
      db,
      by,
      "webhook.rotate",
      id,
      changesOf({ previous_secret_expires_at: expiresAt }),
      now,
      true,
    ),
    ...((await answer?.(rotated, landed)) ?? []),
  ]);
  if (!res?.meta.changes) return null;
  return rotated;
}

/**
 * The statement forgetting replaced secrets whose window has ended (the hourly cron's): after
 * it, nothing derives them any more.
 *
 * @example
 * await clearExpiredSecretsStatement(env.DB, Date.now()).run();
 */
export function clearExpiredSecretsStatement(db: D1Database, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE webhook_endpoints SET previous_secret_kid = NULL, previous_secret_salt = NULL,
         previous_secret_expires_at = NULL WHERE previous_secret_expires_at <= ?`,
    )
    .bind(now);
}
