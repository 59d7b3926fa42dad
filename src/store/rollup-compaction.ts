/**
 * Finished days, compacted by the cron in two ways:
 *
 * - **month rows**: each finished day's poster rows are folded into rows per month
 *   (`hop_rollups_month`), so a funnel over a year reads ~12 rows per poster instead of 365
 *   (store/rollup-reader.ts). A day is folded exactly once: the fold claims the day in
 *   `hop_compacted` in the same transaction, and a hop of that day that arrives later (a
 *   replayed dead letter, the spool) is added to its month row too by the consumer
 *   (store/hop-rollups.ts).
 * - **compact sketches**: before the claim, the day's JSON unique-scanner sketches are rewritten
 *   in compact form; after it, they are folded into the month rows' compact sketches
 *   (store/sketch-compaction.ts), a few bytes per register instead of ~14. A row's sketch is its
 *   compact sketch ∪ its JSON sketch, so a late hop merged into the JSON part by the consumer is
 *   never lost. The claim marks the day `sketched = 0` until its sketches are in the month rows
 *   (then 1): a month with such a day is read from its day rows (store/rollup-reader.ts). Folded
 *   before the claim, a run that died in between would leave the month rows holding scanners of
 *   a day they do not hold yet, which a funnel of the month's folded days would count.
 *
 * Days folded before compact sketches existed (`hop_compacted.sketched` NULL) are converted by
 * the same step, their month rows with them. A run handles a bounded number of rows and resumes
 * where the last one stopped.
 */

import { newHopId } from "./hop-ids";
import { mergedJson, type RollupTable } from "./hop-rollups";
import { compactRows, foldDaySketches } from "./sketch-compaction";

const MONTH_COLUMNS = "month, kind, store_id, campaign_id, poster_id";

/** Rollup rows whose sketches one run rewrites (about the rows of a few days of 2,000 posters). */
export const SKETCH_ROWS_PER_RUN = 20_000;

// The day's JSON sketches are folded too: they are empty once compacted, but a hop that arrived
// after the day's rows were compacted and before this claim is only there.
const FOLD_DAY_SQL = `INSERT INTO hop_rollups_month (${MONTH_COLUMNS}, counts, scanners, delays)
SELECT substr(day, 1, 7), kind, store_id, campaign_id, poster_id, counts, scanners, delays
FROM hop_rollups
WHERE day = ?1 AND EXISTS (SELECT 1 FROM hop_compacted WHERE day = ?1 AND batch = ?2)
ON CONFLICT (${MONTH_COLUMNS}) DO UPDATE SET
  counts = ${mergedJson("hop_rollups_month", "counts", "SUM")},
  scanners = ${mergedJson("hop_rollups_month", "scanners", "MAX")},
  delays = ${mergedJson("hop_rollups_month", "delays", "SUM")}`;

/** What one compaction run did. */
export interface CompactionReport {
  /** Days folded into their month rows (and claimed) by this run. */
  folded: string[];
  /** Days folded before compact sketches existed whose rows this run finished converting. */
  converted: string[];
  /** Rollup rows whose sketches were rewritten or folded. */
  sketchRows: number;
  /** Whether work is left for the next run (the row budget ran out, or a day was left). */
  more: boolean;
}

/** Compact the rows of `steps` in turn within `budget`; false when one could not finish. */
async function compactAll(
  db: D1Database,
  steps: readonly [RollupTable, string][],
  report: CompactionReport,
  budget: number,
): Promise<boolean> {
  for (const [table, at] of steps) {
    const step = await compactRows(db, table, at, budget - report.sketchRows);
    report.sketchRows += step.rows;
    if (!step.done) return false;
  }
  return true;
}

/**
 * Fold a claimed day's compact sketches into its month rows, then mark it `sketched = 1`; false
 * when a row lost its compare-and-set race too often (the day stays 0, for the next run).
 */
async function foldSketches(
  db: D1Database,
  day: string,
  report: CompactionReport,
): Promise<boolean> {
  const sketches = await foldDaySketches(db, day);
  report.sketchRows += sketches.rows;
  if (!sketches.done) return false;
  await db
    .prepare("UPDATE hop_compacted SET sketched = 1 WHERE day = ?1 AND sketched = 0")
    .bind(day)
    .run();
  return true;
}

/**
 * Compact the finished days up to `untilDay` (YYYY-MM-DD, inclusive): first finish days whose
 * sketches a run that died left out of their month rows, and convert days folded before compact
 * sketches existed, then fold the days after the last folded one, at most `maxDays` of them, each
 * once its sketches are compact, its sketches into its month rows after its claim.
 *
 * @example
 * await compactRollups(env.DB, "2026-12-04"); // the cron keeps yesterday and today as days
 */
export async function compactRollups(
  db: D1Database,
  untilDay: string,
  { maxDays = 31, maxRows = SKETCH_ROWS_PER_RUN } = {},
): Promise<CompactionReport> {
  const report: CompactionReport = { folded: [], converted: [], sketchRows: 0, more: false };
  const { results: unsketched } = await db
    .prepare("SELECT day FROM hop_compacted WHERE sketched = 0 ORDER BY day")
    .all<{ day: string }>();
  for (const { day } of unsketched)
    if (!(await foldSketches(db, day, report))) return { ...report, more: true };
  const { results: legacy } = await db
    .prepare("SELECT day FROM hop_compacted WHERE sketched IS NULL ORDER BY day LIMIT ?1")
    .bind(maxDays + 1)
    .all<{ day: string }>();
  for (const { day } of legacy.slice(0, maxDays)) {
    // The month rows already hold the day's sketch as JSON (folded in SQL): convert them too.
    const done = await compactAll(
      db,
      [
        ["hop_rollups_month", day.slice(0, 7)],
        ["hop_rollups", day],
        ["hop_rollups_total", day],
      ],
      report,
      maxRows,
    );
    if (!done) return { ...report, more: true };
    await db.prepare("UPDATE hop_compacted SET sketched = 1 WHERE day = ?1").bind(day).run();
    report.converted.push(day);
  }
  if (legacy.length > maxDays) return { ...report, more: true };

  const { results } = await db
    .prepare(
      `SELECT DISTINCT day FROM hop_rollups_total
       WHERE day > IFNULL((SELECT MAX(day) FROM hop_compacted), '') AND day <= ?1
       ORDER BY day LIMIT ?2`,
    )
    .bind(untilDay, maxDays + 1)
    .all<{ day: string }>();
  for (const { day } of results.slice(0, maxDays)) {
    const compact = await compactAll(
      db,
      [
        ["hop_rollups", day],
        ["hop_rollups_total", day],
      ],
      report,
      maxRows,
    );
    if (!compact) return { ...report, more: true };
    const token = newHopId(Date.now());
    const [claim] = await db.batch([
      db
        .prepare("INSERT OR IGNORE INTO hop_compacted (day, batch, sketched) VALUES (?1, ?2, 0)")
        .bind(day, token),
      db.prepare(FOLD_DAY_SQL).bind(day, token),
    ]);
    if (claim?.meta.changes === 1) report.folded.push(day);
    // Whichever run claimed the day: a union, so folding it twice counts nothing twice.
    if (!(await foldSketches(db, day, report))) return { ...report, more: true };
    if (report.sketchRows >= maxRows) return { ...report, more: true };
  }
  return { ...report, more: results.length > maxDays };
}
