/**
 * "Posters gone quiet": which days a poster must have no counted scan in (the quiet window, ending
 * today in the reporting time zone, or one store's own) and which days before it must hold scans
 * (the baseline). A poster scanned every day and then not at all for a week was usually torn down,
 * covered or moved; one never scanned, or quiet in the baseline too, says nothing new.
 */
import { LIMITS } from "../limits";
import { ApiError } from "./errors";
import { addDays } from "./time-zone";

/** The defaults of `GET /v1/stats/quiet-posters`: quiet days, baseline days, order, most listed. */
export const QUIET_DEFAULTS = { days: 7, baseline: 28, sort: "newest", limit: 100 } as const;

/** The days a quiet-posters question reads, inclusive, as YYYY-MM-DD of the reporting zone. */
export interface QuietWindows {
  /** First day of the baseline (`baseline` days before the quiet window). */
  baseline_from: string;
  /** Last day of the baseline, the day before the quiet window. */
  baseline_to: string;
  /** First day with no scan allowed. */
  quiet_from: string;
  /** Today in the reporting time zone (or one store's own): the quiet window's last day. */
  today: string;
}

/**
 * The baseline and the quiet window ending `today`: the quiet window is `days` days (today
 * included, so a scan this morning keeps a poster alive), the baseline the `baseline` days before
 * it. Together they span at most `LIMITS.maxRangeDays`; past it, a 400 naming `baseline`.
 *
 * @example
 * quietWindows("2026-12-07", 7, 28)
 * // { baseline_from: "2026-11-03", baseline_to: "2026-11-30", quiet_from: "2026-12-01", today: "2026-12-07" }
 */
export function quietWindows(today: string, days: number, baseline: number): QuietWindows {
  if (days + baseline > LIMITS.maxRangeDays)
    throw new ApiError(
      "validation_failed",
      `baseline: days + baseline span at most ${LIMITS.maxRangeDays} days`,
      { field: "baseline" },
    );
  const quietFrom = addDays(today, -(days - 1));
  return {
    baseline_from: addDays(quietFrom, -baseline),
    baseline_to: addDays(quietFrom, -1),
    quiet_from: quietFrom,
    today,
  };
}
