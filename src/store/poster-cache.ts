/**
 * The scan path's read of a poster: KV first (`poster:<id>`, a read-through cache with a TTL),
 * D1 on a miss, the KV entry written back in `waitUntil`. Every change to a poster deletes its
 * key. KV is eventually consistent: a delete is immediate where it happened but may take up
 * to ~60 s to reach other locations (their edge copy of the old value lives that long), so a
 * pause or revoke has a short propagation window elsewhere. See docs/posters.md.
 */
import type { Env } from "../env";
import type { WaitUntil } from "./hops";
import { getPoster, type PosterRecord } from "./posters";

/** What a scan needs to know about a poster (what the KV entry holds). */
export type ScanPoster = Pick<
  PosterRecord,
  | "id"
  | "name"
  | "path"
  | "params"
  | "store_id"
  | "store_name"
  | "campaign_id"
  | "status"
  | "active_from"
  | "active_until"
  | "created_at"
>;

/** The KV value: `p` is null for an id that has no poster (negative entry, shorter TTL). */
interface Entry {
  v: 1;
  p: ScanPoster | null;
}

/** Lifetime of a cached poster, seconds. */
export const POSTER_CACHE_TTL = 300;
/** Lifetime of a cached "no such poster", seconds (KV's minimum). */
export const MISSING_CACHE_TTL = 60;

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
 * Load a poster for a scan: KV, else D1 (then cached in `waitUntil`). Deleted posters come back
 * as `revoked` (a printed code of a deleted poster still gets the "no longer active" page).
 * Returns null when no poster has this id.
 *
 * @example
 * const poster = await loadScanPoster(c.env, c.executionCtx, check.id);
 */
export async function loadScanPoster(
  env: Pick<Env, "DB" | "CACHE">,
  ctx: WaitUntil,
  id: string,
): Promise<ScanPoster | null> {
  const key = posterCacheKey(id);
  const now = Date.now();
  const remembered = memory.get(key);
  if (remembered && remembered.until > now) return remembered.p;
  const p = await loadThroughKv(env, ctx, key, id);
  if (memory.size >= MEMORY_MAX_ENTRIES) memory.clear();
  memory.set(key, { p, until: now + MEMORY_TTL_MS });
  return p;
}

// A small per-isolate layer in front of KV: a hot poster is scanned many times a second, and a
// KV read, even a local hit, costs more than the rest of the scan. It holds entries for 10 s
// (KV itself takes up to ~60 s to propagate a change), and a change made through this isolate
// clears it at once (invalidatePosters).
const MEMORY_TTL_MS = 10_000;
const MEMORY_MAX_ENTRIES = 5_000;
const memory = new Map<string, { p: ScanPoster | null; until: number }>();

/**
 * Forget every poster this isolate remembers (the next scans read KV). For tests and tools;
 * changes made through the API already clear their posters.
 *
 * @example
 * forgetRememberedPosters();
 */
export function forgetRememberedPosters(): void {
  memory.clear();
}

async function loadThroughKv(
  env: Pick<Env, "DB" | "CACHE">,
  ctx: WaitUntil,
  key: string,
  id: string,
): Promise<ScanPoster | null> {
  let hit: Entry | null = null;
  try {
    hit = await env.CACHE.get<Entry>(key, "json");
  } catch (err) {
    // A cache that fails must not fail the scan: fall through to D1.
    console.error("qrbridge: poster cache read failed", err);
  }
  if (hit?.v === 1) return hit.p;
  const row = await getPoster(env.DB, id);
  const p: ScanPoster | null = row && {
    id: row.id,
    name: row.name,
    path: row.path,
    params: row.params,
    store_id: row.store_id,
    store_name: row.store_name,
    campaign_id: row.campaign_id,
    status: row.deleted_at === null ? row.status : "revoked",
    active_from: row.active_from,
    active_until: row.active_until,
    created_at: row.created_at,
  };
  const entry: Entry = { v: 1, p };
  ctx.waitUntil(
    env.CACHE.put(key, JSON.stringify(entry), {
      expirationTtl: p ? POSTER_CACHE_TTL : MISSING_CACHE_TTL,
    }).catch((err) => console.error("qrbridge: poster cache write failed", err)),
  );
  return p;
}

/**
 * Drop the cache entries of changed posters. Awaited by the API after the D1 write, so the
 * next scan in this location reads D1.
 *
 * @example
 * await invalidatePosters(c.env.CACHE, [poster.id]);
 */
export async function invalidatePosters(kv: KVNamespace, ids: string[]): Promise<void> {
  for (const id of ids) memory.delete(posterCacheKey(id));
  await Promise.all(ids.map((id) => kv.delete(posterCacheKey(id))));
}
