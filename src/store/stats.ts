/**
 * The funnel a business reads, from D1. Counts come from the daily rollups (`hop_daily`), so
 * they survive raw-hop retention; unique scanners from `hop_daily_uniques`; the median time
 * from scan to app open from raw hops (so only within `QB_HOP_RETENTION_DAYS`).
 */
import {
  daysBetween,
  emptyCounts,
  FUNNEL_STAGES,
  type FunnelKind,
  type FunnelStage,
  type KindCounts,
  median,
  type StageCounts,
  type StageRates,
  stageRates,
  totalCounts,
} from "../core/funnel";

/** What a funnel may be grouped by (`source` is the kind: handoff, poster, login). */
export const GROUP_BY = [
  "day",
  "store",
  "campaign",
  "poster",
  "platform",
  "in_app",
  "source",
] as const;
export type GroupBy = (typeof GROUP_BY)[number];

const COLUMN: Record<GroupBy, string> = {
  day: "day",
  store: "store_id",
  campaign: "campaign_id",
  poster: "poster_id",
  platform: "platform",
  in_app: "in_app",
  source: "kind",
};

/** Most scan→app-open pairs read for medians; beyond it the median is of the first ones. */
export const MEDIAN_SAMPLE = 50_000;
/** An app open counts for a scan only within this long after it. */
const OPEN_WINDOW_MS = 86_400_000;

export interface FunnelFilter {
  store_id?: string;
  campaign_id?: string;
  poster_id?: string;
  source?: "handoff" | "poster" | "login";
}

export interface FunnelQuery extends FunnelFilter {
  from: string;
  to: string;
  groupBy: GroupBy | null;
  /** Most groups returned (ignored for `day`, which lists every day of the range). */
  limit: number;
}

export interface FunnelFigures extends StageCounts {
  rates: StageRates;
  unique_scanners: number;
  median_scan_to_app_open_ms: number | null;
}

export interface FunnelRow extends FunnelFigures {
  /** The group's value (a day, an id, a platform…); null for "none" (e.g. no store). */
  group: string | null;
}

export interface FunnelResult {
  rows: FunnelRow[];
  totals: FunnelFigures;
  /** Scan→app-open pairs the medians were computed from, and whether the sample was capped. */
  median_sample: { pairs: number; truncated: boolean };
}

// Filters as SQL with numbered parameters ?3, ?4, … (?1 and ?2 are from/to), `col` mapping a
// logical column to its SQL (rollups store '' for NULL; raw hops store NULL).
function where(f: FunnelFilter, col: (c: string) => string): { sql: string; args: string[] } {
  const parts: string[] = [];
  const args: string[] = [];
  const add = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    args.push(value);
    parts.push(`${col(column)} = ?${args.length + 2}`);
  };
  add("store_id", f.store_id);
  add("campaign_id", f.campaign_id);
  add("poster_id", f.poster_id);
  add("kind", f.source);
  return { sql: parts.map((p) => ` AND ${p}`).join(""), args };
}

const STAGE_LIST = FUNNEL_STAGES.map((s) => `'${s}'`).join(", ");

/**
 * The funnel from `from` to `to` (inclusive days, UTC), optionally grouped and filtered.
 * Bots never count as scans or landings (a bot's visit is logged as `previewed` or with
 * `bot = 1`); later stages come from the app and are counted as reported.
 *
 * @example
 * const { rows, totals } = await funnel(env.DB, { from: "2026-01-01", to: "2026-01-31", groupBy: "store", limit: 100 });
 */
