// The days a "posters gone quiet" question reads: the quiet window ends today (included) and the
// baseline is the days just before it, across month and year ends; too long a span is a 400
// naming `baseline`.
import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/core/errors";
import { quietWindows } from "../../src/core/quiet-posters";

describe("quietWindows", () => {
  it("7 quiet days ending today, 28 baseline days before them", () => {
    expect(quietWindows("2026-12-07", 7, 28)).toEqual({
      baseline_from: "2026-11-03",
      baseline_to: "2026-11-30",
      quiet_from: "2026-12-01",
      today: "2026-12-07",
    });
  });

  it("one quiet day is today alone; windows cross the year and a leap day", () => {
    expect(quietWindows("2025-01-01", 1, 1)).toEqual({
      baseline_from: "2024-12-31",
      baseline_to: "2024-12-31",
      quiet_from: "2025-01-01",
      today: "2025-01-01",
    });
    expect(quietWindows("2024-03-02", 2, 1).baseline_to).toBe("2024-02-29");
  });

  it("refuses a span past the longest range, naming baseline", () => {
    expect(quietWindows("2026-12-07", 66, 300).baseline_from).toBe("2025-12-07"); // 366 days, both ends in;
    let caught: unknown;
    try {
      quietWindows("2026-12-07", 67, 300);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).message.startsWith("baseline:")).toBe(true);
  });
});
