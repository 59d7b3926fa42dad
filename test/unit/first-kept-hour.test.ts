// The first archive hour retention keeps: the cron deletes the hours before it and the export
// reads a missing object of those hours as empty (store/hop-export.ts).
import { describe, expect, it } from "vitest";
import { firstKeptHour } from "../../src/core/day-range";

describe("firstKeptHour", () => {
  it("keeps the oldest reporting day whole, from its first instant's UTC day", () => {
    expect(firstKeptHour(Date.UTC(2026, 11, 7, 15), 90)).toBe("2026-09-08T00");
    expect(firstKeptHour(Date.UTC(2026, 11, 7, 0), 1)).toBe("2026-12-06T00");
    // In Tokyo 2026-12-08 has begun: 90 days before it, 2026-09-09, began at 15:00 UTC the day before.
    expect(firstKeptHour(Date.UTC(2026, 11, 7, 15), 90, "Asia/Tokyo")).toBe("2026-09-08T00");
    expect(firstKeptHour(Date.UTC(2026, 11, 7, 14), 90, "Asia/Tokyo")).toBe("2026-09-07T00");
    // Behind UTC, the day's first instant is on the same UTC day.
    expect(firstKeptHour(Date.UTC(2026, 11, 7, 3), 90, "America/New_York")).toBe("2026-09-07T00");
  });
});
