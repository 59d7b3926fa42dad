/**
 * Month rows: the cron folds each finished day's poster rows into rows per month
 * (`hop_rollups_month`), so a funnel over a year reads ~12 rows per poster instead of 365
 * (store/rollup-reader.ts). A day is folded exactly once: the fold claims the day in
 * `hop_compacted` in the same transaction, and a hop of that day that arrives later (a replayed
 * dead letter, the spool) is added to its month row too by the consumer (store/hop-rollups.ts).
 */

import { newHopId } from "./hop-ids";
import { mergedJson } from "./hop-rollups";

const MONTH_COLUMNS = "month, kind, store_id, campaign_id, poster_id";

const FOLD_DAY_SQL = `INSERT INTO hop_rollups_month (${MONTH_COLUMNS}, counts, scanners, delays)
SELECT substr(day, 1, 7), kind, store_id, campaign_id, poster_id, counts, scanners, delays
FROM hop_rollups
WHERE day = ?1 AND EXISTS (SELECT 1 FROM hop_compacted WHERE day = ?1 AND batch = ?2)
ON CONFLICT (${MONTH_COLUMNS}) DO UPDATE SET
  counts = ${mergedJson("hop_rollups_month", "counts", "SUM")},
  scanners = ${mergedJson("hop_rollups_month", "scanners", "MAX")},
  delays = ${mergedJson("hop_rollups_month", "delays", "SUM")}`;

/**
 * Fold the days after the last folded one, up to `untilDay` (YYYY-MM-DD, inclusive), at most
 * `maxDays` of them, into their month rows. Returns the days folded.
 *
 * @example
 * await compactRollups(env.DB, "2026-12-04"); // the cron keeps yesterday and today as days
 */
export async function compactRollups(
  db: D1Database,
  untilDay: string,
  maxDays = 31,
): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT DISTINCT day FROM hop_rollups_total
       WHERE day > IFNULL((SELECT MAX(day) FROM hop_compacted), '') AND day <= ?1
       ORDER BY day LIMIT ?2`,
    )
    .bind(untilDay, maxDays)
    .all<{ day: string }>();
  const folded: string[] = [];
  for (const { day } of results) {
    const token = newHopId(Date.now());
    const [claim] = await db.batch([
      db
        .prepare("INSERT OR IGNORE INTO hop_compacted (day, batch) VALUES (?1, ?2)")
        .bind(day, token),
      db.prepare(FOLD_DAY_SQL).bind(day, token),
    ]);
    if (claim?.meta.changes === 1) folded.push(day);
  }
  return folded;
}
