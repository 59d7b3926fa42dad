// The widget's own retries (src/client/embed-retry.ts): what is retried, a decision sent again
// once, the schedule, and the automatic retry held in a hidden tab or offline. Its timers are in
// embed-timers.test.ts, its phone link and the watch's reconnect in embed-link-watch.test.ts.
// Clocks are Vitest's fake timers: nothing here waits for real time.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AutoRetry,
  RETRY_DELAYS_MS,
  retryable,
  retryDelay,
  sendDecision,
} from "../../../src/client/embed-retry";
import { BridgeRequestError } from "../../../src/client/watch";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("retryable", () => {
  it("retries no answer, a 5xx and a 429; never a 4xx answer", () => {
    expect(retryable(new BridgeRequestError("network", "Failed to fetch"))).toBe(true);
    expect(retryable({ code: "http_502", status: 502 })).toBe(true);
    expect(retryable({ code: "rate_limited", status: 429 })).toBe(true);
    for (const [code, status] of [
      ["invalid_key", 401],
      ["forbidden_origin", 403],
      ["validation_failed", 400],
      ["not_found", 404],
      ["no_key", 0],
      ["bad_response", 0],
    ] as const)
      expect(retryable({ code, status }), code).toBe(false);
  });
});

describe("sendDecision", () => {
  /** A send that fails with `errors` in turn, then succeeds; counts its calls. */
  const sender = (...errors: unknown[]) => {
    let calls = 0;
    const send = async () => {
      const err = errors[calls++];
      if (err) throw err;
    };
    return { send, calls: () => calls };
  };

  it("sends a decision whose answer was lost (no answer, a 5xx) once more, and is done", async () => {
    for (const lost of [
      new BridgeRequestError("network", "Failed to fetch"),
      new BridgeRequestError("http_502", "Bad Gateway", 502),
    ]) {
      const s = sender(lost);
      await sendDecision(s.send);
      expect(s.calls()).toBe(2);
    }
  });

  it("an answer (409, 403, 429) is final: not sent again, its error is the caller's", async () => {
    for (const [code, status] of [
      ["conflict", 409],
      ["forbidden", 403],
      ["rate_limited", 429],
    ] as const) {
      const s = sender(new BridgeRequestError(code, code, status));
      await expect(sendDecision(s.send)).rejects.toMatchObject({ code });
      expect(s.calls()).toBe(1);
    }
  });

  it("a second failure is the caller's too, after two sends", async () => {
    const s = sender(
      new BridgeRequestError("network", "Failed to fetch"),
      new BridgeRequestError("network", "Failed to fetch"),
    );
    await expect(sendDecision(s.send)).rejects.toMatchObject({ code: "network" });
    expect(s.calls()).toBe(2);
  });
});

describe("retryDelay", () => {
  it("waits 1, 2, 4 s, then gives the schedule up", () => {
    expect([0, 1, 2, 3].map((i) => retryDelay(i, {}))).toEqual([1000, 2000, 4000, null]);
    expect(RETRY_DELAYS_MS).toEqual([1000, 2000, 4000]);
  });

  it("waits longer when the answer asked to (Retry-After), never shorter", () => {
    expect(retryDelay(0, { retryAfter: 60 })).toBe(60_000);
    expect(retryDelay(2, { retryAfter: 1 })).toBe(4000);
  });
});

/** A stand-in document: `show()` / `hide()` flip `hidden` and say `visibilitychange`, as a tab does. */
class FakePage extends EventTarget {
  hidden = false;
  hide(): void {
    this.hidden = true;
    this.dispatchEvent(new Event("visibilitychange"));
  }
  show(): void {
    this.hidden = false;
    this.dispatchEvent(new Event("visibilitychange"));
  }
}

