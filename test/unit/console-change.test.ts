// The change beside a console KPI: the percentage in the page's language, its arrow and sign,
// "new" when the previous period had none, nothing when neither had any, and the sentence a
// screen reader says; the previous period is as long as the chosen one and ends the day before.
import { describe, expect, it } from "vitest";
import {
  changeText,
  dayCount,
  periodChange,
  previousRange,
} from "../../src/client/console/change.js";
import { words } from "../../src/client/console/words.js";

const sayIn =
  (words: Record<string, string>) =>
  (key: string, vars: Record<string, unknown> = {}) =>
    (words[key] ?? key).replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));
const say = sayIn(words.en);

describe("periodChange", () => {
  it("up, down, same, new, or nothing", () => {
    expect(periodChange(1232, 1100)).toEqual({ dir: "up", ratio: 0.12 });
    expect(periodChange(50, 100)).toEqual({ dir: "down", ratio: -0.5 });
    expect(periodChange(7, 7)).toEqual({ dir: "same", ratio: 0 });
    expect(periodChange(3, 0)).toEqual({ dir: "new", ratio: null });
    expect(periodChange(0, 0)).toBeNull();
    expect(periodChange(0, 4)).toEqual({ dir: "down", ratio: -1 });
  });
});

describe("changeText", () => {
  it("shows an arrow and a sign, and says it in a sentence", () => {
    expect(changeText(1232, 1100, 30, "en", say)).toEqual({
      dir: "up",
      short: "▲ +12%",
      long: "up 12% from 1,100 in the previous 30 days",
    });
    expect(changeText(50, 100, 7, "en", say)).toEqual({
      dir: "down",
      short: "▼ -50%",
      long: "down 50% from 100 in the previous 7 days",
    });
    expect(changeText(7, 7, 7, "en", say)?.long).toBe("unchanged from 7 in the previous 7 days");
  });

  it("keeps a decimal under 10 %", () => {
    expect(changeText(1045, 1000, 30, "en", say)?.short).toBe("▲ +4.5%");
  });

  it("says new when the previous period had none, and nothing when neither had any", () => {
    expect(changeText(3, 0, 30, "en", say)).toEqual({
      dir: "new",
      short: "new",
      long: "new: none in the previous 30 days",
    });
    expect(changeText(0, 0, 30, "en", say)).toBeNull();
  });

  it("formats the percentage and the previous figure in the page's language", () => {
    const french = changeText(1232, 1100, 30, "fr", sayIn(words.fr!))!;
    expect(french.short).toBe("▲ +12\u00a0%");
    expect(french.long).toContain("1\u202f100");
    expect(french.long).not.toContain("{");
    // Money is written by the caller.
    expect(changeText(20, 10, 30, "en", say, "€10.00")?.long).toBe(
      "up 100% from €10.00 in the previous 30 days",
    );
  });
});

describe("dayCount", () => {
  it("counts both ends, across a leap day", () => {
    expect(dayCount("2026-12-01", "2026-12-07")).toBe(7);
    expect(dayCount("2024-02-28", "2024-03-01")).toBe(3);
    expect(dayCount("2026-12-07", "2026-12-07")).toBe(1);
  });
});

describe("previousRange", () => {
  it("is as long as the range and ends the day before it, across months and leap days", () => {
    expect(previousRange("2026-03-01", "2026-03-30")).toEqual({
      days: 30,
      from: "2026-01-30",
      to: "2026-02-28",
    });
    expect(previousRange("2024-03-01", "2024-03-01")).toEqual({
      days: 1,
      from: "2024-02-29",
      to: "2024-02-29",
    });
  });
});
