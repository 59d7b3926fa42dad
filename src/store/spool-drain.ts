/**
 * Counting the spool: the hops the writer put in R2 (`spool/<id>.json`, store/hops.ts) when the
 * queue refused them, counted by the crons (store/maintenance.ts) the way the consumer counts a
 * batch: up to 100 objects in one transaction (store/hop-ingest.ts), then the objects are
 * deleted with one R2 call. An object counted but not deleted (R2 failing) is found counted by
 * the next run (every spooled copy carries the writer's id and is remembered in `hop_resent`).
 *
 * A run is bounded by its subrequests (10,000 an invocation on Workers Paid): each object costs
 * one R2 read, a chunk of 100 one list, one delete and a few D1 and archive calls, so
 * {@link SPOOL_PER_RUN} objects take ~5,300 and leave the rest of the cron its share.
 */
import type { BridgeConfig } from "../config";
import type { Env } from "../env";
import { deadLetterStatement } from "./dead-letter-store";
import { hopEnvelopeId, hopIdTime } from "./hop-ids";
import { type HopEnvelope, ingestHops } from "./hop-ingest";
import { SPOOL_PREFIX } from "./hops";
import { splitHopRows } from "./queues";

/** Spool objects counted per cron run; the rest wait for the next run (a minute, else an hour). */
export const SPOOL_PER_RUN = 5_000;
/** Objects counted in one transaction, as a consumer batch of 100 messages. */
const CHUNK = 100;
/** R2 reads at once (an invocation keeps at most 6 connections open). */
const READS_AT_ONCE = 6;

/** What a drain did: the rows counted, the objects done, and why it stopped early (else null). */
export interface SpoolDrained {
  rows: number;
  objects: number;
  failed: unknown;
}

/**
 * Count up to `limit` spool objects, oldest first, a chunk at a time. A chunk that fails (D1
 * refusing its transaction, R2 its delete) ends the run with `failed` set (and logged): the chunks before it
 * are counted and deleted, that one and the rest wait for the next run. An object R2 cannot
 * read now is left for the next run; one that is not a hop message, and each bad row, goes to
 * `dead_letters` (queue `spool`). Returns the rows counted and the objects done.
 *
 * @example
 * const { rows, objects, failed } = await drainSpool(env, config, Date.now());
 */
export async function drainSpool(
  env: Env,
  config: BridgeConfig,
  now: number,
  limit = SPOOL_PER_RUN,
): Promise<SpoolDrained> {
  const bucket = env.HOP_ARCHIVE;
  const done: SpoolDrained = { rows: 0, objects: 0, failed: null };
  if (!bucket) return done;
  let cursor: string | undefined;
  // Objects R2 cannot read count towards the limit too: each costs its subrequest all the same.
  for (let seen = 0; seen < limit; ) {
    const size = Math.min(CHUNK, limit - seen);
    const listed = await bucket.list({ prefix: SPOOL_PREFIX, limit: size, cursor });
    if (listed.objects.length === 0) break;
    seen += listed.objects.length;
    let chunk: { rows: number; objects: number };
    try {
      chunk = await drainChunk(env, config, bucket, listed.objects, now);
    } catch (err) {
      done.failed = err;
      console.error("qrbridge: spool drain stopped; the next run goes on", err);
      break;
    }
    done.rows += chunk.rows;
    done.objects += chunk.objects;
    if (!listed.truncated) break;
    cursor = listed.cursor;
  }
  return done;
}

/**
 * When the oldest spooled request was written (unix ms; from its writer's id, else when it was
 * put), or null when the spool is empty: the ledger of counted batches is kept back to it, so
 * that however late it is counted, a copy of it counted meanwhile is recognised.
 *
 * @example
 * const oldest = await oldestSpooled(env.HOP_ARCHIVE);
 */
export async function oldestSpooled(bucket: R2Bucket | undefined): Promise<number | null> {
  if (!bucket) return null;
  const [first] = (await bucket.list({ prefix: SPOOL_PREFIX, limit: 1 })).objects;
  if (!first) return null;
  const id = first.key.slice(SPOOL_PREFIX.length).replace(/\.json$/, "");
  return Math.min(hopIdTime(id) ?? Number.POSITIVE_INFINITY, first.uploaded.getTime());
}

/** Count one chunk of spool objects, then delete what was counted or set aside. */
async function drainChunk(
  env: Env,
  config: BridgeConfig,
  bucket: R2Bucket,
  objects: readonly R2Object[],
  now: number,
): Promise<{ rows: number; objects: number }> {
  const texts = await readAll(bucket, objects);
  const letters: D1PreparedStatement[] = [];
  const envelopes: HopEnvelope[] = [];
  const finished: string[] = [];
  const letter = (id: string, body: unknown, error: string) =>
    deadLetterStatement(env.DB, "spool", { id, body, attempts: 1, error });
  objects.forEach((o, i) => {
    const text = texts[i];
    if (text === undefined) return; // R2 could not read it now: the next run tries again
    if (text === null) return; // gone: a concurrent run counted it
    finished.push(o.key);
    let body: { t?: unknown; rows?: unknown; id?: unknown; again?: unknown } | null;
    try {
      body = JSON.parse(text);
    } catch (err) {
      letters.push(letter(o.key, text, `unreadable: ${(err as Error).message}`));
      return;
    }
    if (body?.t !== "hops" || !Array.isArray(body.rows)) {
      letters.push(letter(o.key, body, "unknown message"));
      return;
    }
    const { good, bad } = splitHopRows(body.rows);
    const envelope = hopEnvelopeId(body, o.key);
    // The same letter id as the queue consumer gives a bad row of another copy (store/queues.ts).
    for (const b of bad)
      letters.push(letter(`${envelope.id}:${b.index}`, { t: "hops", rows: [b.row] }, b.error));
    const sentAt = o.uploaded.getTime() || now;
    envelopes.push({ ...envelope, sentAt, again: true, rows: good });
  });
  if (letters.length) await env.DB.batch(letters);
  const withRows = envelopes.filter((e) => e.rows.length > 0);
  const counted = new Set(
    withRows.length ? (await ingestHops(env, config, withRows, now)).counted : [],
  );
  if (finished.length) await bucket.delete(finished);
  const rows = withRows.filter((e) => counted.has(e.id)).reduce((n, e) => n + e.rows.length, 0);
  return { rows, objects: finished.length };
}

/** The objects' texts, a few reads at a time: null when gone, undefined when R2 failed. */
async function readAll(
  bucket: R2Bucket,
  objects: readonly R2Object[],
): Promise<(string | null | undefined)[]> {
  const texts: (string | null | undefined)[] = new Array(objects.length);
  let next = 0;
  const reader = async () => {
    while (next < objects.length) {
      const i = next++;
      const key = objects[i]!.key;
      try {
        const object = await bucket.get(key);
        texts[i] = object ? await object.text() : null;
      } catch (err) {
        console.error(`qrbridge: could not read spooled ${key}; the next run retries`, err);
        texts[i] = undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READS_AT_ONCE, objects.length) }, reader));
  return texts;
}
