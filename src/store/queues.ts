/**
 * The Worker's queue handler. Messages are routed by their `t` field (`hop`, `webhook`), so
 * queue names can differ between deployments; a queue whose name ends in `-dlq` is a
 * dead-letter queue and its messages are stored in D1 (`dead_letters`) instead.
 */
import type { BridgeConfig } from "../config";
import { backoffSeconds } from "../core/webhook-events";
import type { Env } from "../env";
import { persistHops } from "./hop-ingest";
import { HOP_NAMES, type HopMessage, type HopRow, hopMessageRows } from "./hops";
import { deliverWebhook, type WebhookMessage } from "./webhook-delivery";

/** Backoff of a failed hop batch: 5 s, 10 s, 20 s, … capped at 5 minutes. */
export const HOP_BACKOFF = { base: 5, cap: 300 } as const;

const KINDS = new Set(["handoff", "poster", "login"]);
const HOPS = new Set<string>(HOP_NAMES);
const str = (v: unknown, max: number) => typeof v === "string" && v.length > 0 && v.length <= max;
const optStr = (v: unknown, max: number) => v === null || v === undefined || str(v, max);

/**
 * Whether a message body is a hop message whose every row the table accepts. A row that is not
 * would fail the whole batch's transaction on every retry (a poison message), so such a message
 * is set aside instead.
 *
 * @example
 * if (!isHopMessage(msg.body)) await storeDeadLetters(…);
 */
export function isHopMessage(body: unknown): body is HopMessage {
  const b = body as { t?: unknown; row?: unknown; rows?: unknown } | null;
  if (b?.t === "hop") return isHopRow(b.row);
  return b?.t === "hops" && Array.isArray(b.rows) && b.rows.length > 0 && b.rows.every(isHopRow);
}

/**
 * Whether a value is a well-formed hop row (a message from the queue is untrusted input).
 *
 * @example
 * if (!isHopRow(row)) await storeDeadLetters(…);
 */
export function isHopRow(row: unknown): row is HopRow {
  if (typeof row !== "object" || row === null) return false;
  const r = row as Record<string, unknown>;
  return (
    str(r.event_id, 100) &&
    typeof r.at === "number" &&
    Number.isFinite(r.at) &&
    typeof r.day === "string" &&
    /^\d{4}-\d{2}-\d{2}$/.test(r.day) &&
    KINDS.has(r.kind as string) &&
    str(r.subject_id, 200) &&
    HOPS.has(r.hop as string) &&
    (r.bot === 0 || r.bot === 1) &&
    ["store_id", "campaign_id", "poster_id", "session_id", "platform", "in_app", "country"]
      .concat(["colo", "referrer_host", "ip_hash"])
      .every((k) => optStr(r[k], 200)) &&
    optStr(r.detail, 4000) &&
    (r.ms_since_created === null ||
      r.ms_since_created === undefined ||
      typeof r.ms_since_created === "number")
  );
}

/**
 * Consume a batch.
 * - hops: written with {@link persistHops} (one transaction per batch; idempotent). When D1
 *   fails, the whole batch is retried with exponential backoff (`retryAll`), and after the
 *   consumer's `max_retries` it lands in the dead-letter queue: never dropped silently.
 * - webhooks: each delivery attempted; failures retried with backoff.
 * - dead-letter queues: stored in `dead_letters` for an operator to inspect and replay.
 *
 * @example
 * export default { queue: (batch, env, ctx) => consumeQueueBatch(batch, env, ctx, config) };
 */
export async function consumeQueueBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  _ctx: ExecutionContext,
  config: BridgeConfig,
): Promise<void> {
  if (batch.queue.endsWith("-dlq")) return storeDeadLetters(env.DB, batch);
  const hops: Message<HopMessage>[] = [];
  const hooks: Message<WebhookMessage>[] = [];
  const poison: { msg: Message<unknown>; error: string }[] = [];
  for (const msg of batch.messages) {
    const body = msg.body as { t?: string; row?: unknown; rows?: unknown; id?: unknown } | null;
    if (isHopMessage(body)) hops.push(msg as Message<HopMessage>);
    else if (body?.t === "webhook" && typeof body.id === "string")
      hooks.push(msg as Message<WebhookMessage>);
    else {
      const error = body?.t === "hop" || body?.t === "hops" ? "invalid hop row" : "unknown message";
      poison.push({ msg, error });
    }
  }
  await Promise.all([
    poison.length ? setAside(env.DB, batch.queue, poison) : null,
    hops.length ? consumeHops(env, config, hops) : null,
    ...hooks.map((m) => consumeWebhook(env, config, m)),
  ]);
}

