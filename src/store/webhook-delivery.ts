/**
 * Sending webhook deliveries: sign, POST, record the attempt, decide whether to retry.
 * Deliveries are created by the hop writer (see store/webhook-fanout.ts) and handed on by
 * store/webhook-dispatch.ts: through the `WEBHOOKS` queue (retries with backoff) or, without one,
 * sent directly. In this repository's Worker this module is the maintenance kit's
 * (store/background.ts): the main bundle only queues.
 */
import type { DeployEnv } from "../config";
import type { Keyring } from "../core/token";
import { checkOutboundUrl } from "../core/url-safety";
import {
  type BreakerRule,
  breakerWrite,
  DEFAULT_BREAKER,
  type FailingState,
} from "../core/webhook-breaker";
import { nextAttemptAt, retryDelays } from "../core/webhook-retry";
import { RETRY } from "../limits";
import { failingStatements } from "./webhook-breaker";
import { holdIfPaused } from "./webhook-hold";
import { type SecretColumns, signatureHeaders, signingSecrets } from "./webhook-secrets";

const TIMEOUT_MS = 10_000;

/** The waits after each failed try (core/webhook-retry.ts), as the JSON array the UPDATE indexes. */
const RETRY_DELAYS = JSON.stringify(retryDelays(RETRY.webhook));

/** The queue message of one delivery. */
export interface WebhookMessage {
  t: "webhook";
  id: string;
}

export type DeliveryOutcome =
  | { outcome: "delivered"; attempts: number }
  | { outcome: "retry"; attempts: number; delaySeconds: number }
  | { outcome: "failed"; attempts: number }
  | { outcome: "skipped"; reason: string };

interface Target extends SecretColumns, FailingState {
  id: string;
  endpoint_id: string;
  event_type: string;
  payload: string;
  status: string;
  attempts: number;
  url: string;
  disabled_at: number | null;
  paused_at: number | null;
  next_attempt_at: number | null;
}

/**
 * How early a try may come before the due time its delivery shows and still be that try: the
 * queue's delay is whole seconds, read back from the stored time.
 */
const EARLY_SLACK_MS = 5_000;

/**
 * Attempt one delivery: POST the stored payload, signed twice — `QB-Signature` and the Standard
 * Webhooks headers (`webhook-id` is the delivery id, the same on every retry: the receiver's
 * idempotency key) — with `QB-Event` and `QB-Delivery` headers and a 10 s timeout. The endpoint's URL is checked again first (as at
 * registration, core/url-safety.ts), so an endpoint stored before that check, or one that
 * points into a private network, is never called: the delivery fails at once. Redirects are
 * not followed (a 3xx is a failed attempt). Every attempt is logged in `webhook_attempts` with
 * the status code only — never the receiver's body. A 2xx marks it delivered; anything else
 * schedules a retry until `RETRY.webhook.attempts` (limits.ts). Already-delivered deliveries are
 * skipped, so a duplicate queue message sends nothing twice, and so is a retrying one whose
 * due time is still ahead (a later "Retry now" took its schedule over), or a queue retry
 * (`opts.queued`: its message's `attempts` > 1) sent before the delivery was made `pending`
 * again: "Retry now" (or a replay) queued a try of its own, which must be the only one. While
 * its endpoint is paused a delivery (a test ping excepted) is not sent but `held`, its tries
 * kept, until a resume sends it; during a secret rotation it is signed with both secrets.
 * `opts.env` is the deployment's
 * (`config.env`): plain http to localhost is allowed only outside production, and without it
 * the production rule applies.
 *
 * @example
 * const result = await deliverWebhook(env.DB, config.keyring, "whd_…", { env: config.env });
 * if (result.outcome === "retry") msg.retry({ delaySeconds: result.delaySeconds });
 */
