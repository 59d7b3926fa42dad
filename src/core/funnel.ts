/**
 * Funnel arithmetic, pure: the stages a business reads, the conversion rate between them and
 * medians. The store layer counts; this module only does the math so it can be unit-tested.
 */

/** The funnel's stages, in order. Each rate is a stage divided by the one before it. */
export const FUNNEL_STAGES = ["scanned", "landing", "app_open", "redeemed", "converted"] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export type StageCounts = Record<FunnelStage, number>;
/** Rates keyed by the later stage: `rates.app_open` = app_open ÷ landing. */
export type StageRates = Record<Exclude<FunnelStage, "scanned">, number | null>;

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
 * The conversion rate from each stage to the next.
 *
 * @example
 * stageRates({ scanned: 10, landing: 8, app_open: 4, redeemed: 0, converted: 0 })
 * // { landing: 0.8, app_open: 0.5, redeemed: 0, converted: null }
 */
export function stageRates(counts: StageCounts): StageRates {
  return {
    landing: rate(counts.landing, counts.scanned),
    app_open: rate(counts.app_open, counts.landing),
    redeemed: rate(counts.redeemed, counts.app_open),
    converted: rate(counts.converted, counts.redeemed),
  };
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
