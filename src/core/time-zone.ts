/**
 * Days in a reporting time zone (`QB_REPORTING_TIME_ZONE`, an IANA name): the day of an instant
 * and the instant a day starts. A business reads its funnel by its own day, so a hop's `day` is
 * the calendar day of its `at` on the clocks of that zone, not in UTC.
 *
 * `Intl.DateTimeFormat` knows the zones' rules (DST, fractional offsets) but costs several
 * microseconds a call, too much for every hop: each zone keeps the UTC spans of the few days it
 * last answered, so the hot path is a couple of comparisons and Intl runs a few times a day.
 * "UTC" never touches Intl (the default costs what it always did).
 */
import { dayOf, parseDay } from "./funnel";
import { primaryZoneName } from "./zone-spellings";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Day spans each zone remembers (hops arrive in order, give or take a late one). */
const SPANS_KEPT = 4;
/** Zones whose formatters and spans are kept (the deployment's, and one per store zone in use). */
const ZONES_KEPT = 64;

interface Span {
  day: string;
  start: number;
  end: number;
}

interface Zone {
  format: Intl.DateTimeFormat;
  spans: Span[];
}

const zones = new Map<string, Zone>();

/**
 * Names the runtime's ICU knows that keep no civil time: IANA's `Factory` (a placeholder, "-00",
 * for a machine whose zone is not set) and ICU's `SystemV/*`, gone from IANA since 2020b. Every
 * other IANA name and link (tzdata 2025b, 598 names, checked in workerd) resolves to a civil zone,
 * `UTC` or a fixed `Etc/GMT±N`.
 */
const NOT_CIVIL = /^(Factory|SystemV\/.*)$/i;

/**
 * The canonical IANA name of `zone` ("asia/tokyo" → "Asia/Tokyo"; "Etc/UTC", "GMT" → "UTC"), or null
 * when it is not a civil time zone this runtime knows (`Factory` is not).
 *
 * @example
 * timeZoneName("asia/tokyo") // "Asia/Tokyo"
 * timeZoneName("Asia/Calcutta") // "Asia/Kolkata"
 * timeZoneName("Etc/UTC") // "UTC"
 * timeZoneName("Mars/Olympus") // null
 * timeZoneName("Factory") // null
 */
export function timeZoneName(zone: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return null;
  let name: string;
  try {
    name = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  if (NOT_CIVIL.test(name)) return null;
  // Spellings of UTC itself come back as "UTC", which takes the fast path.
  return primaryZoneName(name);
}

function zoneOf(name: string): Zone {
  let zone = zones.get(name);
  if (!zone) {
    zone = {
      format: new Intl.DateTimeFormat("en-US", {
        timeZone: name,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      }),
      spans: [],
    };
    if (zones.size >= ZONES_KEPT) zones.delete(zones.keys().next().value!);
    zones.set(name, zone);
  }
  return zone;
}

/** The wall-clock time of `ms` in the zone, read as if it were UTC (unix ms, whole seconds). */
function wallClock(zone: Zone, ms: number): number {
  const p: Record<string, number> = {};
  for (const part of zone.format.formatToParts(ms)) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  const wall = new Date(Date.UTC(2000, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!));
  // Date.UTC reads the years 0 to 99 as 1900 to 1999: the year is set on its own.
  return wall.setUTCFullYear(p.year!);
}

/** The zone's offset from UTC at `ms` (ms; +9 h in Tokyo). */
function offsetAt(zone: Zone, ms: number): number {
  return wallClock(zone, ms) - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The local day of `ms` as the UTC midnight of that date (unix ms). Numbers, not YYYY-MM-DD
 * text: the day after 9999-12-31 has no such name, yet it is where that day ends.
 */
const localMidnight = (zone: Zone, ms: number): number => {
  const wall = ms + offsetAt(zone, ms);
  return wall - (((wall % DAY) + DAY) % DAY);
};

/**
 * The first instant of the local day whose date is `midnight` (its UTC midnight, unix ms).
 * Midnight less the offset of the moment, checked; a day whose midnight is skipped by a DST
 * change (it starts at 01:00) is found by bisection.
 */
function startOfDay(zone: Zone, midnight: number): number {
  const guess = midnight - offsetAt(zone, midnight);
  const start = midnight - offsetAt(zone, guess);
  if (localMidnight(zone, start) === midnight && localMidnight(zone, start - 1) < midnight)
    return start;
  // No offset is beyond ±15 h: the day starts in this window, the first instant that reads it.
  let lo = midnight - 15 * HOUR;
  let hi = midnight + 15 * HOUR;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localMidnight(zone, mid) >= midnight) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Whether every instant of `[start, end)` shows the day dated `midnight`. Only a change that
 * sets clocks back can break it, and only when it takes them back over the day's midnight;
 * the instant of that change is found by bisection (a day or two a year, in DST zones).
 */
function wholeDay(zone: Zone, midnight: number, start: number, end: number): boolean {
  const last = offsetAt(zone, end - 1);
  if (last >= offsetAt(zone, start)) return true;
  let lo = start;
  let hi = end - 1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(zone, mid) === last) hi = mid;
    else lo = mid;
  }
  return localMidnight(zone, hi) === midnight;
}

