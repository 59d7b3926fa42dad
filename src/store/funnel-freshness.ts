/**
 * How current a funnel is: hops reach the rollups through a queue and its consumer, and when a
 * queue refuses them, through the R2 spool the cron counts (store/queues.ts, spool-drain.ts). A
 * funnel answer carries this small block so a reader can tell "no scans in the last hour" from
 * "the last hour's scans are not counted yet". Every read is bounded by a constant, whatever the
 * data: the newest {@link FRESH_BATCHES} rows of `hop_batches` (its primary key, newest first),
 * at most {@link DEAD_LETTERS_CAP} + 1 entries of the partial index `dead_letters_envelope`, and
 * one R2 `list` of at most {@link SPOOL_CAP} keys (one class A operation).
 */
import { hopIdTime } from "./hop-ids";
import { SPOOL_PREFIX } from "./hops";

/** Newest counted batches whose requests' times are looked at (a spool drain's chunks and a live batch alike). */
export const FRESH_BATCHES = 8;
/** Spool objects counted by one R2 list (its most keys a call): more shows as `more`. */
export const SPOOL_CAP = 1000;
/** Dead hop messages counted (index entries read): more shows as `more`. */
export const DEAD_LETTERS_CAP = 100;

/** A count that stops at a cap: `more` when there are more than `count`. */
export interface CappedCount {
  count: number;
  more: boolean;
}

/** The freshness block of a funnel answer (docs/stats.md "How current the funnel is"). */
export interface FunnelFreshness {
  /**
   * The newest time (unix ms, the writer's clock) of a request whose hops are counted, among the
   * newest {@link FRESH_BATCHES} counted batches; null when none is known (nothing counted in the
   * last day, or only hops of writers older than the request ids). Requests made before it may
   * still wait (a queue backlog or retry, the spool, the dead letters); it is not a promise that
   * every earlier hop is counted, which nothing the bridge can read knows.
   */
  counted_through: number | null;
  /** When the newest batch was counted (unix ms), null when none was in the last day. */
  last_counted_at: number | null;
  pending: {
    /**
     * Requests waiting in the R2 spool for the cron, and the oldest one's time; null when
     * unknown (no `HOP_ARCHIVE` bound, or R2 did not answer: the funnel is answered anyway).
     */
    spool: (CappedCount & { oldest_at: number | null }) | null;
    /** Whole hop messages in the dead letters (retries exhausted), not replayed. */
    dead_letters: CappedCount;
  };
}

/**
 * The newest request time among the envelope ids of counted batches (JSON arrays of ids); null
 * when none of them is a writer's time-ordered id.
 *
 * @example
 * newestRequest(['["mjv5uo000abcdefghijk"]']) // 1767225600000
 */
export function newestRequest(messageLists: readonly string[]): number | null {
  let newest: number | null = null;
  for (const list of messageLists) {
    let ids: unknown;
    try {
      ids = JSON.parse(list);
    } catch {
      continue;
    }
    if (!Array.isArray(ids)) continue;
    for (const id of ids) {
      const at = typeof id === "string" ? hopIdTime(id) : null;
      if (at !== null && (newest === null || at > newest)) newest = at;
    }
  }
  return newest;
}

/**
 * Read the freshness block: one D1 round trip of two bounded queries, and one R2 list when a
 * spool bucket is bound.
 *
 * @example
 * const freshness = await funnelFreshness(env.DB, env.HOP_ARCHIVE);
 */
export async function funnelFreshness(
  db: D1Database,
  bucket: R2Bucket | undefined,
): Promise<FunnelFreshness> {
  const [[batches, dead], spool] = await Promise.all([
    db.batch<{ at?: number; messages?: string; n?: number }>([
      db
        .prepare("SELECT at, messages FROM hop_batches ORDER BY at DESC, id DESC LIMIT ?")
        .bind(FRESH_BATCHES),
      // Matches the partial index's condition, so it reads index entries only, and at most cap + 1.
      db
        .prepare(
          `SELECT COUNT(*) AS n FROM (SELECT 1 FROM dead_letters
             WHERE envelope IS NOT NULL AND replayed_at IS NULL LIMIT ?)`,
        )
        .bind(DEAD_LETTERS_CAP + 1),
    ]),
    bucket
      ? spoolWaiting(bucket).catch((err) => {
          console.error("qrbridge: could not list the spool for the funnel's freshness", err);
          return null;
        })
      : null,
  ]);
  const rows = batches?.results ?? [];
  const deadCount = Number(dead?.results[0]?.n ?? 0);
  return {
    counted_through: newestRequest(rows.map((r) => String(r.messages))),
    last_counted_at: rows.length ? Number(rows[0]!.at) : null,
    pending: {
      spool,
      dead_letters: {
        count: Math.min(deadCount, DEAD_LETTERS_CAP),
        more: deadCount > DEAD_LETTERS_CAP,
      },
    },
  };
}

// Keys list in order and a spool key is the writer's time-ordered id: the first is the oldest.
async function spoolWaiting(bucket: R2Bucket): Promise<CappedCount & { oldest_at: number | null }> {
  const listed = await bucket.list({ prefix: SPOOL_PREFIX, limit: SPOOL_CAP });
  const first = listed.objects[0]?.key.slice(SPOOL_PREFIX.length).replace(/\.json$/, "");
  return {
    count: listed.objects.length,
    more: listed.truncated,
    oldest_at: first ? hopIdTime(first) : null,
  };
}
