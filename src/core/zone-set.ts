/**
 * Days when several time zones are in use at once: the deployment's reporting zone and the
 * stores' own (`stores.time_zone`). A day label (`YYYY-MM-DD`) then spans different instants in
 * each, so what treats a day as over (the cron's compaction, the IP salts) waits for the zone
 * whose clocks are latest, and what reads a day's raw hops (retention, the export) covers the
 * instants of every zone.
 */
import { addDays, zonedDay, zonedDayStart, zonedDaysSpan } from "./time-zone";

/**
 * The zones of the earliest and the latest clocks on Earth (UTC+14, UTC−12; POSIX names, signs
 * reversed): every zone's day lies within theirs.
 */
export const WIDEST_ZONES: readonly string[] = ["Etc/GMT-14", "Etc/GMT+12"];

/**
 * Today in the zone whose clocks are latest among `zones`: the newest day that has begun in all of
 * them, so every day before it has begun everywhere and the day before that is over everywhere.
 *
 * @example
 * latestToday(Date.UTC(2026, 11, 6, 4), ["Asia/Tokyo", "America/Los_Angeles"]) // "2026-12-05"
 */
export function latestToday(now: number, zones: readonly string[]): string {
  let day: string | null = null;
  for (const zone of zones) {
    const d = zonedDay(now, zone);
    if (day === null || d < day) day = d;
  }
  if (day === null) throw new RangeError("no time zone");
  return day;
}

/**
 * The cron's today, before which days are over: {@link latestToday} of the zones in use, yet
 * never past the day after today at UTC−12. A store may take up any zone at any moment, and one
 * more than a day behind every zone in use (Pago Pago, UTC−11, on a Kiritimati deployment,
 * UTC+14) is still in a day they finished: its hops must find that day unfolded, its salt kept.
 * Only a deployment east of UTC+12 ever meets the cap (for a few hours after its midnight).
 *
 * @example
 * finishedDaysToday(Date.UTC(2026, 11, 8, 10, 30), ["Pacific/Kiritimati"]) // "2026-12-08", not "2026-12-09"
 */
export function finishedDaysToday(now: number, zones: readonly string[]): string {
  const today = latestToday(now, zones);
  const cap = addDays(zonedDay(now, WIDEST_ZONES[1]!), 1);
  return today < cap ? today : cap;
}

/**
 * The first instant of the day `days` days before today, in whichever of `zones` it starts
 * earliest: from there on, every zone's kept days are whole.
 *
 * @example
 * earliestStartDaysAgo(now, ["UTC"], 90) // the UTC midnight 90 days before today's
 */
export function earliestStartDaysAgo(now: number, zones: readonly string[], days: number): number {
  let start = Number.POSITIVE_INFINITY;
  for (const zone of zones)
    start = Math.min(start, zonedDayStart(addDays(zonedDay(now, zone), -days), zone));
  return start;
}

/**
 * The instants and archive hours that hold the days `from` to `to` in any of `zones` (the union
 * of {@link zonedDaysSpan} of each).
 *
 * @example
 * zonedDaysSpanIn("2026-12-06", "2026-12-06", ["Asia/Tokyo", "America/Los_Angeles"])
 * // { start: Date.UTC(2026, 11, 5, 15), end: Date.UTC(2026, 11, 7, 8), firstHour: "2026-12-05T15", lastHour: "2026-12-07T07" }
 */
export function zonedDaysSpanIn(from: string, to: string, zones: readonly string[]) {
  const spans = zones.map((zone) => zonedDaysSpan(from, to, zone));
  if (spans.length === 0) throw new RangeError("no time zone");
  return spans.reduce((a, b) => ({
    start: Math.min(a.start, b.start),
    end: Math.max(a.end, b.end),
    firstHour: a.firstHour < b.firstHour ? a.firstHour : b.firstHour,
    lastHour: a.lastHour > b.lastHour ? a.lastHour : b.lastHour,
  }));
}
