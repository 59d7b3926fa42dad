// Types of funnel-freshness.js for the unit tests (the console's scripts are plain JS, built as they are).
interface Capped {
  count: number;
  more: boolean;
}
/** The funnel answer's `freshness` (src/store/funnel-freshness.ts). */
export interface Freshness {
  counted_through: number | null;
  last_counted_at: number | null;
  pending: { spool: (Capped & { oldest_at: number | null }) | null; dead_letters: Capped };
}
export declare const BEHIND_MS: number;
export declare function freshnessLine(
  freshness: Freshness | null | undefined,
  now: number,
  say: (key: string, vars?: Record<string, string | number>) => string,
  locale: string,
): string;
