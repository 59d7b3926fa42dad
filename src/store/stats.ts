/**
 * The funnel a business reads, from the rollups alone (core/rollup.ts; which rows, see
 * store/rollup-reader.ts): a query reads rows per day (or month) and poster, or per day alone,
 * whatever the number of scans behind them. Counts are exact; unique scanners come from merged
 * sketches (core/hll.ts, ±1.6 % standard error) and the median scan → app open from merged
 * histograms (core/delay-histogram.ts, within ~5 %).
 */

import { addValues, valuesInUnits } from "../core/conversion-value";
import { type Histogram, histogramCount, histogramMedian } from "../core/delay-histogram";
import {
  daysBetween,
  emptyCounts,
  FUNNEL_STAGES,
  type FunnelKind,
  type KindCounts,
  STAGE_HOPS,
  type StageCounts,
  type StageRates,
  stageRates,
  totalCounts,
} from "../core/funnel";
import { estimateRegisters, newRegisters, type SketchRegisters } from "../core/hll";
import { REFUSED_REASONS, VIA_VALUES } from "../core/rollup";
import { mergeAllScanners, mergeDimension } from "../core/rollup-sketches";
import { type RollupFilter, type RollupRow, readRollups } from "./rollup-reader";

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

const COLUMN = {
  day: "day",
  store: "store_id",
  campaign: "campaign_id",
  poster: "poster_id",
  source: "kind",
} as const satisfies Partial<Record<GroupBy, keyof RollupRow>>;

export type FunnelFilter = RollupFilter;

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
  /** What the conversions were worth: currency → sum, exact to the hundredth. */
  converted_value: Record<string, number>;
  /** A person's scans of a paused, revoked, not yet started or ended poster (not a stage). */
  refused: number;
  refused_by_reason: RefusedCounts;
}

/** Refused scans by why the poster was inactive. */
export type RefusedCounts = Record<(typeof REFUSED_REASONS)[number], number>;

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
  /** Sketch registers of the group's scanners, dense (index = register, value = rank). */
  scanners: SketchRegisters;
  delays: Histogram;
  /** Conversion values: currency → hundredths (core/conversion-value.ts). */
  value: Record<string, number>;
  refused: RefusedCounts;
}

const newGroup = (): Group => ({
  byKind: {},
  direct: 0,
  refused: { paused: 0, revoked: 0, not_started: 0, ended: 0 },
  scanners: newRegisters(),
  delays: {},
  value: {},
});

/**
 * Add a rollup row's figures to a group. With `dim` (a folded dimension such as `p:ios`), only
 * what the row holds for that platform or in-app browser; with `via`, the `<stage>~<via>` counts.
 */
function addRow(g: Group, row: RollupRow, dim: string | null, via: string | null): void {
  const kind = row.kind as FunnelKind;
  const c = g.byKind[kind] ?? emptyCounts();
  g.byKind[kind] = c;
  const suffix = via ? `~${via}` : dim ? `@${dim}` : "";
  // Each kind reaches a stage through its own hop (a login is "redeemed" when approved).
  const hops = STAGE_HOPS[kind] ?? {};
  for (const stage of FUNNEL_STAGES) {
    const hop = hops[stage];
    if (hop) c[stage] += row.counts[`${hop}${suffix}`] ?? 0;
  }
  // Conversions and refused scans (which never reached the app) carry no `via`: a group by how
  // the app was reached has neither.
  if (!via) {
    // A row without conversions has no value keys to look for.
    if (row.counts.converted) addValues(g.value, row.counts, dim);
    for (const r of REFUSED_REASONS) g.refused[r] += row.counts[`refused:${r}${suffix}`] ?? 0;
  }
  if (!via || via === "direct")
    g.direct += row.counts[`app_open~direct${dim ? `@${dim}` : ""}`] ?? 0;
  // Sketches (JSON and compact parts): every scanner, or what a dimension holds of them — for
  // a way in, the scanners whose scan came that way (none for the ways only app opens come).
  if (dim) mergeDimension(g.scanners, row.scanners, dim);
  else if (via) mergeDimension(g.scanners, row.scanners, `v:${via}`);
  else mergeAllScanners(g.scanners, row.scanners);
  if (via && via !== "page") return;
  for (const [key, n] of Object.entries(row.delays)) {
    const bucket = dim ? (key.startsWith(`${dim}:`) ? key.slice(dim.length + 1) : null) : key;
    if (bucket !== null && !bucket.includes(":")) g.delays[bucket] = (g.delays[bucket] ?? 0) + n;
  }
}

