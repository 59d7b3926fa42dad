// The widget's link on a phone (src/client/embed-contract.ts `phoneLink`, as the bridge reads it)
// and the watch reconnecting a socket that dropped after it was open (src/client/watch.ts).
// Clocks are Vitest's fake timers: nothing here waits for real time.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { phoneLink } from "../../../src/client/embed-contract";
import { watchHandoff } from "../../../src/client/watch";
import { scanMarker, statedVia } from "../../../src/core/app-via";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
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
