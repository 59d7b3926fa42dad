/**
 * Which rollup rows answer a funnel query, read with as few rows as the question allows:
 *
 * - a question that names no store, campaign or poster (grouped by day, platform, in-app
 *   browser, source or via, or not grouped) reads the totals by day × kind: at most 3 rows a
 *   day, whatever the number of posters;
 * - grouped by day with a store, campaign or poster filter, it reads their poster rows by day;
 * - otherwise (grouped by store, campaign or poster) whole months come from the month rows the
 *   cron compacted (store/rollup-compaction.ts) and only the other days from the day rows, so
 *   365 days of 2,000 posters read ~14 months' worth of rows, not 365 days' worth.
 */

import { parseFlatCounts } from "../core/flat-json";
import { parseDay } from "../core/funnel";
import type { RollupMap } from "../core/rollup";
import { compactDimensions, parseRowSketches, type RowScanners } from "../core/rollup-sketches";

export interface RollupFilter {
  store_id?: string;
  campaign_id?: string;
  poster_id?: string;
  source?: "handoff" | "poster" | "login";
}

/** A rollup row as read, its maps parsed. */
export interface RollupRow {
  /** The day, or the month (YYYY-MM) of a month row. */
  day: string;
  kind: string;
  store_id: string;
  campaign_id: string;
  poster_id: string;
  counts: RollupMap;
  /**
   * The unique-scanner sketches: the JSON part by folded dimension (read once, never as an
   * object) and the compact part of a finished day (core/rollup-sketches.ts merges them).
   */
  scanners: RowScanners;
  delays: RollupMap;
}

function filterSql(f: RollupFilter, first: number): { sql: string; args: string[] } {
  const parts: string[] = [];
  const args: string[] = [];
  const add = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    args.push(value);
    parts.push(` AND ${column} = ?${first + args.length - 1}`);
  };
  add("store_id", f.store_id);
  add("campaign_id", f.campaign_id);
  add("poster_id", f.poster_id);
  add("kind", f.source);
  return { sql: parts.join(""), args };
}

interface RawRow {
  day: string;
  kind: string;
  store_id?: string;
  campaign_id?: string;
  poster_id?: string;
  counts: string;
  scanners: string;
  sketch_all?: string | null;
  sketch_dims?: string | null;
  delays: string;
}

/**
 * What a funnel grouped by platform, by in-app browser, by way in (`via`: its sketches only,
 * the `hop~<via>` counts are read anyway) or by none of them (null) reads of a row.
 */
export type FoldedGroup = "platform" | "in_app" | "via" | null;

const parsed = (r: RawRow, folded: FoldedGroup): RollupRow => ({
  day: r.day,
  kind: r.kind,
  store_id: r.store_id ?? "",
  campaign_id: r.campaign_id ?? "",
  poster_id: r.poster_id ?? "",
  // Folded keys (`hop@p:ios`, `p:ios:<bucket>`) only for a grouping by them; sketches of
  // in-app browsers and ways in only for those groupings, since the platform sketches hold
  // every scanner.
  counts: parseFlatCounts(r.counts, byDimension(folded) ? "" : "@"),
  scanners: {
    json: parseRowSketches(r.scanners, sketchesOf(folded)),
    all: r.sketch_all ?? null,
    dims: folded ? compactDimensions(r.sketch_dims ?? null, sketchesOf(folded)) : null,
  },
  delays: parseFlatCounts(r.delays, byDimension(folded) ? "" : ":"),
});

/** Whether a grouping reads the per-platform or per-in-app-browser keys of counts and delays. */
const byDimension = (folded: FoldedGroup) => folded === "platform" || folded === "in_app";

/** The prefix of the sketches a grouping reads: the platforms' (every scanner), or all. */
const sketchesOf = (folded: FoldedGroup) => (folded === "in_app" || folded === "via" ? "" : "p:");

/**
 * The columns a funnel reads: a row's compact sketch is `sketch_all` (every scanner) unless the
 * funnel is grouped by platform, in-app browser or way in, which needs each dimension
 * (`sketch_dims`).
 */
const columns = (folded: FoldedGroup) =>
  `counts, scanners, ${folded ? "sketch_dims" : "sketch_all"}, delays`;