function figures(g: Group): FunnelFigures {
  return {
    ...totalCounts(g.byKind),
    rates: stageRates(g.byKind),
    unique_scanners: estimateRegisters(g.scanners),
    direct_app_opens: g.direct,
    median_scan_to_app_open_ms: histogramMedian(g.delays),
    converted_value: valuesInUnits(g.value),
    refused: REFUSED_REASONS.reduce((n, r) => n + g.refused[r], 0),
    refused_by_reason: { ...g.refused },
  };
}

/** The values of a folded dimension a row holds (platforms or in-app browsers). */
function foldedValues(row: RollupRow, dim: "p" | "i"): string[] {
  const out = new Set<string>();
  for (const key of Object.keys(row.counts)) {
    const at = key.indexOf(`@${dim}:`);
    if (at !== -1) out.add(key.slice(at + 3));
  }
  return [...out];
}

/**
 * The funnel from `from` to `to` (inclusive days, UTC), optionally grouped and filtered, from
 * rollups only (store/rollup-reader.ts picks which). Bots never count.
 *
 * @example
 * const { rows, totals } = await funnel(env.DB, { from: "2026-01-01", to: "2026-01-31", groupBy: "store", limit: 100 });
 */
export async function funnel(db: D1Database, q: FunnelQuery): Promise<FunnelResult> {
  const byPoster = q.groupBy === "store" || q.groupBy === "campaign" || q.groupBy === "poster";
  const folded =
    q.groupBy === "platform" || q.groupBy === "in_app" || q.groupBy === "via" ? q.groupBy : null;
  const rows = await readRollups(
    db,
    { from: q.from, to: q.to, byPoster, byDay: q.groupBy === "day", folded },
    q,
  );
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
  for (const row of rows) {
    addRow(total, row, null, null);
    if (!q.groupBy) continue;
    if (q.groupBy === "via") {
      for (const via of [...VIA_VALUES, "other"])
        if (FUNNEL_STAGES.some((s) => row.counts[`${s}~${via}`]))
          addRow(groupOf(via), row, null, via);
    } else if (q.groupBy === "platform" || q.groupBy === "in_app") {
      const dim = q.groupBy === "platform" ? "p" : "i";
      for (const value of foldedValues(row, dim))
        addRow(groupOf(value), row, `${dim}:${value}`, null);
    } else {
      addRow(groupOf(row[COLUMN[q.groupBy]]), row, null, null);
    }
  }

  let keys = [...groups.keys()];
  if (q.groupBy === "day") keys = daysBetween(q.from, q.to);
  let out: FunnelRow[] = keys.map((k) => ({
    group: k === "" ? null : k,
    ...figures(groups.get(k) ?? newGroup()),
  }));
  if (q.groupBy !== "day") {
    // A group of bots only (say the "other" platform of link previewers) has nothing to show;
    // a poster people only scanned while it was inactive does.
    out = out.filter((r) => r.refused > 0 || FUNNEL_STAGES.some((stage) => r[stage] > 0));
    out.sort((a, b) => b.scanned - a.scanned || (a.group ?? "").localeCompare(b.group ?? ""));
    out.length = Math.min(out.length, q.limit);
  }
  return {
    rows: q.groupBy ? out : [],
    totals: figures(total),
    median_sample: { pairs: histogramCount(total.delays), truncated: false },
  };
}
