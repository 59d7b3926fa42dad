/**
 * Funnel arithmetic, pure: the stages a business reads, the conversion rate between them (kind
 * by kind, so handoffs and posters never divide each other) and medians. The store layer
 * counts; this module only does the math so it can be unit-tested.
 */
import type { HopName, SubjectKind } from "./hop-row";

/** The funnel's stages, in order. Each rate divides a stage by an earlier one: {@link RATE_BASES}. */
export const FUNNEL_STAGES = ["scanned", "landing", "app_open", "redeemed", "converted"] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];
/** The stages that have a rate: every stage but the first. */
export type RatedStage = Exclude<FunnelStage, "scanned">;

export type StageCounts = Record<FunnelStage, number>;
/** Rates keyed by the later stage: `rates.app_open` = poster app opens ÷ poster scans. */
export type StageRates = Record<RatedStage, number | null>;

/** What a hop is about (the API's `source`): each kind goes through its own stages. */
export type FunnelKind = SubjectKind;
/** Stage counts of one group, kind by kind. */
export type KindCounts = Partial<Record<FunnelKind, StageCounts>>;

/**
 * Which hop of each kind counts as each stage. Handoffs and posters log their stages under the
 * stages' own names. A QR login runs the other way and has neither a landing page nor an app
 * open of its own: its scan (the logged-in app read the QR) is its scan, its approval (the app
 * said yes) stands where a handoff's redemption stands — the step where the app acts — and its
 * exchange (the PC is signed in) is its conversion, the outcome the business wanted.
 */
export const STAGE_HOPS: Readonly<Record<FunnelKind, Partial<Record<FunnelStage, HopName>>>> = {
  poster: { scanned: "scanned", landing: "landing", app_open: "app_open", converted: "converted" },
  handoff: {
    scanned: "scanned",
    landing: "landing",
    app_open: "app_open",
    redeemed: "redeemed",
    converted: "converted",
  },
  login: { scanned: "scanned", redeemed: "approved", converted: "exchanged" },
};

/**
 * The stage a hop of a kind counts as, or null when it counts as none.
 *
 * @example
 * funnelStageOf("login", "approved")   // "redeemed"
 * funnelStageOf("login", "exchanged")  // "converted"
 * funnelStageOf("handoff", "approved") // null (a confirm: "pc" step, not a stage)
 */
export function funnelStageOf(kind: FunnelKind, hop: string): FunnelStage | null {
  const stages = STAGE_HOPS[kind];
  if (!stages) return null;
  for (const stage of FUNNEL_STAGES) if (stages[stage] === hop) return stage;
  return null;
}

/** Every hop name that some kind counts as a stage: what a funnel query reads. */
export const FUNNEL_HOPS: readonly HopName[] = [
  ...new Set(Object.values(STAGE_HOPS).flatMap((m) => Object.values(m))),
];

/**
 * What each rate divides by, kind by kind: the nearest earlier stage that every subject of
 * that kind reaching the stage went through. A kind without an entry for a stage is left out
 * of that rate altogether (numerator and denominator), so kinds never mix within a rate:
 *
 * - posters go scanned → landing → app_open → converted and never redeem;
 * - handoffs go scanned → landing → redeemed → converted;
 * - logins go scanned → redeemed (approved) → converted (exchanged), with no landing page.
 * The stage where the app is reached (a poster's app open, a handoff's redemption) is divided
 * by the scans, not the landings: with the app installed the phone opens it straight from the
 * code and no landing page is shown (the resolve records that scan itself). An `app_open` the
 * app reports for a handoff is counted but belongs to no handoff rate.
 */
export const RATE_BASES: Readonly<Record<FunnelKind, Partial<Record<RatedStage, FunnelStage>>>> = {
  poster: { landing: "scanned", app_open: "scanned", converted: "app_open" },
  handoff: { landing: "scanned", redeemed: "scanned", converted: "redeemed" },
  login: { redeemed: "scanned", converted: "redeemed" },
};

/**
 * Counts with every stage at zero.
 *
 * @example
 * emptyCounts() // { scanned: 0, landing: 0, app_open: 0, redeemed: 0, converted: 0 }
 */
export function emptyCounts(): StageCounts {
  return { scanned: 0, landing: 0, app_open: 0, redeemed: 0, converted: 0 };
}

/**
 * `part ÷ whole`, rounded to 4 decimals; null when `whole` is 0 (no rate to speak of).
 *
 * @example
 * rate(1, 3) // 0.3333
 * rate(5, 0) // null
 */
export function rate(part: number, whole: number): number | null {
  if (!whole) return null;
  return Math.round((part / whole) * 10_000) / 10_000;
}

/**
 * Every kind's counts added up: the counts a funnel shows.
 *
 * @example
 * totalCounts({ poster: { ...emptyCounts(), scanned: 2 }, handoff: { ...emptyCounts(), scanned: 4 } }).scanned // 6
 */
export function totalCounts(byKind: KindCounts): StageCounts {
  const total = emptyCounts();
  for (const counts of Object.values(byKind)) {
    for (const stage of FUNNEL_STAGES) total[stage] += counts?.[stage] ?? 0;
  }
  return total;
}

/**
 * The rate of each stage, by {@link RATE_BASES}: for every kind that has the stage, its count
 * of the stage, divided by the sum of the same kinds' counts of their base stage. Kinds not in
 * `RATE_BASES` count in no rate.
 *
 * @example
 * stageRates({
 *   handoff: { scanned: 400, landing: 390, app_open: 0, redeemed: 400, converted: 0 },
 *   poster: { scanned: 100, landing: 100, app_open: 100, redeemed: 0, converted: 10 },
 * })
 * // { landing: 0.98, app_open: 1, redeemed: 1, converted: 0.02 }
 */
export function stageRates(byKind: KindCounts): StageRates {
  const rates = {} as StageRates;
  for (const stage of FUNNEL_STAGES) {
    if (stage === "scanned") continue;
    let part = 0;
    let whole = 0;
    for (const kind of Object.keys(RATE_BASES) as FunnelKind[]) {
      const base = RATE_BASES[kind][stage];
      const counts = byKind[kind];
      if (!base || !counts) continue;
      part += counts[stage];
      whole += counts[base];
    }
    rates[stage] = rate(part, whole);
  }
  return rates;
}

/**
 * Median of a list of numbers (mean of the two middle values for an even count), rounded to
 * an integer; null for an empty list.
 *
 * @example
 * median([5, 1, 3]) // 3
 * median([1, 2, 3, 10]) // 3 (2.5 rounds up)
 * median([]) // null
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const m = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(m);
}

/**
 * Parse a `YYYY-MM-DD` day into unix ms at 00:00 UTC; null when it is not a real date.
 *
 * @example
 * parseDay("2026-02-28") // 1772236800000
 * parseDay("2026-02-30") // null
 */
export function parseDay(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === day ? ms : null;
}

/**
 * The `YYYY-MM-DD` (UTC) of unix ms.
 *
 * @example
 * dayOf(0) // "1970-01-01"
 */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Every day from `from` to `to` inclusive (both `YYYY-MM-DD`).
 *
 * @example
 * daysBetween("2026-01-30", "2026-02-01") // ["2026-01-30", "2026-01-31", "2026-02-01"]
 */
export function daysBetween(from: string, to: string): string[] {
  const start = parseDay(from);
  const end = parseDay(to);
  if (start === null || end === null) return [];
  const out: string[] = [];
  for (let t = start; t <= end; t += 86_400_000) out.push(dayOf(t));
  return out;
}
