/**
 * The second drop of the poster cache entries of a store renamed or given another time zone.
 *
 * A scan in another isolate that read D1 just before the change writes its old entry (old name,
 * old zone: its hops filed on the old zone's days) after the change's delete, where it would stay
 * the entry's 300 s. A poster's own change deletes its one key again {@link REDROP_AFTER_MS}
 * later in the request's `waitUntil`; a store's change cannot (its request drops up to 500 keys:
 * twice that many deletes would pass the 1,000 KV operations an invocation may make, and a store
 * may have many more posters). So it sends one queue message naming the store, delayed as long,
 * and the consumer's invocation, with its own operation budget, deletes the keys of every poster
 * of the store (deleted ones too: their codes still answer, naming the store), a page of at most
 * {@link DROP_BUDGET} at a time, each page after the first in a new message that carries the
 * cursor. The message goes on the `WEBHOOKS` queue, else the
 * `HOPS` one: their consumer (store/queues.ts) routes it by its `t` and acknowledges it; it is
 * never counted nor dead-lettered. Without either queue, the request drops again in `waitUntil`
 * the posters it dropped, as many as its own budget leaves room for.
 *
 * A poster's own change keeps its timer: its one key fits its request's budget, a sleeping
 * `waitUntil` bills no CPU time where a message costs 3 queue operations, and the timer is needed
 * without a queue all the same.
 */
import type { Env } from "../env";
import type { WaitUntil } from "./hops";
import { dropAgainLater, posterCacheKey, REDROP_AFTER_MS } from "./poster-cache";

/** Where a store's drop goes on: after this poster, in `(created_at, id)` order. */
export interface DropCursor {
  created_at: number;
  id: string;
}

/**
 * The queue message: drop the KV entries of the store's posters (again), those after `after`
 * (absent: from its first). Not the ids: a store may have any number of posters.
 */
export interface PosterDropMessage {
  t: "poster-drop";
  store: string;
  after?: DropCursor;
}

/**
 * KV deletes one consumer invocation makes for these messages, whatever its batch holds: half of
 * the 1,000 operations an invocation may make, the rest left to the hops and webhooks beside
 * them (and to this consumer's D1 reads: one a message). A store's posters past it go on in a
 * new message (not a retry: no attempt is spent).
 */
export const DROP_BUDGET = 500;
/** Operations to other services (KV, R2, …) an invocation may make: Cloudflare's limit. */
const INVOCATION_OPS = 1_000;
/** What a store change's request makes besides its KV deletes (key check, D1 reads and writes). */
const REQUEST_OPS = 20;
/** Deliveries of a message whose deletes failed; fewer than any queue's `max_retries` (default 3). */
const DROP_ATTEMPTS = 3;
/** Most messages one `sendBatch` takes (Cloudflare's limit; these are < 200 bytes each). */
const SEND_BATCH = 100;

type DropEnv = Pick<Env, "DB" | "CACHE" | "WEBHOOKS" | "HOPS">;

/** The queue the drops travel on: any the bridge consumes will do, `WEBHOOKS` first (small batches). */
function dropQueue(env: Pick<Env, "WEBHOOKS" | "HOPS">): Queue<unknown> | undefined {
  return env.WEBHOOKS ?? env.HOPS;
}

async function sendDrops(queue: Queue<unknown>, bodies: PosterDropMessage[], delaySeconds: number) {
  for (let i = 0; i < bodies.length; i += SEND_BATCH)
    await queue.sendBatch(
      bodies.slice(i, i + SEND_BATCH).map((body) => ({ body, contentType: "json", delaySeconds })),
    );
}

/**
 * After a store's change dropped its posters' entries once (`ids`, `spent`: the KV deletes that
 * took), have every poster of the store dropped again {@link REDROP_AFTER_MS} later: one delayed
 * queue message naming the store, else (no queue, or it refused) `ids` in `later`'s `waitUntil`,
 * as many as the request's budget leaves room for. A failure is logged, never thrown: the change
 * itself is made.
 *
 * @example
 * const spent = await invalidatePosters(env.CACHE, ids);
 * await dropStorePostersAgain(env, store.id, ids, spent, c.executionCtx);
 */
