// Days with several time zones in use (core/zone-set.ts): today in the zone whose clocks are
// latest, the earliest start of a kept day, and the archive hours that hold a day in any zone.
import { describe, expect, it } from "vitest";
import {
  earliestStartDaysAgo,
  finishedDaysToday,
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

  it("the cron's today is the latest clocks' day, capped a day after UTC−12's for zones east of UTC+12", () => {
    // Every hour of two days: UTC, Tokyo or Los Angeles in use never meet the cap.
    const start = Z("2026-12-06T00:00:00Z");
    for (let h = 0; h < 48; h++) {
      const now = start + h * 3_600_000;
      for (const zones of [["UTC"], ["Asia/Tokyo"], ["UTC", ...BOTH]])
        expect(finishedDaysToday(now, zones), `${h} ${zones}`).toBe(latestToday(now, zones));
    }
    // 00:30 of Dec 9 in Kiritimati is 22:30 of Dec 7 at UTC−12: Dec 8, not Dec 9.
    const kiritimati = ["Pacific/Kiritimati"];
    expect(latestToday(Z("2026-12-08T10:30:00Z"), kiritimati)).toBe("2026-12-09");
    expect(finishedDaysToday(Z("2026-12-08T10:30:00Z"), kiritimati)).toBe("2026-12-08");
    // 02:00 there: UTC−12 is on Dec 8 too, the cap is Dec 9.
    expect(finishedDaysToday(Z("2026-12-08T12:00:00Z"), kiritimati)).toBe("2026-12-09");
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
