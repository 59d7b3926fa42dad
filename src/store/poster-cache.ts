/**
 * The scan path's read of a poster, in three layers, each saving a billable read of the next:
 *
 * 1. this isolate's memory, for {@link MEMORY_TTL_MS}: a hot poster is scanned many times a
 *    second, and each scan it answers is a KV read saved;
 * 2. KV (`poster:<id>`, a read-through cache with a TTL), written back in `waitUntil` on a miss;
 * 3. D1, the source of truth.
 *
 * Every change to a poster (store/posters.ts, a store rename or time zone change in
 * store/stores.ts) drops both cache entries at once. The entry carries the store's time zone, so
 * a scan files its hops under the store's day without a read of its own. KV is eventually consistent: a delete is immediate where it happened
 * but may take up to ~60 s to reach other locations, and other isolates keep their memory up
 * to {@link MEMORY_TTL_MS}, so a pause or revoke has a short propagation window elsewhere.
 * See docs/posters.md.
 */
import { BoundedCache } from "../core/bounded-cache";
import type { QrStyle } from "../core/qr-style";
import type { ScanPosterFacts } from "../core/scan";
import type { Env } from "../env";
import type { WaitUntil } from "./hops";

/** What a scan needs to know about a poster (what the KV entry holds). */
export interface ScanPoster extends ScanPosterFacts {
  /** Internal; the landing page never shows it. */
  name: string;
  params: Record<string, string>;
  /** The QR style: the landing page's and the QR route's images are drawn in it. */
  style: QrStyle | null;
}

/** The KV value: `p` is null for an id that has no poster (negative entry, shorter TTL). */
interface Entry {
  /** 3 since the store's time zone joined the entry: an older one (without it) is read as a miss. */
  v: 3;
  p: ScanPoster | null;
}

/** Lifetime of a cached poster in KV, seconds. */
export const POSTER_CACHE_TTL = 300;
/** Lifetime of a cached "no such poster" in KV, seconds (KV's minimum). */
export const MISSING_CACHE_TTL = 60;
/** Lifetime of a poster in an isolate's memory, ms (KV itself takes up to ~60 s to propagate). */
export const MEMORY_TTL_MS = 10_000;

// A copy of KV's entries, so kept per KV namespace: two bridges in one Worker have two, and the
// short poster ids (30 bits) of their two databases may meet. Pure: a bundle that never reads it
// (a kit: scripts/build-lazy-modules.mjs) leaves it out.
const memory = /* @__PURE__ */ new WeakMap<KVNamespace, PosterMemory>();

/**
 * This isolate's copy of a KV namespace's posters, and what keeps a load that began before a
 * change from putting the old poster back after the change dropped it: `drops` counts the
 * changes (a load that saw it move keeps its answer to itself), `writing` holds the KV writes
 * still in flight (a change drops their entries again once they have landed).
 */
interface PosterMemory {
  posters: BoundedCache<string, ScanPoster | null>;
  drops: number;
  writing: Map<string, Promise<void>>;
}

function memoryOf(kv: KVNamespace): PosterMemory {
  let m = memory.get(kv);
  if (!m) {
    m = { posters: new BoundedCache(5_000, MEMORY_TTL_MS), drops: 0, writing: new Map() };
    memory.set(kv, m);
  }
  return m;
}

/**
 * The KV key of a poster.
 *
 * @example
 * posterCacheKey("7K2M9Q") // "poster:7K2M9Q"
 */
export function posterCacheKey(id: string): string {
  return `poster:${id}`;
}

/**
 * Load a poster for a scan: memory, else KV, else D1 (then cached in `waitUntil`). Returns null
 * when no poster has this id.
 *
 * @example
 * const poster = await loadScanPoster(c.env, c.executionCtx, check.id);
 */
export async function loadScanPoster(
  env: Pick<Env, "DB" | "CACHE">,
  ctx: WaitUntil,
  id: string,
): Promise<ScanPoster | null> {
  const m = memoryOf(env.CACHE);
  const remembered = m.posters.get(id);
  if (remembered !== undefined) return remembered;
  const drops = m.drops;
  const p = await loadThroughKv(env, ctx, id, m, drops);
  // Read before a change that has since dropped it: this scan's answer, not the next one's.
  if (m.drops === drops) m.posters.set(id, p);
  return p;
}

