// Which held deliveries a cron run marks `expired`: every one past the window, the oldest over
// the cap, never more than the run's bound, and nothing for an endpoint inside both.
import { describe, expect, it } from "vitest";
import {
  expiryReason,
  HOLD_LIMITS,
  type HoldLimits,
  holdExpiryPlan,
} from "../../src/core/webhook-hold-limits";

const limits: HoldLimits = { windowMs: 1000, maxHeld: 10, perRun: 25, chunk: 5 };
const hold = (id: string, held: number, past_window: number) => ({
  id,
  paused_at: 1,
  held,
  past_window,
});

describe("holdExpiryPlan", () => {
  it("expires nothing inside the window and the cap", () => {
    expect(holdExpiryPlan([hold("a", 10, 0), hold("b", 0, 0)], limits)).toEqual({
      expire: [],
      more: false,
    });
  });

  it("expires what is past the window, or what is over the cap, whichever is more", () => {
    const plan = holdExpiryPlan([hold("a", 4, 3), hold("b", 14, 1), hold("c", 14, 6)], limits);
    expect(plan.expire.map((e) => [e.id, e.count])).toEqual([
      ["a", 3],
      ["b", 4],
      ["c", 6],
    ]);
    expect(plan.more).toBe(false);
  });

  it("never expires more than is held, even with counts read apart", () => {
    expect(holdExpiryPlan([hold("a", 2, 5)], limits).expire[0]!.count).toBe(2);
  });

  it("stops at the run's bound, in order, and says more is left", () => {
    const plan = holdExpiryPlan([hold("a", 30, 20), hold("b", 30, 20), hold("c", 3, 3)], limits);
    expect(plan.expire.map((e) => [e.id, e.count])).toEqual([
      ["a", 20],
      ["b", 5],
    ]);
    expect(plan.more).toBe(true);
  });

  it("keeps each endpoint's pause, for the write's guard", () => {
    expect(holdExpiryPlan([{ ...hold("a", 1, 1), paused_at: 42 }], limits).expire).toEqual([
      { id: "a", paused_at: 42, count: 1 },
    ]);
  });

  it("bounds a run above what one busy endpoint gains in an hour (1 M scans a day)", () => {
    expect(HOLD_LIMITS.perRun).toBeGreaterThan(1_000_000 / 24);
    expect(HOLD_LIMITS.chunk).toBeLessThanOrEqual(HOLD_LIMITS.perRun);
  });

  it("says why in words a person reads", () => {
    expect(expiryReason("window", HOLD_LIMITS)).toBe("not kept while paused: held over 7 days");
    expect(expiryReason("cap", HOLD_LIMITS)).toBe("not kept while paused: over 100,000 held");
  });
});