/**
 * The day (YYYY-MM-DD) of unix ms `ms` in the time zone `zone` (a name {@link timeZoneName}
 * accepted).
 *
 * @example
 * zonedDay(Date.UTC(2026, 11, 5, 15), "Asia/Tokyo") // "2026-12-06" (00:00 in Tokyo)
 * zonedDay(Date.UTC(2026, 11, 5, 15), "UTC") // "2026-12-05"
 */
export function zonedDay(ms: number, zone: string): string {
  if (zone === "UTC") return dayOf(ms);
  const z = zoneOf(zone);
  for (const s of z.spans) if (ms >= s.start && ms < s.end) return s.day;
  const midnight = localMidnight(z, ms);
  const day = dayOf(midnight);
  const start = startOfDay(z, midnight);
  const end = startOfDay(z, midnight + DAY);
  // Kept only when every instant of it shows the day (clocks that went back over midnight, as
  // in Moncton until 2006, show the day before again inside the next day's span).
  if (ms >= start && ms < end && wholeDay(z, midnight, start, end)) {
    if (z.spans.length >= SPANS_KEPT) z.spans.shift();
    z.spans.push({ day, start, end });
  }
  return day;
}

/**
 * The first instant (unix ms) of `day` (YYYY-MM-DD) in the time zone `zone`; the day ends where
 * the next one starts (23 or 25 hours later on a DST change).
 *
 * @example
 * zonedDayStart("2026-12-06", "Asia/Tokyo") // Date.UTC(2026, 11, 5, 15)
 * zonedDayStart("2026-03-08", "America/Los_Angeles") // Date.UTC(2026, 2, 8, 8)
 */
export function zonedDayStart(day: string, zone: string): number {
  const midnight = parseDay(day);
  if (midnight === null) throw new RangeError(`not a day: ${day}`);
  return dayStartAt(midnight, zone);
}

/** The first instant of the zone's day dated `midnight` (its UTC midnight, unix ms). */
function dayStartAt(midnight: number, zone: string): number {
  if (zone === "UTC") return midnight;
  const z = zoneOf(zone);
  const day = dayOf(midnight);
  for (const s of z.spans) if (s.day === day) return s.start;
  return startOfDay(z, midnight);
}

/**
 * The calendar day `n` days after `day` (before, when negative); no time zone involved.
 *
 * @example
 * addDays("2026-02-28", 1) // "2026-03-01"
 * addDays("2026-01-01", -1) // "2025-12-31"
 */
export function addDays(day: string, n: number): string {
  return dayOf(parseDay(day)! + n * DAY);
}

/** The first instant after 9999-12-31 (UTC), which no `YYYY-MM-DDTHH` hour names. */
const PAST_LAST_HOUR = Date.UTC(10000, 0, 1);

/** The archive's name of the UTC hour of `ms` (`YYYY-MM-DDTHH`), the last one nameable at most. */
const hourName = (ms: number): string =>
  new Date(Math.min(ms, PAST_LAST_HOUR - 1)).toISOString().slice(0, 13);

/**
 * The UTC hours (`YYYY-MM-DDTHH`, as the raw archive is partitioned) that hold the days `from`
 * to `to` of the zone, and the instants they span: `[start, end)`.
 *
 * @example
 * zonedDaysSpan("2026-12-06", "2026-12-06", "Asia/Tokyo")
 * // { start: Date.UTC(2026, 11, 5, 15), end: Date.UTC(2026, 11, 6, 15),
 * //   firstHour: "2026-12-05T15", lastHour: "2026-12-06T14" }
 */
export function zonedDaysSpan(
  from: string,
  to: string,
  zone: string,
): { start: number; end: number; firstHour: string; lastHour: string } {
  const start = zonedDayStart(from, zone);
  // The day after `to` by its instant: after 9999-12-31 it has no YYYY-MM-DD, but an end.
  const end = dayStartAt(zonedDayStart(to, "UTC") + DAY, zone);
  return { start, end, firstHour: hourName(start), lastHour: hourName(end - 1) };
}
