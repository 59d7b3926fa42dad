/**
 * The Worker's queue handler. Messages are routed by their `t` field (`hops`, `webhook`, …), so
 * queue names can differ between deployments; a queue whose name ends in `-dlq` is a
 * dead-letter queue and its messages are stored in D1 (`dead_letters`) instead.
 */
import type { BridgeConfig } from "../config";
import { HOP_COLUMNS, hopRowProblem } from "../core/hop-row";
import { backoffSeconds } from "../core/webhook-events";
import type { Env } from "../env";
import { RETRY } from "../limits";
import { backgroundWork } from "./background";
import { deadLetterStatement, storeDeadLetters } from "./dead-letter-store";
import { hopEnvelopeId } from "./hop-ids";
import type { HopEnvelope } from "./hop-ingest";
import type { HopRow } from "./hops";
import { consumePosterDrops, isPosterDrop, type PosterDropMessage } from "./poster-redrop";
import type { WebhookMessage } from "./webhook-delivery";
import type { ReleaseMessage } from "./webhook-drain";

/** A message or row that can never be written, with why: it goes to `dead_letters` alone. */
interface SetAside {
  id: string;
  msg: Message<unknown>;
  body: unknown;
  error: string;
}

// A column an older writer did not send is null (no value), never undefined: the rollups tell
// the two apart (an undefined `ms_since_created` would count as a 0 ms delay).
function withNulls(row: HopRow): HopRow {
  if (HOP_COLUMNS.every((c) => row[c] !== undefined)) return row;
  const out = { ...row } as Record<string, unknown>;
  for (const c of HOP_COLUMNS) out[c] ??= null;
  return out as unknown as HopRow;
}

/**
 * Split a hop message into the rows the store accepts and the ones it never will. Each row is
 * judged on its own, so one bad row cannot hold back the rows that came with it.
 *
 * @example
 * const { good, bad } = splitHopRows(msg.body.rows);
 */
export function splitHopRows(rows: readonly unknown[]): {
  good: HopRow[];
  bad: { index: number; row: unknown; error: string }[];
} {
  const good: HopRow[] = [];
  const bad: { index: number; row: unknown; error: string }[] = [];
  rows.forEach((row, index) => {
    const error = hopRowProblem(row);
    if (error) bad.push({ index, row, error });
    else good.push(withNulls(row as HopRow));
  });
  return { good, bad };
}

/**
 * Consume a batch.
 * - hops: every row is checked on its own; bad rows go to `dead_letters` one by one (replay can
 *   put a repaired row back), the good rows of all messages are counted in one ingest
 *   (store/hop-ingest.ts), exactly once however often a message is delivered. When D1 fails,
 *   the hop messages are retried with exponential backoff and, after the consumer's
 *   `max_retries`, land in the dead-letter queue: never dropped silently. A batch that fails
 *   again is counted a message at a time, so one message D1 refuses holds back no other. The
 *   counting is the background work's (store/background.ts); while its module cannot be loaded,
 *   the hop messages are retried as when D1 fails.
 * - webhooks: each delivery attempted; failures retried with backoff. A `webhook-release`
 *   message is a step of a resumed endpoint's drain (store/webhook-drain.ts). Both run in the
 *   background work's module (store/background.ts); while it cannot be loaded, they are retried.
 * - poster-drop (on either queue): a store change's second drop of its posters' cache entries,
 *   every live poster's, a page an invocation (store/poster-redrop.ts); never counted, never
 *   dead-lettered.
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
  const hops: { msg: Message<unknown>; envelope: HopEnvelope }[] = [];
  const hooks: Message<WebhookMessage>[] = [];
  const drains: Message<ReleaseMessage>[] = [];
  const drops: Message<PosterDropMessage>[] = [];
  const aside: SetAside[] = [];
  for (const msg of batch.messages) {
    const body = msg.body as {
      t?: unknown;
      rows?: unknown;
      id?: unknown;
      endpoint?: unknown;
      again?: unknown;
    } | null;
    if (body?.t === "hops" && Array.isArray(body.rows)) {
      const { good, bad } = splitHopRows(body.rows);
      const { id, resent } = hopEnvelopeId(body, msg.id);
      // Named by the writer's id, not the queue message's: every copy of the request (a resend,
      // the spool) carries the same rows, and sets each bad one aside as the same letter, so a
      // replay of every letter counts it once.
      for (const b of bad)
        aside.push({
          id: `${id}:${b.index}`,
          msg,
          body: { t: "hops", rows: [b.row] },
          error: b.error,
        });
      const envelope = {
        id,
        resent,
        sentAt: msg.timestamp.getTime(),
        again: msg.attempts > 1 || body.again === true,
        rows: good,
      };
      hops.push({ msg, envelope });
    } else if (body?.t === "webhook" && typeof body.id === "string") {
      hooks.push(msg as Message<WebhookMessage>);
    } else if (body?.t === "webhook-release" && typeof body.endpoint === "string") {
      drains.push(msg as Message<ReleaseMessage>);
    } else if (isPosterDrop(body)) {
      drops.push(msg as Message<PosterDropMessage>);
    } else {
      aside.push({ id: msg.id, msg, body: msg.body, error: "unknown message" });
    }
  }
  const asideOk = aside.length ? await setAside(env.DB, batch.queue, aside) : true;
  await Promise.all([
    hops.length ? consumeHops(env, config, hops, asideOk) : null,
    hooks.length || drains.length ? consumeWebhooks(env, config, hooks, drains) : null,
    drops.length ? consumePosterDrops(env, drops) : null,
  ]);
  // A message that was only bad rows or unknown is done once its rows are stored aside.
  const handled = new Set([...hops.map((h) => h.msg), ...hooks, ...drains, ...drops]);
  for (const { msg } of aside) {
    if (handled.has(msg)) continue;
    if (asideOk) msg.ack();
    else msg.retry({ delaySeconds: 60 });
  }
}

/**
 * Failures in a row, counting a batch a message at a time, after which the rest of its
 * messages are retried untried: by then D1 is down, not refusing one message.
 */
