/**
 * The second drop of the poster cache entries a store's rename or time zone change dropped.
 *
 * A scan in another isolate that read D1 just before the change writes its old entry (old name,
 * old zone: its hops filed on the old zone's days) after the change's delete, where it would stay
 * the entry's 300 s. A poster's own change deletes its one key again {@link REDROP_AFTER_MS}
 * later in the request's `waitUntil`; a store's change cannot (up to 500 keys: twice that many
 * deletes would pass the 1,000 KV operations an invocation may make). So it sends one queue
 * message, delayed as long, and the consumer's invocation, with its own operation budget, deletes
 * the keys again. The message goes on the `WEBHOOKS` queue, else the `HOPS` one: their consumer
 * (store/queues.ts) routes it by its `t` and acknowledges it; it is never counted nor
 * dead-lettered. Without either queue, the request drops again in `waitUntil` as many as its own
 * budget leaves room for.
 *
 * A poster's own change keeps its timer: its one key fits its request's budget, a sleeping
 * `waitUntil` bills no CPU time where a message costs 3 queue operations, and the timer is needed
 * without a queue all the same.
 */
import type { Env } from "../env";
import type { WaitUntil } from "./hops";
import { dropAgainLater, posterCacheKey, REDROP_AFTER_MS } from "./poster-cache";

/** The queue message: drop the KV entries of these posters (again). */
export interface PosterDropMessage {
  t: "poster-drop";
  ids: string[];
}

/** Most poster ids in one message: a store change's 500 (`LIMITS.renameInvalidatePosters`), ~5 KB. */
export const DROP_MESSAGE_IDS = 500;
/**
 * KV deletes one consumer invocation makes for these messages, whatever its batch holds: half of
 * the 1,000 operations an invocation may make, the rest left to the hops and webhooks beside
 * them. Ids past it are carried to a new message (not a retry: no attempt is spent).
 */
export const DROP_BUDGET = 500;
/** Operations to other services (KV, R2, …) an invocation may make: Cloudflare's limit. */
const INVOCATION_OPS = 1_000;
/** What a store change's request makes besides its KV deletes (key check, D1 reads and writes). */
const REQUEST_OPS = 20;
/** Deliveries of a message whose deletes failed; fewer than any queue's `max_retries` (default 3). */
const DROP_ATTEMPTS = 3;

type DropEnv = Pick<Env, "CACHE" | "WEBHOOKS" | "HOPS">;

/** The queue the drops travel on: any the bridge consumes will do, `WEBHOOKS` first (small batches). */
function dropQueue(env: DropEnv): Queue<unknown> | undefined {
  return env.WEBHOOKS ?? env.HOPS;
}

/** `ids` in messages of at most {@link DROP_MESSAGE_IDS}, sent 20 at a time (a batch's 256 KB). */
async function sendDrops(queue: Queue<unknown>, ids: string[], delaySeconds: number) {
  const bodies: PosterDropMessage[] = [];
  for (let i = 0; i < ids.length; i += DROP_MESSAGE_IDS)
    bodies.push({ t: "poster-drop", ids: ids.slice(i, i + DROP_MESSAGE_IDS) });
  for (let i = 0; i < bodies.length; i += 20)
    await queue.sendBatch(
      bodies.slice(i, i + 20).map((body) => ({ body, contentType: "json", delaySeconds })),
    );
}

/**
 * After a store's change dropped its posters' entries once (`spent`: the KV deletes that took),
 * have them dropped again {@link REDROP_AFTER_MS} later: one delayed queue message, else (no
 * queue, or it refused) in `later`'s `waitUntil`, as many as the request's budget leaves room
 * for. A failure is logged, never thrown: the change itself is made.
 *
 * @example
 * const spent = await invalidatePosters(env.CACHE, ids);
 * await dropStorePostersAgain(env, ids, spent, c.executionCtx);
 */
export async function dropStorePostersAgain(
  env: DropEnv,
  ids: string[],
  spent: number,
  later?: WaitUntil,
): Promise<void> {
  if (ids.length === 0) return;
  const queue = dropQueue(env);
  if (queue) {
    try {
      await sendDrops(queue, ids, Math.ceil(REDROP_AFTER_MS / 1000));
      return;
    } catch (err) {
      console.error("qrbridge: could not queue the poster cache's second drop", err);
    }
  }
  const room = Math.max(0, INVOCATION_OPS - REQUEST_OPS - spent);
  if (later) dropAgainLater(env.CACHE, ids.slice(0, room), later);
}

/**
 * Whether a queue message body is a {@link PosterDropMessage}.
 *
 * @example
 * if (isPosterDrop(msg.body)) drops.push(msg);
 */
export function isPosterDrop(body: unknown): body is PosterDropMessage {
  const b = body as { t?: unknown; ids?: unknown } | null;
  return (
    b?.t === "poster-drop" &&
    Array.isArray(b.ids) &&
    b.ids.every((id) => typeof id === "string" && id.length > 0 && id.length <= 64)
  );
}

/**
 * Consume drop messages: delete their posters' KV entries, at most `budget` in this invocation;
 * the ids past it go on in new messages. Each message is acknowledged once its ids are deleted or
 * carried; one whose deletes failed is retried, at most {@link DROP_ATTEMPTS} deliveries, then
 * let go (logged; its entries expire within their TTL), so none reaches a dead-letter queue.
 *
 * @example
 * await consumePosterDrops(env, drops);
 */
export async function consumePosterDrops(
  env: DropEnv,
  msgs: readonly Message<PosterDropMessage>[],
  budget = DROP_BUDGET,
): Promise<void> {
  let left = budget;
  const carried: Message<PosterDropMessage>[] = [];
  const rest: string[] = [];
  for (const msg of msgs) {
    const ids = msg.body.ids;
    const now = ids.slice(0, left);
    left -= now.length;
    try {
      await Promise.all(now.map((id) => env.CACHE.delete(posterCacheKey(id))));
    } catch (err) {
      giveBack(msg, err);
      continue;
    }
    if (now.length === ids.length) msg.ack();
    else {
      carried.push(msg);
      rest.push(...ids.slice(now.length));
    }
  }
  if (rest.length === 0) return;
  try {
    const queue = dropQueue(env);
    if (!queue) throw new Error("no queue to carry the rest on");
    await sendDrops(queue, rest, 0);
    for (const msg of carried) msg.ack();
  } catch (err) {
    for (const msg of carried) giveBack(msg, err);
  }
}

function giveBack(msg: Message<PosterDropMessage>, err: unknown): void {
  if (msg.attempts < DROP_ATTEMPTS) {
    msg.retry({ delaySeconds: Math.ceil(REDROP_AFTER_MS / 1000) });
    return;
  }
  console.error(`qrbridge: poster cache drop ${msg.id} failed ${msg.attempts} times`, err);
  msg.ack();
}