async function consumeHops(
  env: Env,
  config: BridgeConfig,
  messages: Message<HopMessage>[],
): Promise<void> {
  try {
    await persistHops(
      env,
      config.keyring,
      messages.flatMap((m) => hopMessageRows(m.body)),
    );
    for (const m of messages) m.ack();
  } catch (err) {
    const attempts = Math.max(...messages.map((m) => m.attempts));
    const delaySeconds = backoffSeconds(attempts, HOP_BACKOFF.base, HOP_BACKOFF.cap);
    console.error(
      `qrbridge: hop batch of ${messages.length} failed (attempt ${attempts}); retrying in ${delaySeconds} s`,
      err,
    );
    for (const m of messages) m.retry({ delaySeconds });
  }
}

async function consumeWebhook(
  env: Env,
  config: BridgeConfig,
  msg: Message<WebhookMessage>,
): Promise<void> {
  try {
    const result = await deliverWebhook(env.DB, config.keyring, msg.body.id, { env: config.env });
    if (result.outcome === "retry") msg.retry({ delaySeconds: result.delaySeconds });
    else msg.ack();
  } catch (err) {
    // D1 itself failed: try again later; the queue's max_retries ends in the DLQ.
    console.error("qrbridge: webhook delivery could not run", msg.body.id, err);
    msg.retry({ delaySeconds: backoffSeconds(msg.attempts, 30, 3600) });
  }
}

/** Messages that can never succeed go straight to `dead_letters`, then are acknowledged. */
async function setAside(
  db: D1Database,
  queue: string,
  items: { msg: Message<unknown>; error: string }[],
): Promise<void> {
  try {
    await db.batch(items.map(({ msg, error }) => deadLetterStatement(db, queue, msg, error)));
    for (const { msg, error } of items) {
      console.error(`qrbridge: set aside message ${msg.id} from ${queue}: ${error}`);
      msg.ack();
    }
  } catch (err) {
    console.error("qrbridge: could not store poison messages; retrying", err);
    for (const { msg } of items) msg.retry({ delaySeconds: 60 });
  }
}

function deadLetterStatement(
  db: D1Database,
  queue: string,
  msg: Message<unknown>,
  error: string | null,
): D1PreparedStatement {
  const body = msg.body as { t?: unknown } | null;
  return db
    .prepare(
      "INSERT OR IGNORE INTO dead_letters (id, queue, type, body, attempts, error, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(
      msg.id,
      queue,
      typeof body?.t === "string" ? body.t : null,
      JSON.stringify(msg.body ?? null),
      msg.attempts,
      error,
      Date.now(),
    );
}

/**
 * The dead-letter consumer: store every message in `dead_letters` (and mark a dead webhook
 * delivery `failed`) in one batch, then acknowledge. If D1 is down, retry.
 */
async function storeDeadLetters(db: D1Database, batch: MessageBatch<unknown>): Promise<void> {
  const stmts: D1PreparedStatement[] = [];
  for (const msg of batch.messages) {
    stmts.push(deadLetterStatement(db, batch.queue, msg, "retries exhausted"));
    const body = msg.body as { t?: string; id?: unknown } | null;
    if (body?.t === "webhook" && typeof body.id === "string") {
      stmts.push(
        db
          .prepare(
            "UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE id = ? AND status != 'delivered'",
          )
          .bind(body.id),
      );
    }
  }
  try {
    await db.batch(stmts);
    console.error(
      `qrbridge: ${batch.messages.length} message(s) dead-lettered from ${batch.queue}; see the dead_letters table`,
    );
    batch.ackAll();
  } catch (err) {
    console.error(`qrbridge: could not store dead letters from ${batch.queue}; retrying`, err);
    batch.retryAll({ delaySeconds: 60 });
  }
}