export async function dropStorePostersAgain(
  env: Pick<Env, "CACHE" | "WEBHOOKS" | "HOPS">,
  store: string,
  ids: string[],
  spent: number,
  later?: WaitUntil,
): Promise<void> {
  if (ids.length === 0) return;
  const queue = dropQueue(env);
  if (queue) {
    try {
      const body: PosterDropMessage = { t: "poster-drop", store };
      await sendDrops(queue, [body], Math.ceil(REDROP_AFTER_MS / 1000));
      return;
    } catch (err) {
      console.error("qrbridge: could not queue the poster cache's second drop", err);
    }
  }
  const room = Math.max(0, INVOCATION_OPS - REQUEST_OPS - spent);
  if (later) dropAgainLater(env.CACHE, ids.slice(0, room), later);
}

const shortText = (v: unknown) => typeof v === "string" && v.length > 0 && v.length <= 64;

/**
 * Whether a queue message body is a {@link PosterDropMessage}.
 *
 * @example
 * if (isPosterDrop(msg.body)) drops.push(msg);
 */
export function isPosterDrop(body: unknown): body is PosterDropMessage {
  const b = body as { t?: unknown; store?: unknown; after?: unknown } | null;
  if (b?.t !== "poster-drop" || !shortText(b.store)) return false;
  if (b.after === undefined) return true;
  const a = b.after as { created_at?: unknown; id?: unknown } | null;
  return Number.isSafeInteger(a?.created_at) && shortText(a?.id);
}

/**
 * The store's next posters after the message's cursor, at most `limit`, and the cursor to go on
 * from when there are more: deleted ones too, whose printed codes still answer naming the store.
 * One query on the `(store_id, created_at, id)` index: it reads the page's rows, however far into
 * the store it is.
 */
async function nextPosters(
  db: D1Database,
  drop: PosterDropMessage,
  limit: number,
): Promise<{ ids: string[]; after: DropCursor | null }> {
  const from = drop.after ? "AND (created_at, id) > (?, ?)" : "";
  const { results } = await db
    .prepare(
      `SELECT id, created_at FROM posters WHERE store_id = ? ${from}
       ORDER BY created_at, id LIMIT ?`,
    )
    .bind(drop.store, ...(drop.after ? [drop.after.created_at, drop.after.id] : []), limit + 1)
    .all<DropCursor>();
  const rows = results.slice(0, limit);
  const last = rows[rows.length - 1];
  const after =
    results.length > limit && last ? { created_at: last.created_at, id: last.id } : null;
  return { ids: rows.map((r) => r.id), after };
}

/**
 * Consume drop messages: delete the KV entries of each store's posters, a page of the
 * store's posters a message, at most `budget` deletes in this invocation; a store with more goes
 * on from where it stopped in a new message. Each message is acknowledged once its posters are
 * deleted or carried; one whose read or deletes failed is retried, at most {@link DROP_ATTEMPTS}
 * deliveries, then let go (logged; its entries expire within their TTL), so none reaches a
 * dead-letter queue.
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
  const rest: PosterDropMessage[] = [];
  for (const msg of msgs) {
    // Over budget: carried untouched, no D1 read spent on it here.
    let after: DropCursor | null | undefined = msg.body.after;
    if (left > 0) {
      try {
        const next = await nextPosters(env.DB, msg.body, left);
        left -= next.ids.length;
        after = next.after;
        await Promise.all(next.ids.map((id) => env.CACHE.delete(posterCacheKey(id))));
      } catch (err) {
        giveBack(msg, err);
        continue;
      }
      if (!after) {
        msg.ack();
        continue;
      }
    }
    carried.push(msg);
    rest.push({ t: "poster-drop", store: msg.body.store, ...(after ? { after } : {}) });
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