export async function deliverWebhook(
  db: D1Database,
  ring: Keyring,
  id: string,
  opts: {
    fetch?: typeof fetch;
    now?: () => number;
    env?: DeployEnv;
    /** The queue message: its deliveries so far and when it was first sent (unix ms). */
    queued?: { attempts: number; sentAt: number };
    /** The circuit breaker's rule (`config.webhookBreaker`): null or absent, nothing is counted. */
    breaker?: BreakerRule | null;
  } = {},
): Promise<DeliveryOutcome> {
  const now = opts.now ?? Date.now;
  const target = await db
    .prepare(
      `SELECT d.id, d.endpoint_id, d.event_type, d.payload, d.status, d.attempts, d.next_attempt_at, e.url,
              e.secret_kid, e.secret_salt, e.previous_secret_kid, e.previous_secret_salt,
              e.previous_secret_expires_at, e.disabled_at, e.paused_at, e.failing_since, e.failures
       FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ?`,
    )
    .bind(id)
    .first<Target>();
  if (!target) return { outcome: "skipped", reason: "no such delivery" };
  // Expired (not kept while paused) is final too: a stale queue message sends nothing.
  if (target.status === "delivered" || target.status === "failed" || target.status === "expired")
    return { outcome: "skipped", reason: `already ${target.status}` };
  if (target.disabled_at !== null) return { outcome: "skipped", reason: "endpoint disabled" };
  // Held while its endpoint is paused: only a resume (store/webhook-edit.ts releaseHeld) sends it.
  if (target.status === "held") return { outcome: "skipped", reason: "held while paused" };

  const started = now();
  // A try that comes well before the due time is one a later try has taken over: "Retry now"
  // on a retrying delivery sends a new message, and the earlier one still arrives. Sending it
  // would run two chains on one budget of tries, with a due time that is wrong every other try.
  if (
    target.status === "retrying" &&
    target.next_attempt_at !== null &&
    target.next_attempt_at > started + EARLY_SLACK_MS
  )
    return { outcome: "skipped", reason: "superseded by a later try" };
  // A backoff retry follows a try that left the delivery `retrying`: finding it `pending` since
  // after its message was sent, it is the earlier chain's, and the try queued since may be under
  // way right now. The later try's own message sent after that time, so its retries go on.
  const q = opts.queued;
  if (
    target.status === "pending" &&
    target.attempts > 0 &&
    q !== undefined &&
    q.attempts > 1 &&
    q.sentAt < (target.next_attempt_at ?? 0)
  )
    return { outcome: "skipped", reason: "superseded by a later try" };
  // A paused endpoint gets nothing but the test pings that check its receiver before a resume.
  if (await holdIfPaused(db, target))
    return { outcome: "skipped", reason: "endpoint paused: held" };
  const allowed = checkOutboundUrl(target.url, {
    allowLocalHttp: (opts.env ?? "production") !== "production",
  });
  if (!allowed.ok) {
    const error = `not sent: the endpoint URL ${allowed.reason}`;
    const a = { statusCode: null, error, started, ended: now() };
    return recordAttempt(db, target, a, opts.breaker ?? null, true);
  }
  let statusCode: number | null = null;
  let error: string | null = null;
  const secrets = await signingSecrets(ring, target.endpoint_id, target, started);
  if (!secrets) {
    error = `signing key ${target.secret_kid} is no longer in QB_SIGNING_KEYS`;
  } else {
    const t = Math.floor(started / 1000);
    try {
      const res = await (opts.fetch ?? fetch)(allowed.url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          "content-type": "application/json",
          "user-agent": "qrbridge-webhooks/1",
          // Receivers hold one of two texts of the first key (store/webhook-secrets.ts
          // secretTexts), or during a rotation the old secret or the new: one signature per
          // text lets each verify without knowing which it was given.
          ...(await signatureHeaders(secrets, target.id, t, target.payload)),
          "qb-event": target.event_type,
          "qb-delivery": target.id,
          "webhook-id": target.id,
          "webhook-timestamp": String(t),
        },
        body: target.payload,
      });
      statusCode = res.status;
      // The answer's body is never read or stored: a receiver (or whatever answers in its
      // place) may say things that are nobody's business in the delivery log.
      await res.body?.cancel();
      if (res.status >= 300 && res.status <= 399)
        error = `HTTP ${res.status} (redirects are not followed)`;
      else if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
    } catch (err) {
      error =
        (err as Error).name === "TimeoutError"
          ? "timed out after 10 s"
          : `could not connect (${(err as Error).name ?? "Error"}: ${(err as Error).message ?? ""})`;
    }
  }
  return recordAttempt(
    db,
    target,
    { statusCode, error, started, ended: now() },
    opts.breaker ?? null,
  );
}

/**
 * Log an attempt and move the delivery on; `final` fails it at once (no retry can help). A
 * delivery another attempt delivered meanwhile (a duplicate queue message, the cron's push)
 * stays delivered whatever this attempt got: the attempt is logged, nothing is sent again.
 * The endpoint is written only when the attempt changes its failing state (core/webhook-breaker.ts
 * `breakerWrite`): a healthy endpoint's success adds no statement at all.
 */
async function recordAttempt(
  db: D1Database,
  target: Target,
  a: { statusCode: number | null; error: string | null; started: number; ended: number },
  breaker: BreakerRule | null,
  final = false,
): Promise<DeliveryOutcome> {
  const id = target.id;
  const ok = a.error === null;
  const failing = breakerWrite(ok, target, breaker);
  const [update] = await db.batch([
    db
      .prepare(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status_code = ?2, last_error = ?3,
           status = CASE WHEN ?4 OR status = 'delivered' THEN 'delivered'
             WHEN ?8 OR attempts + 1 >= ?5 THEN 'failed' ELSE 'retrying' END,
           delivered_at = CASE WHEN status = 'delivered' THEN delivered_at WHEN ?4 THEN ?6 ELSE NULL END,
           next_attempt_at = CASE WHEN ?4 OR status = 'delivered' OR ?8 OR attempts + 1 >= ?5 THEN NULL
             ELSE ?6 + 1000 * json_extract(?7, '$[' || min(attempts, json_array_length(?7) - 1) || ']') END
         WHERE id = ?1 RETURNING attempts, status, next_attempt_at`,
      )
      .bind(
        id,
        a.statusCode,
        a.error?.slice(0, 500) ?? null,
        ok ? 1 : 0,
        RETRY.webhook.attempts,
        a.ended,
        RETRY_DELAYS,
        final ? 1 : 0,
      ),
    db
      .prepare(
        `INSERT OR REPLACE INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
         SELECT id, attempts, ?2, ?3, ?4, ?5 FROM webhook_deliveries WHERE id = ?1`,
      )
      .bind(id, a.started, a.statusCode, a.error?.slice(0, 500) ?? null, a.ended - a.started),
    // A "count" comes only with a rule; a "clear" (the breaker off included) reads none.
    ...(failing
      ? failingStatements(db, target.endpoint_id, failing, a.ended, breaker ?? DEFAULT_BREAKER)
      : []),
  ]);
  const row = update?.results[0] as
    | { attempts: number; status: string; next_attempt_at: number | null }
    | undefined;
  const attempts = row?.attempts ?? 0;
  if (row?.status === "delivered") return { outcome: "delivered", attempts };
  if (row?.status === "failed") return { outcome: "failed", attempts };
  // The queue waits until the time the log shows, so what an operator reads is what happens.
  const due = row?.next_attempt_at ?? nextAttemptAt(attempts, a.ended, RETRY.webhook) ?? a.ended;
  return {
    outcome: "retry",
    attempts,
    delaySeconds: Math.max(0, Math.round((due - a.ended) / 1000)),
  };
}