/** Day spans (inclusive) of [from, to] that `covered` days leave, as SQL and arguments. */
function spans(from: string, to: string, covered: Set<string>): [string, string][] {
  const out: [string, string][] = [];
  const end = parseDay(to)!;
  for (let t = parseDay(from)!; t <= end; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    if (covered.has(day)) continue;
    const last = out[out.length - 1];
    const previous = new Date(t - 86_400_000).toISOString().slice(0, 10);
    if (last && last[1] === previous) last[1] = day;
    else out.push([day, day]);
  }
  return out;
}

/**
 * The rollup rows for a funnel over [from, to] (YYYY-MM-DD, inclusive). Without `folded`, the
 * rows' maps hold no per-platform or per-in-app-browser keys and only the platform sketches.
 *
 * @example
 * const rows = await readRollups(env.DB, { from, to, byPoster: true, byDay: false }, { store_id });
 */
export async function readRollups(
  db: D1Database,
  q: { from: string; to: string; byPoster: boolean; byDay: boolean; folded?: FoldedGroup },
  f: RollupFilter,
): Promise<RollupRow[]> {
  const parse = (r: RawRow) => parsed(r, q.folded ?? null);
  const maps = columns(q.folded ?? null);
  const key = `kind, store_id, campaign_id, poster_id, ${maps}`;
  const named =
    f.store_id !== undefined || f.campaign_id !== undefined || f.poster_id !== undefined;
  if (!q.byPoster && !named) {
    const w = filterSql({ source: f.source }, 3);
    const { results } = await db
      .prepare(
        `SELECT day, kind, ${maps} FROM hop_rollups_total
         WHERE day BETWEEN ?1 AND ?2${w.sql}`,
      )
      .bind(q.from, q.to, ...w.args)
      .all<RawRow>();
    return results.map(parse);
  }
  // Months whose compacted days all fall in the range are read from their month rows, unless a
  // day's sketches are still on their way into them (`sketched = 0`, store/rollup-compaction.ts).
  const covered = new Set<string>();
  const months: string[] = [];
  if (!q.byDay) {
    const { results } = await db
      .prepare(
        `SELECT substr(day, 1, 7) AS month, MIN(day) AS lo, MAX(day) AS hi,
                json_group_array(day) AS days, TOTAL(sketched = 0) AS unsketched
         FROM hop_compacted WHERE day BETWEEN ?1 AND ?2 GROUP BY 1`,
      )
      .bind(`${q.from.slice(0, 7)}-01`, `${q.to.slice(0, 7)}-31`)
      .all<{ month: string; lo: string; hi: string; days: string; unsketched: number }>();
    for (const m of results) {
      if (m.lo < q.from || m.hi > q.to || m.unsketched > 0) continue;
      months.push(m.month);
      for (const day of JSON.parse(m.days) as string[]) covered.add(day);
    }
  }
  const rows: RollupRow[] = [];
  if (months.length > 0) {
    const w = filterSql(f, 2);
    const { results } = await db
      .prepare(
        `SELECT month AS day, ${key} FROM hop_rollups_month
         WHERE month IN (SELECT value FROM json_each(?1))${w.sql}`,
      )
      .bind(JSON.stringify(months), ...w.args)
      .all<RawRow>();
    rows.push(...results.map(parse));
  }
  const gaps = spans(q.from, q.to, covered);
  // D1 binds at most 100 parameters: in the rare case of more gaps, read from the first to the last.
  const ranges =
    gaps.length <= 40 ? gaps : [[gaps[0]![0], gaps[gaps.length - 1]![1]] as [string, string]];
  if (ranges.length > 0) {
    const w = filterSql(f, ranges.length * 2 + 1);
    const days = ranges.map((_, i) => `day BETWEEN ?${2 * i + 1} AND ?${2 * i + 2}`).join(" OR ");
    const { results } = await db
      .prepare(`SELECT day, ${key} FROM hop_rollups WHERE (${days})${w.sql}`)
      .bind(...ranges.flat(), ...w.args)
      .all<RawRow>();
    rows.push(...results.filter((r) => !covered.has(r.day)).map(parse));
  }
  return rows;
}
