/**
 * The day range of a funnel, an export or the dashboard: days as YYYY-MM-DD (a hop's `day`, in
 * its poster's store's zone or the reporting time zone), checked once here for every route that
 * takes `from` and `to`.
 */
import { LIMITS } from "../limits";
import { ApiError } from "./errors";
import { dayOf, parseDay } from "./funnel";
import { zonedDay } from "./time-zone";
import { earliestStartDaysAgo } from "./zone-set";

const DAY_MS = 86_400_000;

/**
 * Check a date range: real days, `to` not before `from`, at most `LIMITS.maxRangeDays`.
 * Defaults to the last `LIMITS.defaultRangeDays` days up to the day of `now` in `timeZone` (the
 * reporting time zone, or a filtered store's: store/store-zones.ts `filteredDayZone`). Throws a 400 that names the field.
 *
 * @example
 * resolveRange("2026-01-01", "2026-01-31") // { from: "2026-01-01", to: "2026-01-31" }
 * resolveRange(undefined, undefined, Date.UTC(2026, 0, 31)) // { from: "2026-01-02", to: "2026-01-31" }
 * resolveRange(undefined, undefined, Date.UTC(2026, 0, 31, 20), "Asia/Tokyo") // to: "2026-02-01"
 */
export function resolveRange(
  from?: string,
  to?: string,
  now = Date.now(),
  timeZone = "UTC",
): { from: string; to: string } {
  const toMs = parseDay(to ?? zonedDay(now, timeZone));
  if (toMs === null) throw new ApiError("validation_failed", "to: not a real day", { field: "to" });
  const fromMs =
    from === undefined ? toMs - (LIMITS.defaultRangeDays - 1) * DAY_MS : parseDay(from);
  if (fromMs === null)
    throw new ApiError("validation_failed", "from: not a real day", { field: "from" });
  if (toMs < fromMs)
    throw new ApiError("validation_failed", "to: must not be before from", { field: "to" });
  if ((toMs - fromMs) / DAY_MS + 1 > LIMITS.maxRangeDays) {
    throw new ApiError(
      "validation_failed",
      `to: a range spans at most ${LIMITS.maxRangeDays} days`,
      { field: "to" },
    );
  }
  return { from: dayOf(fromMs), to: dayOf(toMs) };
}

/**
 * The first hour of the raw-hop archive (UTC, `YYYY-MM-DDTHH`, as R2 is partitioned) that
 * retention keeps at `now`: from the first instant of the oldest day still kept in any of
 * `zones` (the reporting time zone and the stores' own), its UTC day, so no zone's day is kept
 * a day short. The cron deletes the hours before it; an export reads them only while the cron
 * has not got to them yet.
 *
 * @example
 * firstKeptHour(Date.UTC(2026, 11, 7, 15), 90) // "2026-09-08T00"
 */
export function firstKeptHour(
  now: number,
  retentionDays: number,
  zones: string | readonly string[] = "UTC",
): string {
  const start = earliestStartDaysAgo(
    now,
    typeof zones === "string" ? [zones] : zones,
    retentionDays,
  );
  return `${dayOf(start)}T00`;
}
