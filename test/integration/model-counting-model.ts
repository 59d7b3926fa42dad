// The exact model of the funnel (docs/stats.md, "Stages" and "The funnel") for the model-based
// counting test: from the hops that should count — each row once, each once-only event once
// however often it was reported — what `GET /v1/stats/funnel` must answer for a range, filters
// and a grouping. Written from the docs, not from src/: stage counts, rates kind by kind, direct
// app opens, conversion values in hundredths, refused scans; the exact distinct scanners and the
// exact median delay, which the Worker estimates within stated bounds.
import { estimateRegisters, newRegisters, sketchEntry } from "../../src/core/hll";
import type { HopRow } from "../../src/core/hop-row";

export type Stage = "scanned" | "landing" | "app_open" | "redeemed" | "converted";
const STAGES: readonly Stage[] = ["scanned", "landing", "app_open", "redeemed", "converted"];
const REASONS = ["paused", "revoked", "not_started", "ended"] as const;
const VIAS = new Set([
  "page",
  "direct",
  "app",
  "scheme",
  "install_referrer",
  "smart_banner",
  "clipboard",
  "app_clip",
  "manual_code",
  "same_device",
]);

/** Each kind's stages and what its rates divide by (docs/stats.md, the rates table). */
const KIND_STAGES: Record<string, readonly Stage[]> = {
  poster: ["scanned", "landing", "app_open", "converted"],
  handoff: ["scanned", "landing", "app_open", "redeemed", "converted"],
};
const RATE_BASE: Record<string, Partial<Record<Stage, Stage>>> = {
  poster: { landing: "scanned", app_open: "scanned", converted: "app_open" },
  handoff: { landing: "scanned", redeemed: "scanned", converted: "redeemed" },
};

export type GroupBy =
  | "day"
  | "store"
  | "campaign"
  | "poster"
  | "platform"
  | "in_app"
  | "source"
  | "via";

export interface FunnelQuery {
  from: string;
  to: string;
  group_by?: GroupBy;
  store_id?: string;
  campaign_id?: string;
  poster_id?: string;
  source?: string;
  /** Most groups (default 100); `day` lists every day. */
  limit?: string;
}

/** The exact figures the Worker states exactly. */
export interface ExactFigures {
  scanned: number;
  landing: number;
  app_open: number;
  redeemed: number;
  converted: number;
  rates: Record<Exclude<Stage, "scanned">, number | null>;
  direct_app_opens: number;
  converted_value: Record<string, number>;
  refused: number;
  refused_by_reason: Record<(typeof REASONS)[number], number>;
}

/** A group as the model sees it: exact figures, plus what the Worker only estimates. */
export interface ModelGroup {
  group: string | null;
  figures: ExactFigures;
  /** The distinct scanners (IP hashes), exactly. */
  scanners: number;
  /** The estimate a sketch of exactly those scanners gives (core/hll.ts). */
  sketched: number;
  /** Page scan → app open delays (ms). */
  delays: number[];
}

export function viaOf(row: HopRow): string | null {
  const via = row.detail ? (JSON.parse(row.detail) as { via?: unknown }).via : undefined;
  return typeof via === "string" ? (VIAS.has(via) ? via : "other") : null;
}

function groupKey(row: HopRow, by: GroupBy): string | null {
  switch (by) {
    case "day":
      return row.day;
    case "store":
      return row.store_id ?? "";
    case "campaign":
      return row.campaign_id ?? "";
    case "poster":
      return row.poster_id ?? "";
    case "source":
      return row.kind;
    case "platform":
      return row.platform ?? "";
    case "in_app":
      return row.in_app ?? "";
    case "via":
      return viaOf(row);
  }
}

interface Tally {
  byKind: Record<string, Record<Stage, number>>;
  direct: number;
  hashes: Set<string>;
  delays: number[];
  hundredths: Record<string, number>;
  refused: Record<(typeof REASONS)[number], number>;
}

const newTally = (): Tally => ({
  byKind: {},
  direct: 0,
  hashes: new Set(),
  delays: [],
  hundredths: {},
  refused: { paused: 0, revoked: 0, not_started: 0, ended: 0 },
});