export async function funnel(db: D1Database, q: FunnelQuery): Promise<FunnelResult> {
  const g = q.groupBy ? COLUMN[q.groupBy] : "''";
  const f = where(q, (c) => c);
  const raw = where(q, (c) => `s.${c}`);
  const rawGroup = q.groupBy ? `IFNULL(s.${COLUMN[q.groupBy]}, '')` : "''";
  const range = [q.from, q.to];
  const opened = (link: string) =>
    `(SELECT MIN(a.at) FROM hops a WHERE ${link} AND a.hop = 'app_open' AND a.at >= s.at AND a.at <= s.at + ${OPEN_WINDOW_MS}) - s.at`;
  const scans = `FROM hops s WHERE s.hop = 'scanned' AND s.bot = 0 AND s.day BETWEEN ?1 AND ?2${raw.sql}`;
  const [counts, uniques, uniqueTotal, pairs] = await db.batch([
    db
      .prepare(
        `SELECT ${g} AS g, kind, hop, SUM(count) AS n FROM hop_daily
         WHERE day BETWEEN ?1 AND ?2 AND hop IN (${STAGE_LIST})
           AND (bot = 0 OR hop NOT IN ('scanned', 'landing'))${f.sql}
         GROUP BY 1, 2, 3`,
      )
      .bind(...range, ...f.args),
    db
      .prepare(
        `SELECT ${g} AS g, COUNT(DISTINCT day || ip_hash) AS n FROM hop_daily_uniques
         WHERE day BETWEEN ?1 AND ?2${f.sql} GROUP BY 1`,
      )
      .bind(...range, ...f.args),
    db
      .prepare(
        `SELECT COUNT(DISTINCT day || ip_hash) AS n FROM hop_daily_uniques WHERE day BETWEEN ?1 AND ?2${f.sql}`,
      )
      .bind(...range, ...f.args),
    // Poster scans link to their app open through the attribution session; handoffs and
    // logins through their id. Correlated lookups use the hops_session / hops_subject indexes.
    db
      .prepare(
        `SELECT g, d FROM (
           SELECT ${rawGroup} AS g, ${opened("a.session_id = s.session_id")} AS d
           ${scans} AND s.session_id IS NOT NULL
           UNION ALL
           SELECT ${rawGroup} AS g, ${opened("a.subject_id = s.subject_id AND a.kind = s.kind")} AS d
           ${scans} AND s.session_id IS NULL AND s.kind != 'poster'
         ) WHERE d IS NOT NULL LIMIT ${MEDIAN_SAMPLE + 1}`,
      )
      .bind(...range, ...raw.args),
  ]);

  // Kind by kind, because each kind's rates divide by its own stages (core/funnel RATE_BASES).
  const groups = new Map<string, KindCounts>();
  const totals: KindCounts = {};
  const countRows = (counts?.results ?? []) as {
    g: string;
    kind: FunnelKind;
    hop: FunnelStage;
    n: number;
  }[];
  const add = (byKind: KindCounts, r: (typeof countRows)[number]) => {
    const c = byKind[r.kind] ?? emptyCounts();
    byKind[r.kind] = c;
    c[r.hop] += r.n;
  };
  for (const r of countRows) {
    const byKind = groups.get(r.g) ?? {};
    groups.set(r.g, byKind);
    add(byKind, r);
    add(totals, r);
  }
  const uniqueBy = new Map<string, number>();
  for (const r of (uniques?.results ?? []) as { g: string; n: number }[]) uniqueBy.set(r.g, r.n);
  const pairRows = (pairs?.results ?? []) as { g: string; d: number }[];
  const truncated = pairRows.length > MEDIAN_SAMPLE;
  if (truncated) pairRows.length = MEDIAN_SAMPLE;
  const delays = new Map<string, number[]>();
  for (const p of pairRows) {
    const list = delays.get(p.g) ?? [];
    delays.set(p.g, list);
    list.push(p.d);
  }

  let keys = [...groups.keys()];
  if (q.groupBy === "day") keys = daysBetween(q.from, q.to);
  const rows: FunnelRow[] = keys.map((k) => {
    const byKind = groups.get(k) ?? {};
    return {
      group: k === "" ? null : k,
      ...totalCounts(byKind),
      rates: stageRates(byKind),
      unique_scanners: uniqueBy.get(k) ?? 0,
      median_scan_to_app_open_ms: median(delays.get(k) ?? []),
    };
  });
  if (q.groupBy !== "day") {
    rows.sort((a, b) => b.scanned - a.scanned || (a.group ?? "").localeCompare(b.group ?? ""));
    rows.length = Math.min(rows.length, q.limit);
  }
  return {
    rows: q.groupBy ? rows : [],
    totals: {
      ...totalCounts(totals),
      rates: stageRates(totals),
      unique_scanners: (uniqueTotal?.results[0] as { n: number } | undefined)?.n ?? 0,
      median_scan_to_app_open_ms: median(pairRows.map((p) => p.d)),
    },
    median_sample: { pairs: pairRows.length, truncated },
  };
}