const ALONE_FAILURES = 3;

async function consumeHops(
  env: Env,
  config: BridgeConfig,
  hops: { msg: Message<unknown>; envelope: HopEnvelope }[],
  asideOk: boolean,
): Promise<void> {
  try {
    await countHops(env, config, hops);
  } catch (err) {
    // A batch that failed before may be held back by one message D1 refuses whatever happens
    // (over one of its limits, say): count each message alone, so only that one is retried
    // (and, after max_retries, dead-lettered).
    if (hops.length > 1 && hops.some((h) => h.msg.attempts > 1)) {
      console.error(`qrbridge: hop batch of ${hops.length} failed again; counting alone`, err);
      return consumeAlone(env, config, hops, asideOk);
    }
    retryHops(hops, err);
    return;
  }
  ackHops(hops, asideOk);
}

async function countHops(
  env: Env,
  config: BridgeConfig,
  hops: { msg: Message<unknown>; envelope: HopEnvelope }[],
): Promise<void> {
  // By the background work's module (store/background.ts): while it cannot be loaded this
  // throws as a D1 failure does, and the messages are retried.
  await (await backgroundWork()).ingestHops(
    env,
    config,
    hops.filter((h) => h.envelope.rows.length > 0).map((h) => h.envelope),
  );
}

async function consumeAlone(
  env: Env,
  config: BridgeConfig,
  hops: { msg: Message<unknown>; envelope: HopEnvelope }[],
  asideOk: boolean,
): Promise<void> {
  let failures = 0;
  for (const [i, hop] of hops.entries()) {
    try {
      await countHops(env, config, [hop]);
      failures = 0;
      ackHops([hop], asideOk);
    } catch (err) {
      retryHops([hop], err);
      if (++failures >= ALONE_FAILURES) {
        retryHops(hops.slice(i + 1), err);
        return;
      }
    }
  }
}

function retryHops(hops: { msg: Message<unknown> }[], err: unknown): void {
  if (hops.length === 0) return;
  const attempts = Math.max(...hops.map((h) => h.msg.attempts));
  const { base, cap } = RETRY.hopBatch.backoff;
  const delaySeconds = backoffSeconds(attempts, base, cap);
  console.error(
    `qrbridge: hop batch of ${hops.length} failed (attempt ${attempts}); retrying in ${delaySeconds} s`,
    err,
  );
  for (const { msg } of hops) msg.retry({ delaySeconds });
}

// Counted; a message with bad rows is acknowledged only once they are stored aside (else the
// redelivery stores them, and its good rows are recognised as counted).
function ackHops(hops: { msg: Message<unknown>; envelope: HopEnvelope }[], asideOk: boolean): void {
  for (const { msg, envelope } of hops) {
    const hadBad = (msg.body as { rows: unknown[] }).rows.length !== envelope.rows.length;
    if (hadBad && !asideOk) msg.retry({ delaySeconds: 60 });
    else msg.ack();
  }
}

/**
 * The webhook messages, by the background work's module; while it cannot be loaded, each is
 * retried after the webhooks' backoff (so, like a D1 failure, never lost: the queue's
 * max_retries ends in the DLQ).
 */
async function consumeWebhooks(
  env: Env,
  config: BridgeConfig,
  hooks: Message<WebhookMessage>[],
  drains: Message<ReleaseMessage>[],
): Promise<void> {
  let work: Awaited<ReturnType<typeof backgroundWork>>;
  try {
    work = await backgroundWork();
  } catch (err) {
    console.error("qrbridge: webhook messages retried: their module could not be loaded", err);
    const { base, cap } = RETRY.webhook.backoff;
    for (const msg of [...hooks, ...drains])
      msg.retry({ delaySeconds: backoffSeconds(msg.attempts, base, cap) });
    return;
  }
  await Promise.all([
    ...hooks.map((m) => work.consumeWebhook(env, config, m)),
    ...drains.map((m) => work.consumeDrainStep(env, config, m)),
  ]);
}

/** Store messages or rows that can never succeed in `dead_letters`; false when D1 failed. */
async function setAside(db: D1Database, queue: string, items: SetAside[]): Promise<boolean> {
  try {
    await db.batch(
      items.map((i) =>
        deadLetterStatement(db, queue, {
          id: i.id,
          body: i.body,
          attempts: i.msg.attempts,
          error: i.error,
        }),
      ),
    );
    for (const i of items) console.error(`qrbridge: set aside ${i.id} from ${queue}: ${i.error}`);
    return true;
  } catch (err) {
    console.error("qrbridge: could not store poison messages; retrying", err);
    return false;
  }
}
