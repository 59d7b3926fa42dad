/**
 * The funnel a business reads, from the daily rollups alone (`hop_rollups`, see core/rollup.ts):
 * a query reads one row per day × kind × store × campaign × poster × platform × in-app browser
 * in its range, whatever the number of scans behind them. Counts are exact; unique scanners
 * come from merged sketches (core/hll.ts, ±1.6 % standard error) and the median scan → app
 * open from merged histograms (core/delay-histogram.ts, within ~5 %).
 */
import {
  type Histogram,
  histogramCount,
  histogramMedian,
  mergeHistograms,
} from "../core/delay-histogram";
import {
  daysBetween,
  emptyCounts,
  FUNNEL_STAGES,
  type FunnelKind,
  type KindCounts,
  type StageCounts,
  type StageRates,
  stageRates,
  totalCounts,
} from "../core/funnel";
import { estimateDistinct, mergeSketches, type Sketch } from "../core/hll";
import { VIA_VALUES } from "../core/rollup";

/** What a funnel may be grouped by (`source` is the kind; `via` how the app was reached). */
export const GROUP_BY = [
  "day",
  "store",
  "campaign",
  "poster",
  "platform",
  "in_app",
  "source",
  "via",
] as const;
export type GroupBy = (typeof GROUP_BY)[number];

const COLUMN: Record<Exclude<GroupBy, "via">, string> = {
  day: "day",
  store: "store_id",
  campaign: "campaign_id",
  poster: "poster_id",
  platform: "platform",
  in_app: "in_app",
  source: "kind",
};

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
  /** App opens straight from the QR (the app was installed; no landing page, no delay). */
  direct_app_opens: number;
  /** Median delay from a page scan to its app open (direct opens are not in it). */
  median_scan_to_app_open_ms: number | null;
}

export interface FunnelRow extends FunnelFigures {
  /** The group's value (a day, an id, a platform…); null for "none" (e.g. no store). */
  group: string | null;
}

export interface FunnelResult {
  rows: FunnelRow[];
  totals: FunnelFigures;
  /** Page scan → app open delays behind the medians. */
  median_sample: { pairs: number; truncated: boolean };
}

interface Group {
  byKind: KindCounts;
  direct: number;
  scanners: Sketch;
  delays: Histogram;
}

const newGroup = (): Group => ({ byKind: {}, direct: 0, scanners: {}, delays: {} });

function where(q: FunnelQuery): { sql: string; args: string[] } {
  const parts: string[] = [];
  const args: string[] = [];
  const add = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    args.push(value);
    parts.push(`${column} = ?${args.length + 2}`);
  };
  add("store_id", q.store_id);
  add("campaign_id", q.campaign_id);
  add("poster_id", q.poster_id);
  add("kind", q.source);
  return { sql: parts.map((p) => ` AND ${p}`).join(""), args };
}

/** Add one rollup row's figures to a group; `via` picks the `<stage>~<via>` counts instead. */
function addRow(
  g: Group,
  kind: FunnelKind,
  counts: Record<string, number>,
  via: string | null,
): void {
  const c = g.byKind[kind] ?? emptyCounts();
  g.byKind[kind] = c;
  for (const stage of FUNNEL_STAGES) c[stage] += counts[via ? `${stage}~${via}` : stage] ?? 0;
  if (!via || via === "direct") g.direct += counts["app_open~direct"] ?? 0;
}

function figures(g: Group): FunnelFigures {
  return {
    ...totalCounts(g.byKind),
    rates: stageRates(g.byKind),
    unique_scanners: estimateDistinct(g.scanners),
    direct_app_opens: g.direct,
    median_scan_to_app_open_ms: histogramMedian(g.delays),
  };
}

/**
 * The funnel from `from` to `to` (inclusive days, UTC), optionally grouped and filtered. Bots
 * never count (their hops are rolled up under `bot.<hop>`).
 *
 * @example
 * const { rows, totals } = await funnel(env.DB, { from: "2026-01-01", to: "2026-01-31", groupBy: "store", limit: 100 });
 */
export async function funnel(db: D1Database, q: FunnelQuery): Promise<FunnelResult> {
  const f = where(q);
  const column = q.groupBy && q.groupBy !== "via" ? COLUMN[q.groupBy] : "''";
  const { results } = await db
    .prepare(
      `SELECT ${column} AS g, kind, counts, scanners, delays FROM hop_rollups
       WHERE day BETWEEN ?1 AND ?2${f.sql}`,
    )
    .bind(q.from, q.to, ...f.args)
    .all<{ g: string; kind: FunnelKind; counts: string; scanners: string; delays: string }>();

  const groups = new Map<string, Group>();
  const total = newGroup();
  const groupOf = (key: string) => {
    let g = groups.get(key);
    if (!g) {
      g = newGroup();
      groups.set(key, g);
    }
    return g;
  };
  for (const r of results) {
    const counts = JSON.parse(r.counts) as Record<string, number>;
    const scanners = JSON.parse(r.scanners) as Sketch;
    const delays = JSON.parse(r.delays) as Histogram;
    addRow(total, r.kind, counts, null);
    mergeSketches(total.scanners, scanners);
    mergeHistograms(total.delays, delays);
    if (q.groupBy === "via") {
      for (const via of [...VIA_VALUES, "other"]) {
        if (!FUNNEL_STAGES.some((s) => counts[`${s}~${via}`])) continue;
        addRow(groupOf(via), r.kind, counts, via);
        if (via === "page") mergeHistograms(groupOf(via).delays, delays);
      }
      continue;
    }
    const g = groupOf(r.g);
    addRow(g, r.kind, counts, null);
    mergeSketches(g.scanners, scanners);
    mergeHistograms(g.delays, delays);
  }

  let keys = [...groups.keys()];
  if (q.groupBy === "day") keys = daysBetween(q.from, q.to);
  let rows: FunnelRow[] = keys.map((k) => ({
    group: k === "" ? null : k,
    ...figures(groups.get(k) ?? newGroup()),
  }));
  if (q.groupBy !== "day") {
    // A group of bots only (say the "other" platform of link previewers) has nothing to show.
    rows = rows.filter((r) => FUNNEL_STAGES.some((stage) => r[stage] > 0));
    rows.sort((a, b) => b.scanned - a.scanned || (a.group ?? "").localeCompare(b.group ?? ""));
    rows.length = Math.min(rows.length, q.limit);
  }
  return {
    rows: q.groupBy ? rows : [],
    totals: figures(total),
    median_sample: { pairs: histogramCount(total.delays), truncated: false },
  };
}
