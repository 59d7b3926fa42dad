import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayOf } from "../../src/core/funnel";
import {
  addDays,
  timeZoneName,
  zonedDay,
  zonedDayStart,
  zonedDaysSpan,
} from "../../src/core/time-zone";

const H = 3_600_000;
const M = 60_000;
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) =>
  Date.UTC(y, mo - 1, d, h, mi, s, ms);

// The day of an instant straight from Intl, with no cache and no arithmetic: what zonedDay must agree with.
function intlDay(ms: number, zone: string): string {
  const p = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(ms);
  const get = (t: string) => p.find((x) => x.type === t)!.value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

describe("reporting time zone: names", () => {
  it("accepts IANA names in any case and refuses anything else", () => {
    expect(timeZoneName("Asia/Tokyo")).toBe("Asia/Tokyo");
    expect(timeZoneName("asia/tokyo")).toBe("Asia/Tokyo");
    expect(timeZoneName("UTC")).toBe("UTC");
    expect(timeZoneName("Etc/UTC")).toBe("UTC");
    expect(timeZoneName("gmt")).toBe("UTC");
    for (const bad of ["Mars/Olympus", "", "Asia/Tokyo\n", "../etc", "+09:00 ", "A".repeat(70)])
      expect(timeZoneName(bad)).toBeNull();
  });

  it("answers IANA's current names where ICU still spells a zone the old way", () => {
    const spellings: [string, string][] = [
      ["Asia/Kolkata", "Asia/Kolkata"],
      ["Asia/Calcutta", "Asia/Kolkata"],
      ["asia/calcutta", "Asia/Kolkata"],
      ["Europe/Kyiv", "Europe/Kyiv"],
      ["Europe/Kiev", "Europe/Kyiv"],
      ["Asia/Yangon", "Asia/Yangon"],
      ["Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh"],
      ["Asia/Kathmandu", "Asia/Kathmandu"],
      ["America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"],
      ["America/Buenos_Aires", "America/Argentina/Buenos_Aires"],
      ["America/Nuuk", "America/Nuuk"],
    ];
    for (const [given, stored] of spellings) expect(timeZoneName(given), given).toBe(stored);
  });

  it("a stored name reads back as itself, on the same days, for every zone the runtime knows", () => {
    const instants = [utc(2026, 1, 15, 12), utc(2026, 7, 1, 23, 30), utc(2026, 10, 31, 2)];
    for (const zone of Intl.supportedValuesOf("timeZone")) {
      const name = timeZoneName(zone);
      if (name === null) continue;
      expect(timeZoneName(name), zone).toBe(name);
      for (const at of instants) expect(intlDay(at, name), zone).toBe(intlDay(at, zone));
    }
  });

  it("refuses zones that keep no civil time, and keeps UTC's spellings and fixed offsets", () => {
    for (const bad of ["Factory", "factory", "SystemV/EST5", "systemv/pst8pdt"])
      expect(timeZoneName(bad), bad).toBeNull();
    expect(timeZoneName("Etc/GMT+5")).toBe("Etc/GMT+5");
    expect(timeZoneName("Etc/GMT-14")).toBe("Etc/GMT-14");
    expect(timeZoneName("Etc/Zulu")).toBe("UTC");
    expect(timeZoneName("EST5EDT")).not.toBeNull();
    expect(timeZoneName("US/Pacific")).not.toBeNull();
  });
});

describe("reporting time zone: the day of an instant", () => {
  it("UTC is the UTC day, to the millisecond", () => {
    expect(zonedDay(utc(2026, 12, 6, 23, 59, 59, 999), "UTC")).toBe("2026-12-06");
    expect(zonedDay(utc(2026, 12, 7), "UTC")).toBe("2026-12-07");
  });

  it("Tokyo (+9) turns the day at 15:00 UTC, to the millisecond", () => {
    expect(zonedDay(utc(2026, 12, 5, 14, 59, 59, 999), "Asia/Tokyo")).toBe("2026-12-05");
    expect(zonedDay(utc(2026, 12, 5, 15), "Asia/Tokyo")).toBe("2026-12-06");
    // 23:30 and 00:30 UTC: one Tokyo day (08:30 and 09:30).
    expect(zonedDay(utc(2026, 12, 5, 23, 30), "Asia/Tokyo")).toBe("2026-12-06");
    expect(zonedDay(utc(2026, 12, 6, 0, 30), "Asia/Tokyo")).toBe("2026-12-06");
  });

  it("fractional offsets: Kolkata +5:30, Kathmandu +5:45", () => {
    expect(zonedDay(utc(2026, 6, 1, 18, 29, 59, 999), "Asia/Kolkata")).toBe("2026-06-01");
    expect(zonedDay(utc(2026, 6, 1, 18, 30), "Asia/Kolkata")).toBe("2026-06-02");
    expect(zonedDay(utc(2026, 6, 1, 18, 14, 59, 999), "Asia/Kathmandu")).toBe("2026-06-01");
    expect(zonedDay(utc(2026, 6, 1, 18, 15), "Asia/Kathmandu")).toBe("2026-06-02");
  });

  it("far zones: Kiritimati +14 and Pago Pago −11 are two days apart at the same instant", () => {
    const at = utc(2026, 6, 1, 11, 30);
    expect(zonedDay(at, "Pacific/Kiritimati")).toBe("2026-06-02");
    expect(zonedDay(at, "Pacific/Pago_Pago")).toBe("2026-06-01");
    expect(zonedDay(utc(2026, 6, 1, 10), "Pacific/Kiritimati")).toBe("2026-06-02");
    expect(zonedDay(utc(2026, 6, 1, 9, 59, 59, 999), "Pacific/Kiritimati")).toBe("2026-06-01");
    expect(zonedDay(utc(2026, 6, 2, 10, 59, 59, 999), "Pacific/Pago_Pago")).toBe("2026-06-01");
    expect(zonedDay(utc(2026, 6, 2, 11), "Pacific/Pago_Pago")).toBe("2026-06-02");
  });

  it("Los Angeles: the 23-hour day of 2026-03-08 and the 25-hour day of 2026-11-01", () => {
    const la = "America/Los_Angeles";
    expect(zonedDayStart("2026-03-08", la)).toBe(utc(2026, 3, 8, 8)); // PST, −8
    expect(zonedDayStart("2026-03-09", la)).toBe(utc(2026, 3, 9, 7)); // PDT, −7
    expect(zonedDayStart("2026-11-01", la)).toBe(utc(2026, 11, 1, 7));
    expect(zonedDayStart("2026-11-02", la)).toBe(utc(2026, 11, 2, 8));
    const short = zonedDaysSpan("2026-03-08", "2026-03-08", la);
    expect(short.end - short.start).toBe(23 * H);
    const long = zonedDaysSpan("2026-11-01", "2026-11-01", la);
    expect(long.end - long.start).toBe(25 * H);
    expect(zonedDay(utc(2026, 3, 9, 6, 59, 59, 999), la)).toBe("2026-03-08");
    expect(zonedDay(utc(2026, 3, 9, 7), la)).toBe("2026-03-09");
    expect(zonedDay(utc(2026, 11, 2, 7, 59, 59, 999), la)).toBe("2026-11-01");
    expect(zonedDay(utc(2026, 11, 2, 8), la)).toBe("2026-11-02");
  });

  it("Berlin: 2026-03-29 has 23 hours, 2026-10-25 has 25", () => {
    const b = "Europe/Berlin";
    expect(zonedDayStart("2026-03-29", b)).toBe(utc(2026, 3, 28, 23));
    expect(zonedDayStart("2026-03-30", b)).toBe(utc(2026, 3, 29, 22));
    expect(zonedDayStart("2026-10-25", b)).toBe(utc(2026, 10, 24, 22));
    expect(zonedDayStart("2026-10-26", b)).toBe(utc(2026, 10, 25, 23));
  });

  it("a day whose midnight a DST change skips starts when its clocks do (Havana, 01:00)", () => {
    // Cuba springs forward at 00:00 on 2026-03-08: the day starts at 01:00 CDT (05:00 UTC).
    const start = zonedDayStart("2026-03-08", "America/Havana");
    expect(intlDay(start, "America/Havana")).toBe("2026-03-08");
    expect(intlDay(start - 1, "America/Havana")).toBe("2026-03-07");
  });

  it("clocks set back over midnight: the day before again, even with the next day's span kept", () => {
    // Moncton fell back at 00:01 ADT on 2001-10-28 (03:01 UTC) to 23:01 AST of the 27th; St
    // John's at 00:01 NDT on 2010-11-07. The later day's span, kept from its noon, holds them.
    // Each: its noon, 00:00:30 the first time (the later day), and 23:17 the second (the earlier).
    const cases: [string, number, number, number, string][] = [
      [
        "America/Moncton",
        utc(2001, 10, 28, 12),
        utc(2001, 10, 28, 3, 0, 30),
        utc(2001, 10, 28, 3, 17),
        "2001-10-27",
      ],
      [
        "America/St_Johns",
        utc(2010, 11, 7, 12),
        utc(2010, 11, 7, 2, 30, 30),
        utc(2010, 11, 7, 2, 47),
        "2010-11-06",
      ],
    ];
    for (const [zone, noon, first, back, day] of cases) {
      expect(zonedDay(noon, zone)).toBe(intlDay(noon, zone));
      expect([zonedDay(back, zone), intlDay(back, zone)]).toEqual([day, day]);
      expect([zonedDay(first, zone), intlDay(first, zone)]).toEqual([
        addDays(day, 1),
        addDays(day, 1),
      ]);
    }
  });

  it("agrees with Intl at every instant, cached or not, in every zone above", () => {
    const zones = [
      "Asia/Tokyo",
      "Asia/Kolkata",
      "Asia/Kathmandu",
      "America/Los_Angeles",
      "Europe/Berlin",
      "Pacific/Kiritimati",
      "Pacific/Pago_Pago",
      "Australia/Lord_Howe", // +10:30 / +11, a half-hour DST change
      "America/Havana",
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        // 2020–2030, with a bias to the instants next to a midnight or a DST change
        fc.integer({ min: utc(2020, 1, 1), max: utc(2030, 1, 1) }),
        fc.integer({ min: -2, max: 2 }),
        (zone, at, nudge) => {
          const edge = at - (at % (15 * M)) + nudge;
          for (const t of [at, edge]) {
            const day = zonedDay(t, zone);
            expect(day).toBe(intlDay(t, zone));
            const start = zonedDayStart(day, zone);
            expect(start).toBeLessThanOrEqual(t);
            expect(intlDay(start, zone)).toBe(day);
            expect(intlDay(start - 1, zone)).not.toBe(day);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe("reporting time zone: spans of days", () => {
  it("the UTC hours that hold a range of Tokyo days", () => {
    expect(zonedDaysSpan("2026-12-06", "2026-12-07", "Asia/Tokyo")).toEqual({
      start: utc(2026, 12, 5, 15),
      end: utc(2026, 12, 7, 15),
      firstHour: "2026-12-05T15",
      lastHour: "2026-12-07T14",
    });
    // Kathmandu: the hours at both ends are shared with the neighbouring days.
    expect(zonedDaysSpan("2026-06-02", "2026-06-02", "Asia/Kathmandu")).toMatchObject({
      firstHour: "2026-06-01T18",
      lastHour: "2026-06-02T18",
    });
    expect(zonedDaysSpan("2026-12-06", "2026-12-06", "UTC")).toEqual({
      start: utc(2026, 12, 6),
      end: utc(2026, 12, 7),
      firstHour: "2026-12-06T00",
      lastHour: "2026-12-06T23",
    });
  });

  it("the last day a date can name, 9999-12-31, ends where the next day would start", () => {
    // The day after it has no YYYY-MM-DD; its start is still an instant.
    expect(zonedDaysSpan("9999-12-31", "9999-12-31", "UTC")).toEqual({
      start: utc(9999, 12, 31),
      end: utc(9999, 12, 31) + 86_400_000,
      firstHour: "9999-12-31T00",
      lastHour: "9999-12-31T23",
    });
    expect(zonedDaysSpan("9999-12-30", "9999-12-31", "Asia/Tokyo")).toEqual({
      start: utc(9999, 12, 29, 15),
      end: utc(9999, 12, 31, 15),
      firstHour: "9999-12-29T15",
      lastHour: "9999-12-31T14",
    });
    // Behind UTC its end is in the year 10000: the hours read stop at the last one named.
    expect(zonedDaysSpan("9999-12-31", "9999-12-31", "America/Los_Angeles")).toMatchObject({
      start: utc(9999, 12, 31, 8),
      end: utc(9999, 12, 31, 8) + 86_400_000,
      lastHour: "9999-12-31T23",
    });
  });

  it("the first days a date names, in the year 100, are days of 24 hours (the year 99 is not 1999)", () => {
    for (const zone of ["Asia/Tokyo", "America/Los_Angeles", "Asia/Kolkata"]) {
      for (const day of ["0100-01-01", "0100-01-02"]) {
        const s = zonedDaysSpan(day, day, zone);
        expect(s.end - s.start, `${zone} ${day}`).toBe(86_400_000);
        expect(zonedDay(s.start, zone)).toBe(day);
        expect(zonedDay(s.start - 1, zone)).toBe(addDays(day, -1));
      }
    }
  });

  it("an export of a zone's day reads the UTC hours of its own length, one more at most", () => {
    // The archive is an object per batch and UTC hour: the hours read are what an export pays.
    // A whole-hour zone's day reads exactly its hours (24, 23 or 25), as a UTC day does; a
    // half-hour zone's reads one hour more, shared with its neighbours. Every zone, its DST days.
    const hourOf = (h: string) => Date.parse(`${h}:00:00Z`);
    const days = [
      "2026-01-15",
      "2026-03-08",
      "2026-03-29",
      "2026-04-05",
      "2026-10-04",
      "2026-11-01",
    ];
    for (const zone of Intl.supportedValuesOf("timeZone")) {
      for (const day of days) {
        const s = zonedDaysSpan(day, day, zone);
        const read = (hourOf(s.lastHour) - hourOf(s.firstHour)) / H + 1;
        const hours = (s.end - s.start) / H;
        if (s.start % H === 0 && s.end % H === 0) expect(read, `${zone} ${day}`).toBe(hours);
        else expect(read, `${zone} ${day}`).toBeLessThanOrEqual(Math.ceil(hours) + 1);
        expect(s.end - s.start, `${zone} ${day}`).toBeGreaterThanOrEqual(22 * H);
      }
    }
  });

  it("adds calendar days", () => {
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(addDays("2026-03-08", 0)).toBe("2026-03-08");
    expect(dayOf(zonedDayStart("2026-12-06", "UTC"))).toBe("2026-12-06");
  });

  it("refuses a day that is not one", () => {
    expect(() => zonedDayStart("2026-02-30", "Asia/Tokyo")).toThrow(RangeError);
  });
});
