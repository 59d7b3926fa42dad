/**
 * The hourly cron's upkeep of the raw-hop archive (R2 objects indexed by `hop_objects`): bodies a
 * consumer counted but could not write to R2, days past `QB_HOP_RETENTION_DAYS`, and raw rows
 * of earlier versions' D1 table moved over. Each is bounded per run, so one run stays within
 * what an invocation may call; what is left waits for the next hour (store/maintenance.ts).
 */
import type { HopRow } from "../core/hop-row";
import type { Env } from "../env";
import {
  archivedDays,
  archiveKey,
  deleteArchiveDay,
  hourOf,
  putArchiveObject,
  toNdjson,
} from "./hop-archive";

/** Pending raw hops older than this are archived by the cron (the consumer normally does it). */
const PENDING_GRACE_MS = 5 * 60_000;
/**
 * Past days of raw hops deleted per run, oldest first: a day is an R2 list and delete per 1,000
 * objects, and lowering `QB_HOP_RETENTION_DAYS` puts months past it at once. Normally one a day.
 */
export const RETENTION_DAYS_PER_RUN = 7;
/** Pending bodies archived per run; the rest wait for the next hour. */
const PER_RUN = 200;
/** Legacy raw rows moved to R2 per run. */
const LEGACY_CHUNK = 5_000;
/**
 * Hours of legacy rows moved per run: each is an R2 write and a D1 batch, and a quiet
 * deployment's 5,000 rows could span 5,000 hours, 10,000 calls, past what one invocation may make
 * (10,000 on Workers Paid) with the spool drain's share before it.
 */
export const LEGACY_HOURS_PER_RUN = 250;

/** Archive raw hops a consumer counted but could not write to R2. */
export async function archivePending(env: Env, now: number): Promise<number> {
  const bucket = env.HOP_ARCHIVE;
  if (!bucket) return 0;
  const { results } = await env.DB.prepare(
    "SELECT key, body FROM hop_raw_pending WHERE created_at < ? LIMIT ?",
  )
    .bind(now - PENDING_GRACE_MS, PER_RUN)
    .all<{ key: string; body: string }>();
  for (const r of results) {
    await putArchiveObject(bucket, r.key, r.body);
    await env.DB.prepare("DELETE FROM hop_raw_pending WHERE key = ?").bind(r.key).run();
  }
  return results.length;
}

/**
 * Delete the archive's days before the hour `firstKept` (core/day-range.ts `firstKeptHour`),
 * objects and index alike, the oldest {@link RETENTION_DAYS_PER_RUN} of them; a day's index goes
 * once its objects are gone, so a failure in between leaves the day to delete in the next run
 * (an export reading it meanwhile skips its missing objects, store/hop-export.ts). The days are
 * the index's and R2's own (one list of day prefixes): a consumer counting a late hop of a day
 * being deleted may write its object after the day's listing, and its index row is deleted with
 * the day's, so only R2 still knows of it.
 *
 * @example
 * await deleteOldArchive(env, "2026-09-08T00");
 */
export async function deleteOldArchive(env: Env, firstKept: string): Promise<number> {
  const { results: indexed } = await env.DB.prepare(
    "SELECT DISTINCT substr(hour, 1, 10) AS day FROM hop_objects WHERE hour < ? ORDER BY day LIMIT ?",
  )
    .bind(firstKept, RETENTION_DAYS_PER_RUN)
    .all<{ day: string }>();
  const days = new Set(indexed.map((r) => r.day));
  if (env.HOP_ARCHIVE)
    for (const day of await archivedDays(env.HOP_ARCHIVE, RETENTION_DAYS_PER_RUN))
      if (day < firstKept.slice(0, 10)) days.add(day);
  const results = [...days]
    .sort()
    .slice(0, RETENTION_DAYS_PER_RUN)
    .map((day) => ({ day }));
  for (const { day } of results) {
    if (env.HOP_ARCHIVE) await deleteArchiveDay(env.HOP_ARCHIVE, day);
    // Rows of the day still waiting for R2 go too: written later, they would be kept for good.
    const [from, to] = [`${day}T00`, `${day}T23`];
    await env.DB.batch([
      env.DB.prepare(
        "DELETE FROM hop_raw_pending WHERE key IN (SELECT key FROM hop_objects WHERE hour >= ? AND hour <= ?)",
      ).bind(from, to),
      env.DB.prepare("DELETE FROM hop_objects WHERE hour >= ? AND hour <= ?").bind(from, to),
    ]);
  }
  return results.length;
}

/**
 * Move a chunk of raw hops from the D1 table of earlier versions to the archive: the oldest
 * rows, at most {@link LEGACY_CHUNK} of them in at most {@link LEGACY_HOURS_PER_RUN} hours.
 */
export async function moveLegacyHops(env: Env): Promise<number> {
  const bucket = env.HOP_ARCHIVE;
  if (!bucket) return 0;
  const { results } = await env.DB.prepare(
    "SELECT * FROM legacy_hops ORDER BY at, event_id LIMIT ?",
  )
    .bind(LEGACY_CHUNK)
    .all<HopRow>();
  if (results.length === 0) return 0;
  const byHour = new Map<string, HopRow[]>();
  for (const row of results) {
    const hour = hourOf(row);
    // Oldest first: an hour past the bound, and every later one, waits for the next run.
    if (!byHour.has(hour) && byHour.size === LEGACY_HOURS_PER_RUN) break;
    const list = byHour.get(hour) ?? [];
    list.push(row);
    byHour.set(hour, list);
  }
  const now = Date.now();
  let moved = 0;
  for (const [hour, rows] of byHour) {
    const key = archiveKey(hour, `legacy-${rows[0]!.event_id}`);
    await putArchiveObject(bucket, key, toNdjson(rows));
    await env.DB.batch([
      env.DB.prepare(
        "INSERT OR REPLACE INTO hop_objects (hour, key, rows, created_at) VALUES (?, ?, ?, ?)",
      ).bind(hour, key, rows.length, now),
      env.DB.prepare(
        "DELETE FROM legacy_hops WHERE event_id IN (SELECT value FROM json_each(?))",
      ).bind(JSON.stringify(rows.map((r) => r.event_id))),
    ]);
    moved += rows.length;
  }
  return moved;
}
