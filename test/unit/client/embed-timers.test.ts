// The widget's timers (src/client/embed-timers.ts): the grace that tells a move in the page from a
// removal, and the clock that ticks, renews and expires a code. Clocks are Vitest's fake timers:
// nothing here waits for real time.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MOVE_GRACE_MS, MoveGrace, startClock } from "../../../src/client/embed-timers";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("MoveGrace", () => {
  it("a reconnect within the grace is a move: nothing stops", () => {
    const leave = vi.fn();
    const grace = new MoveGrace(leave);
    expect(grace.connected()).toBe(false); // the first connect starts the element
    grace.disconnected();
    vi.advanceTimersByTime(MOVE_GRACE_MS - 1);
    expect(grace.connected()).toBe(true);
    vi.advanceTimersByTime(MOVE_GRACE_MS * 10);
    expect(leave).not.toHaveBeenCalled();
  });

  it("a removal for good stops once, after the grace, and leaves no timer", () => {
    const leave = vi.fn();
    const grace = new MoveGrace(leave);
    grace.disconnected();
    vi.advanceTimersByTime(MOVE_GRACE_MS);
    expect(leave).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(grace.connected()).toBe(false); // inserted again later: a new start
  });
});

describe("startClock", () => {
  it("ticks, renews 10 s before the end, expires at the end, and stops", () => {
    const now = Date.now();
    const on = { tick: vi.fn(), renew: vi.fn(), expire: vi.fn() };
    const stop = startClock(now + 60_000, 120, on, now);
    expect(on.tick).toHaveBeenCalledWith(now + 60_000, 60_000);
    vi.advanceTimersByTime(50_000);
    expect(on.renew).toHaveBeenCalledTimes(1);
    expect(on.expire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10_000);
    expect(on.expire).toHaveBeenCalledTimes(1);
    stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("runs the requested ttl when the expiry is not believable (a clock far off)", () => {
    const now = Date.now();
    const on = { tick: vi.fn(), renew: vi.fn(), expire: vi.fn() };
    startClock(now - 5_000_000, 90, on, now)();
    expect(on.tick).toHaveBeenCalledWith(now + 90_000, 90_000);
  });
});