function add(t: Tally, row: HopRow): void {
  const stages = KIND_STAGES[row.kind] ?? [];
  const stage = STAGES.find((s) => s === row.hop && stages.includes(s));
  const detail = row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : {};
  if (stage) {
    t.byKind[row.kind] ??= { scanned: 0, landing: 0, app_open: 0, redeemed: 0, converted: 0 };
    t.byKind[row.kind]![stage] += 1;
  }
  if (row.hop === "scanned" && row.ip_hash) t.hashes.add(row.ip_hash);
  if (row.hop === "app_open" && detail.via === "direct") t.direct += 1;
  if (row.hop === "app_open" && detail.via === "page" && row.ms_since_created !== null)
    t.delays.push(row.ms_since_created);
  if (row.hop === "converted" && typeof detail.value === "number") {
    const currency = typeof detail.currency === "string" ? detail.currency : "XXX";
    t.hundredths[currency] = (t.hundredths[currency] ?? 0) + Math.round(detail.value * 100);
  }
  const reason = detail.reason as (typeof REASONS)[number];
  if (row.hop === "rejected" && row.poster_id && REASONS.includes(reason)) t.refused[reason] += 1;
}

const rate = (part: number, whole: number) =>
  whole ? Math.round((part / whole) * 10_000) / 10_000 : null;

function figures(t: Tally, byVia: boolean): ExactFigures {
  const sum = (stage: Stage) => Object.values(t.byKind).reduce((n, counts) => n + counts[stage], 0);
  const rated = (stage: Exclude<Stage, "scanned">) => {
    let part = 0;
    let whole = 0;
    for (const [kind, counts] of Object.entries(t.byKind)) {
      const base = RATE_BASE[kind]?.[stage];
      if (!base) continue;
      part += counts[stage];
      whole += counts[base];
    }
    return rate(part, whole);
  };
  const refused = byVia ? newTally().refused : t.refused;
  return {
    scanned: sum("scanned"),
    landing: sum("landing"),
    app_open: sum("app_open"),
    redeemed: sum("redeemed"),
    converted: sum("converted"),
    rates: {
      landing: rated("landing"),
      app_open: rated("app_open"),
      redeemed: rated("redeemed"),
      converted: rated("converted"),
    },
    direct_app_opens: t.direct,
    converted_value: byVia
      ? {}
      : Object.fromEntries(Object.entries(t.hundredths).map(([c, h]) => [c, h / 100])),
    refused: REASONS.reduce((n, r) => n + refused[r], 0),
    refused_by_reason: { ...refused },
  };
}

/** Every day from `from` to `to`, inclusive. */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const toGroup = (key: string | null, t: Tally, byVia: boolean): ModelGroup => ({
  group: key === "" ? null : key,
  figures: figures(t, byVia),
  scanners: t.hashes.size,
  sketched: sketchOf(t.hashes),
  delays: t.delays,
});

/**
 * The estimate of one sketch of `hashes`: a sketch merges by register-wise max, so whatever
 * rows, days, months and batches the Worker merged, holding exactly these scanners it answers this.
 */
function sketchOf(hashes: ReadonlySet<string>): number {
  const registers = newRegisters();
  for (const hash of hashes) {
    const [register, rank] = sketchEntry(hash)!;
    registers[register] = Math.max(registers[register]!, rank);
  }
  return estimateRegisters(registers);
}

/** What the funnel must answer for `q` over the `counted` hops: its rows (in order) and totals. */
export function modelFunnel(
  counted: readonly HopRow[],
  q: FunnelQuery,
): { rows: ModelGroup[]; totals: ModelGroup } {
  const total = newTally();
  const groups = new Map<string, Tally>();
  for (const row of counted) {
    if (row.day < q.from || row.day > q.to || row.bot) continue;
    if (q.store_id !== undefined && row.store_id !== q.store_id) continue;
    if (q.campaign_id !== undefined && row.campaign_id !== q.campaign_id) continue;
    if (q.poster_id !== undefined && row.poster_id !== q.poster_id) continue;
    if (q.source !== undefined && row.kind !== q.source) continue;
    add(total, row);
    const key = q.group_by ? groupKey(row, q.group_by) : null;
    if (key === null) continue;
    if (!groups.has(key)) groups.set(key, newTally());
    add(groups.get(key)!, row);
  }
  const byVia = q.group_by === "via";
  let rows: ModelGroup[];
  if (q.group_by === "day") {
    rows = daysOf(q.from, q.to).map((d) => toGroup(d, groups.get(d) ?? newTally(), false));
  } else {
    rows = [...groups]
      .map(([k, t]) => toGroup(k, t, byVia))
      .filter((g) => g.figures.refused > 0 || STAGES.some((s) => g.figures[s] > 0))
      .sort(
        (a, b) =>
          b.figures.scanned - a.figures.scanned || (a.group ?? "").localeCompare(b.group ?? ""),
      )
      .slice(0, Number(q.limit ?? 100));
  }
  return { rows: q.group_by ? rows : [], totals: toGroup(null, total, false) };
}

/** The lower middle of the delays (the median the docs describe), or null when none. */
export function exactMedian(delays: readonly number[]): number | null {
  if (delays.length === 0) return null;
  const sorted = [...delays].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1]!;
}