async function loadThroughKv(
  env: Pick<Env, "DB" | "CACHE">,
  ctx: WaitUntil,
  id: string,
  m: PosterMemory,
  drops: number,
): Promise<ScanPoster | null> {
  const key = posterCacheKey(id);
  let hit: Entry | null = null;
  try {
    hit = await env.CACHE.get<Entry>(key, "json");
  } catch (err) {
    // A cache that fails must not fail the scan: fall through to D1.
    console.error("qrbridge: poster cache read failed", err);
  }
  if (hit?.v === 3) return hit.p;
  const p = await readScanPoster(env.DB, id);
  if (m.drops !== drops) return p;
  const entry: Entry = { v: 3, p };
  // Chained to the writes of this poster still in flight: a change waits for them all.
  const write = Promise.all([
    m.writing.get(id),
    env.CACHE.put(key, JSON.stringify(entry), {
      expirationTtl: p ? POSTER_CACHE_TTL : MISSING_CACHE_TTL,
    }).catch((err) => console.error("qrbridge: poster cache write failed", err)),
  ]).then(() => {
    if (m.writing.get(id) === write) m.writing.delete(id);
  });
  m.writing.set(id, write);
  ctx.waitUntil(write);
  return p;
}

/** The scan's fields of a poster, from D1 (deleted posters read as `revoked`). */
async function readScanPoster(db: D1Database, id: string): Promise<ScanPoster | null> {
  const row = await db
    .prepare(
      `SELECT p.id, p.name, p.path, p.params, p.store_id, s.name AS store_name,
         s.time_zone, p.campaign_id,
         CASE WHEN p.deleted_at IS NULL THEN p.status ELSE 'revoked' END AS status,
         p.active_from, p.active_until, p.created_at, p.style
       FROM posters p LEFT JOIN stores s ON s.id = p.store_id WHERE p.id = ?`,
    )
    .bind(id)
    .first<Omit<ScanPoster, "params" | "style"> & { params: string; style: string | null }>();
  return (
    row && {
      ...row,
      params: JSON.parse(row.params) as Record<string, string>,
      style: row.style ? (JSON.parse(row.style) as QrStyle) : null,
    }
  );
}

/**
 * How long after a poster's change its KV entry is dropped once more: a scan in another isolate
 * that read D1 just before the change writes its old entry within this (its put is sent as its
 * D1 read answers), where it would otherwise stay for the entry's 300 s. Well inside the 30 s a
 * Worker's `waitUntil` may run after the response. A store's change waits as long, through a
 * delayed queue message (store/poster-redrop.ts).
 */
export const REDROP_AFTER_MS = 10_000;

/**
 * Drop the cache entries of changed posters: this isolate's memory and KV. Called by the store
 * functions that change posters and stores, after the D1 write, so the next scan in this
 * location reads D1: a scan that read the old poster before and finishes after puts it back
 * neither in memory nor in KV (its write, if already sent, is dropped again once it landed).
 * With `later` (a pause, revoke, retarget or delete), the KV entries are dropped again
 * {@link REDROP_AFTER_MS} after, in `waitUntil`, for a scan in another isolate racing the same
 * way. A store's change (up to 500 posters) passes none: its second pass runs in a queue
 * consumer's invocation (store/poster-redrop.ts), since twice that many deletes would pass the
 * 1,000 KV operations an invocation may make. Returns the KV deletes it made.
 *
 * @example
 * await invalidatePosters(env.CACHE, [poster.id], c.executionCtx);
 */
export async function invalidatePosters(
  kv: KVNamespace,
  ids: string[],
  later?: WaitUntil,
): Promise<number> {
  const m = memoryOf(kv);
  m.drops++;
  for (const id of ids) m.posters.delete(id);
  const writing = ids.filter((id) => m.writing.has(id));
  const landed = Promise.all(writing.map((id) => m.writing.get(id)));
  await Promise.all(ids.map((id) => kv.delete(posterCacheKey(id))));
  // A scan's write sent before the change may land after this delete: drop its entry again.
  if (writing.length) {
    await landed;
    await Promise.all(writing.map((id) => kv.delete(posterCacheKey(id))));
  }
  if (later) dropAgainLater(kv, ids, later);
  return ids.length + writing.length;
}

/**
 * Delete the KV entries of `ids` again {@link REDROP_AFTER_MS} from now, in `waitUntil`: the
 * invocation stays open that long, asleep (no CPU time billed), and spends `ids.length` KV
 * operations more.
 *
 * @example
 * dropAgainLater(env.CACHE, [poster.id], c.executionCtx);
 */
export function dropAgainLater(kv: KVNamespace, ids: string[], later: WaitUntil): void {
  if (ids.length === 0) return;
  later.waitUntil(
    new Promise((wait) => setTimeout(wait, REDROP_AFTER_MS))
      .then(() => Promise.all(ids.map((id) => kv.delete(posterCacheKey(id)))))
      .then(
        () => {},
        (err) => console.error("qrbridge: poster cache drop failed", err),
      ),
  );
}
