// Red team of the console's link to what a pause did not keep (src/client/console/hold-note.js):
// a pause long enough that its expired events span more days than the funnel takes linked a range
// the dashboard refuses, which it answers with its default 30 days — a link to the wrong days.
// The link must be a range the funnel accepts, ending at the pause's newest expired events.
import { describe, expect, it } from "vitest";
import { exportQuery, RANGE_DAYS } from "../../src/client/console/hold-note.js";
import { resolveRange } from "../../src/core/day-range";
import { LIMITS } from "../../src/limits";

const DAY = 86_400_000;
const params = (q: string) => new URLSearchParams(q);

describe("the console's link to a pause's expired events", () => {
  it("takes the funnel's own bound", () => {
    expect(RANGE_DAYS).toBe(LIMITS.maxRangeDays);
  });

  for (const days of [1, 300, 364, 365, 400, 3 * 365]) {
    it(`expired events over ${days} days: a range the funnel accepts, ending the day after the newest`, () => {
      const to = Date.UTC(2029, 5, 1, 13);
      const q = params(exportQuery({ from: to - days * DAY, to }));
      const range = resolveRange(q.get("from")!, q.get("to")!, to);
      expect(range.to).toBe("2029-06-02");
      // Widened by a day each side when that fits; else the newest RANGE_DAYS days.
      const span = (Date.parse(range.to) - Date.parse(range.from)) / DAY + 1;
      expect(span).toBe(Math.min(days + 3, RANGE_DAYS));
    });
  }
});
