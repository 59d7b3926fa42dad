// Days with several time zones in use (core/zone-set.ts): today in the zone whose clocks are
// latest, the earliest start of a kept day, and the archive hours that hold a day in any zone.
import { describe, expect, it } from "vitest";
import {
  earliestStartDaysAgo,
  latestToday,
  WIDEST_ZONES,
  zonedDaysSpanIn,
} from "../../src/core/zone-set";

const Z = (iso: string) => Date.parse(iso);
const BOTH = ["Asia/Tokyo", "America/Los_Angeles"];

describe("several zones", () => {
  it("today is the latest clocks' day: Los Angeles is still on Dec 5 when Tokyo is on Dec 6", () => {
    const now = Z("2026-12-06T04:00:00Z"); // 13:00 Dec 6 Tokyo, 20:00 Dec 5 Los Angeles
    expect(latestToday(now, ["UTC"])).toBe("2026-12-06");
    expect(latestToday(now, ["UTC", ...BOTH])).toBe("2026-12-05");
    expect(latestToday(now, WIDEST_ZONES)).toBe("2026-12-05");
    expect(() => latestToday(now, [])).toThrow(RangeError);
  });

  it("yesterday starts where it starts first in any zone's own calendar", () => {
    const now = Z("2026-12-06T04:00:00Z");
    expect(earliestStartDaysAgo(now, ["UTC"], 1)).toBe(Z("2026-12-05T00:00:00Z"));
    // Tokyo's yesterday (Dec 5) starts at its midnight, 9 hours before UTC's.
    expect(earliestStartDaysAgo(now, ["UTC", "Asia/Tokyo"], 1)).toBe(Z("2026-12-04T15:00:00Z"));
    // Los Angeles's yesterday is Dec 4 (its today is Dec 5), from 08:00 UTC of Dec 4.
    expect(earliestStartDaysAgo(now, ["UTC", ...BOTH], 1)).toBe(Z("2026-12-04T08:00:00Z"));
  });

  it("a day's hours in any zone: from Tokyo's midnight to Los Angeles's, and the widest zones'", () => {
    expect(zonedDaysSpanIn("2026-12-06", "2026-12-06", BOTH)).toEqual({
      start: Z("2026-12-05T15:00:00Z"),
      end: Z("2026-12-07T08:00:00Z"),
      firstHour: "2026-12-05T15",
      lastHour: "2026-12-07T07",
    });
    expect(zonedDaysSpanIn("2026-12-06", "2026-12-06", WIDEST_ZONES)).toEqual({
      start: Z("2026-12-05T10:00:00Z"),
      end: Z("2026-12-07T12:00:00Z"),
      firstHour: "2026-12-05T10",
      lastHour: "2026-12-07T11",
    });
  });
});