/** An AutoRetry on fake timers, a stand-in window and document; `runs` counts its tries. */
function retrier() {
  const win = new EventTarget();
  const page = new FakePage();
  const runs: number[] = [];
  const retry = new AutoRetry(() => runs.push(Date.now()), {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
    target: win,
    page,
  });
  return { win, page, runs, retry };
}

describe("AutoRetry", () => {
  const network = { code: "network" };

  it("tries again after 1, 2 and 4 s, then only when the window is back online", () => {
    const { win, runs, retry } = retrier();
    const start = Date.now();
    for (let i = 0; i < 3; i++) {
      expect(retry.failed(network)).toBe(true);
      vi.runOnlyPendingTimers();
    }
    expect(runs.map((t) => t - start)).toEqual([1000, 3000, 7000]);
    expect(retry.failed(network)).toBe(true);
    vi.advanceTimersByTime(600_000);
    expect(runs).toHaveLength(3);
    win.dispatchEvent(new Event("online"));
    expect(runs).toHaveLength(4);
    // Back online starts the schedule afresh: the next failure waits 1 s again.
    retry.failed(network);
    vi.advanceTimersByTime(999);
    expect(runs).toHaveLength(4);
    vi.advanceTimersByTime(1);
    expect(runs).toHaveLength(5);
  });

  it("does not retry a 403, and a success starts the schedule again", () => {
    const { runs, retry } = retrier();
    expect(retry.failed({ code: "forbidden_origin", status: 403 })).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(runs).toHaveLength(0);
    retry.failed(network);
    vi.runOnlyPendingTimers();
    retry.failed(network);
    retry.reset();
    retry.failed(network);
    vi.advanceTimersByTime(1000);
    expect(runs).toHaveLength(2);
  });

  it("holds a try that falls due in a hidden tab, and runs it once when the tab is shown", () => {
    const { page, runs, retry } = retrier();
    retry.failed(network);
    page.hide();
    vi.advanceTimersByTime(600_000);
    expect(runs).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0); // no schedule ticking on behind the hidden tab
    page.hide(); // another hidden-state event (a second listener, a minimised window): still held
    expect(runs).toHaveLength(0);
    page.show();
    expect(runs).toHaveLength(1);
    // Shown again later: the held try ran already, nothing more runs.
    page.hide();
    page.show();
    vi.advanceTimersByTime(600_000);
    expect(runs).toHaveLength(1);
    // The schedule went on where it was: the next failure waits 2 s, not 1.
    retry.failed(network);
    vi.advanceTimersByTime(1999);
    expect(runs).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(runs).toHaveLength(2);
  });

  it("back online in a hidden tab: the try waits for the tab too", () => {
    const { win, page, runs, retry } = retrier();
    for (let i = 0; i < 3; i++) {
      retry.failed(network);
      vi.runOnlyPendingTimers();
    }
    retry.failed(network); // schedule used up: waits for `online`
    page.hide();
    win.dispatchEvent(new Event("online"));
    expect(runs).toHaveLength(3);
    page.show();
    expect(runs).toHaveLength(4);
  });

  it("a try cancelled while held does not run when the tab is shown", () => {
    const { page, runs, retry } = retrier();
    page.hide();
    retry.failed(network);
    vi.advanceTimersByTime(1000);
    retry.cancel(); // the code expired meanwhile, or was scanned: the element stopped
    page.show();
    expect(runs).toHaveLength(0);
    // A visible tab runs on the schedule as before (its second wait: cancel keeps the count).
    retry.failed(network);
    vi.advanceTimersByTime(2000);
    expect(runs).toHaveLength(1);
  });

  it("cancel leaves no timer and no listener behind", () => {
    const { win, runs, retry } = retrier();
    retry.failed(network);
    retry.cancel();
    expect(vi.getTimerCount()).toBe(0);
    for (let i = 0; i < 4; i++) retry.failed(network);
    retry.cancel();
    win.dispatchEvent(new Event("online"));
    vi.advanceTimersByTime(60_000);
    expect(runs).toHaveLength(0);
  });
});
