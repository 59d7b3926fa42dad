// The webhook retry schedule: the waits after each failure, when the next try is due, and how
// many tries a delivery has left in each state.
import { describe, expect, it } from "vitest";
import { attemptsLeft, nextAttemptAt, retryDelays } from "../../src/core/webhook-retry";
import { RETRY } from "../../src/limits";

describe("webhook retry schedule", () => {
  it("doubles from the base up to the cap, one wait per failure that another try follows", () => {
    expect(retryDelays({ attempts: 6, backoff: { base: 10, cap: 100 } })).toEqual([
      10, 20, 40, 80, 100,
    ]);
    expect(retryDelays({ attempts: 1, backoff: { base: 10, cap: 100 } })).toEqual([]);
  });

  it("is the schedule docs/webhooks.md promises: 9 tries, 30 s doubling to 1 h", () => {
    expect(retryDelays(RETRY.webhook)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600]);
  });

  it("puts the next try one wait after the failure ended, and none after the last", () => {
    const ended = 1_767_225_600_000;
    const policy = { attempts: 4, backoff: { base: 30, cap: 3600 } };
    expect(nextAttemptAt(1, ended, policy)).toBe(ended + 30_000);
    expect(nextAttemptAt(3, ended, policy)).toBe(ended + 120_000);
    expect(nextAttemptAt(4, ended, policy)).toBeNull();
    expect(nextAttemptAt(12, ended, policy)).toBeNull();
  });

  it("counts tries left: none once settled, at least one while a try is still coming", () => {
    expect(attemptsLeft("pending", 0, 9)).toBe(9);
    expect(attemptsLeft("retrying", 3, 9)).toBe(6);
    expect(attemptsLeft("retrying", 8, 9)).toBe(1);
    // Sent again (retry, dead-letter replay) after giving up: exactly one more try.
    expect(attemptsLeft("pending", 9, 9)).toBe(1);
    expect(attemptsLeft("delivered", 2, 9)).toBe(0);
    expect(attemptsLeft("failed", 9, 9)).toBe(0);
    expect(attemptsLeft("failed", 1, 9)).toBe(0);
    // Not kept while paused (held past the hold's bounds): final, never tried again by itself.
    expect(attemptsLeft("expired", 1, 9)).toBe(0);
  });
});
