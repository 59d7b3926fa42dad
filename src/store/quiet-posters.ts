/**
 * Posters gone quiet (`GET /v1/stats/quiet-posters`), from the daily poster rollups alone: one
 * query finds each poster's last day with a counted scan (`scanned`: people's scans of a live
 * poster; bots count as `bot.scanned` and refused scans as `refused:*`, so neither keeps a
 * poster alive) and its counted scans over the baseline and the quiet window, and keeps the
 * posters active now whose last such day is in the baseline. It reads the day rows of the days
 * asked for, at most one per poster and day (plus the few of handoffs and logins), whatever the
 * number of scans behind them, and one poster, store and campaign row per poster listed.
 */
import type { QuietWindows } from "../core/quiet-posters";

/** How the list is ordered: most recently gone quiet first, or the biggest loss first. */
export const QUIET_SORTS = ["newest", "loss"] as const;
export type QuietSort = (typeof QUIET_SORTS)[number];

/** A poster gone quiet, with what it lost. */
export interface QuietPoster {
  poster_id: string;
  name: string;
  store_id: string | null;
  store_name: string | null;
  campaign_id: string | null;
  campaign_name: string | null;
  /** Counted scans in the baseline. */
  baseline_scans: number;
  /**
   * The last day (a hop's `day`: its store's zone's, else the reporting time zone's) with a
   * counted scan, in the baseline.
   */
  last_scanned_day: string;
  /** Whole days since that day (today minus it). */
  quiet_days: number;
}

export interface QuietQuery {
  store_id?: string;
  campaign_id?: string;
  sort: QuietSort;
  limit: number;
}

const ORDER: Record<QuietSort, string> = {
  newest: "last_scanned_day DESC, baseline_scans DESC, p.id",
  loss: "baseline_scans DESC, last_scanned_day DESC, p.id",
};

const SCANS = "COALESCE(json_extract(counts, '$.scanned'), 0)";

/**
 * The posters active at `now` (status active, not deleted, within active_from/active_until)
 * with counted scans in the baseline and none in the quiet window, at most `limit` of them, and
 * how many there are in all. Filters apply to the rollups (the scans counted under that store or
 * campaign) and to the poster as it is now, so a store key lists only its own posters.
 *
 * @example
 * const { posters, count } = await quietPosters(env.DB, quietWindows("2026-12-07", 7, 28), Date.now(), { sort: "newest", limit: 100 });
 */
export async function quietPosters(
  db: D1Database,
  w: QuietWindows,
  now: number,
  q: QuietQuery,
): Promise<{ posters: QuietPoster[]; count: number }> {
  const args: (string | number)[] = [w.baseline_from, w.baseline_to, w.today, now, q.limit];
  let rollups = "";
  let current = "";
  for (const column of ["store_id", "campaign_id"] as const) {
    const value = q[column];
    if (value === undefined) continue;
    args.push(value);
    rollups += ` AND ${column} = ?${args.length}`;
    current += ` AND p.${column} = ?${args.length}`;
  }
  // A poster whose last day with a counted scan is in the baseline had none since, and every
  // counted scan of the range is then in the baseline. No upper bound: a store in a zone ahead
  // of `today`'s (Tokyo's tomorrow at 16:00 UTC) files this morning's scans after it, and they
  // keep its poster alive too. Kept on few lines: the SQL is shipped as written, in the main
  // bundle.
  const { results } = await db
    .prepare(
      `WITH q AS (SELECT poster_id, SUM(${SCANS}) AS baseline_scans,
 MAX(IIF(${SCANS} > 0, day, NULL)) AS last_scanned_day FROM hop_rollups
 WHERE day >= ?1 AND kind = 'poster' AND poster_id <> ''${rollups}
 GROUP BY poster_id HAVING last_scanned_day <= ?2)
 SELECT q.poster_id, p.name, p.store_id, s.name AS store_name, p.campaign_id,
 c.name AS campaign_name, baseline_scans, last_scanned_day,
 CAST(julianday(?3) - julianday(last_scanned_day) AS INTEGER) AS quiet_days,
 COUNT(*) OVER () AS total FROM q JOIN posters p ON p.id = q.poster_id
 LEFT JOIN stores s ON s.id = p.store_id LEFT JOIN campaigns c ON c.id = p.campaign_id
 WHERE p.status = 'active' AND p.deleted_at IS NULL AND IFNULL(p.active_from, 0) <= ?4
 AND IFNULL(p.active_until, ?4 + 1) > ?4${current} ORDER BY ${ORDER[q.sort]} LIMIT ?5`,
    )
    .bind(...args)
    .all<QuietPoster & { total?: number }>();
  const count = results[0]?.total ?? 0;
  for (const r of results) delete r.total;
  return { posters: results, count };
}
