// The widget's own retries and timers (src/client/embed-retry.ts, embed-timers.ts), its link on a
// phone (embed-contract.ts `phoneLink`, as the bridge reads it), and the watch reconnecting a
// socket that dropped after it was open (watch.ts). Clocks are Vitest's fake timers: nothing here waits for real time.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { phoneLink } from "../../../src/client/embed-contract";
import {
  AutoRetry,
  RETRY_DELAYS_MS,
  retryable,
  retryDelay,
  sendDecision,
} from "../../../src/client/embed-retry";
import { MOVE_GRACE_MS, MoveGrace, startClock } from "../../../src/client/embed-timers";
import { BridgeRequestError, watchHandoff } from "../../../src/client/watch";
import { scanMarker, statedVia } from "../../../src/core/app-via";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
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

describe("phoneLink", () => {
  it("marks a handoff's link as a same-device tap, the token untouched", () => {
    const url = "HTTPS://QR.EXAMPLE.COM/H/8QK3T0M1ZC7X9R2B4N6D";
    const link = new URL(phoneLink(url, false));
    expect(link.pathname).toBe("/H/8QK3T0M1ZC7X9R2B4N6D");
    expect([...link.searchParams]).toEqual([["qb_via", "same_device"]]);
    // One marker, even on a link that had one.
    expect(phoneLink(`${url}?qb_via=clipboard`, false)).toBe(link.href);
  });

  it("is read by the bridge as a same-device tap, by the scan page and by the resolve", () => {
    // The widget spells the marker itself (browser code imports nothing of the Worker's).
    const link = phoneLink("HTTPS://QR.EXAMPLE.COM/H/8QK3T0M1ZC7X9R2B4N6D", false);
    expect(scanMarker(new URL(link).searchParams)).toBe("same_device");
    expect(statedVia(undefined, link)).toBe("same_device");
  });

  it("leaves a login's link unmarked, and offers nothing but http(s)", () => {
    expect(phoneLink("HTTPS://QR.EXAMPLE.COM/L/TOKEN", true)).toBe(
      "https://qr.example.com/L/TOKEN",
    );
    expect(phoneLink("javascript:alert(1)", false)).toBe("");
    expect(phoneLink("not a url", false)).toBe("");
    expect(phoneLink(undefined, false)).toBe("");
  });
});

describe("watchHandoff after a drop", () => {
  /** A socket that opens; the test drops it (a Wi-Fi blip) or sends it a status. */
  class DroppingSocket {
    static all: DroppingSocket[] = [];
    onopen: (() => void) | null = null;
    onmessage: ((e: { data: string }) => void) | null = null;
    onerror: (() => void) | null = null;
    onclose: (() => void) | null = null;
    closed = false;
    constructor(readonly url: string) {
      DroppingSocket.all.push(this);
      queueMicrotask(() => this.onopen?.());
    }
    close() {
      this.closed = true;
    }
  }

  it("reconnects a socket that dropped after it was open, and hears the next status", async () => {
    DroppingSocket.all = [];
    vi.stubGlobal("WebSocket", DroppingSocket);
    const poll = vi.fn();
    vi.stubGlobal("fetch", poll);
    const h = {
      id: "H1",
      url: "HTTPS://QR.EXAMPLE.COM/H/X",
      qr: { svg: "/qr/h/X.svg", png: "/qr/h/X.png" },
      expires_at: 0,
      watch: "w",
    };
    const updates: string[] = [];
    const stop = watchHandoff(h, "https://qr.example.com", (u) => updates.push(u.status));
    await vi.advanceTimersByTimeAsync(0);
    DroppingSocket.all[0]!.onclose?.();
    await vi.advanceTimersByTimeAsync(1000);
    expect(DroppingSocket.all).toHaveLength(2);
    expect(DroppingSocket.all[1]!.url).toBe("wss://qr.example.com/v1/handoffs/H1/events?watch=w");
    DroppingSocket.all[1]!.onmessage?.({
      data: JSON.stringify({ type: "status", status: "scanned" }),
    });
    expect(updates).toEqual(["scanned"]);
    expect(poll).not.toHaveBeenCalled(); // still a socket, not long-polling
    stop();
    expect(DroppingSocket.all[1]!.closed).toBe(true);
  });
});
