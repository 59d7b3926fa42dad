// Pure logic of the <qr-bridge> element (src/client): the QR image's colours from the theme, and
// whether the page is on a phone (which is offered the code's link instead of a QR to scan).
import { afterEach, describe, expect, it, vi } from "vitest";
import { qrColours } from "../../../src/client/embed-colours";
import { onPhone } from "../../../src/client/embed-contract";
import { watchHandoff } from "../../../src/client/watch";
import { parseQrOptions, resolveQrOptions } from "../../../src/core/qr-options";

/** Whether the bridge's /qr image route would draw these colours (it answers 400 otherwise). */
function bridgeDraws(query: string): boolean {
  try {
    resolveQrOptions(parseQrOptions(new URLSearchParams(query)), "svg");
    return true;
  } catch {
    return false;
  }
}

describe("qrColours", () => {
  it("keeps a readable theme: dark modules on a light background", () => {
    expect(qrColours("#1e3a8a", "#eff6ff")).toEqual({ fg: "#1e3a8a", bg: "#eff6ff" });
    expect(qrColours("#333333", "")).toEqual({ fg: "#333333" });
  });

  it("drops a dark theme's light-on-dark colours, which the bridge refuses (an inverted code)", () => {
    expect(qrColours("#e2e8f0", "#1e293b")).toEqual({});
    expect(bridgeDraws("fg=%23e2e8f0&bg=%231e293b")).toBe(false);
  });

  it("drops colours too close to read, and anything that is not #rrggbb", () => {
    expect(qrColours("#777777", "#ffffff")).toEqual({});
    expect(qrColours("#767676", "#ffffff")).toEqual({ fg: "#767676", bg: "#ffffff" });
    expect(qrColours("#111", "white")).toEqual({});
  });

  it("asks only for colours the bridge draws, and drops only those it refuses (random themes)", () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const hex = () =>
      `#${Math.floor(rand() * 2 ** 24)
        .toString(16)
        .padStart(6, "0")}`;
    let kept = 0;
    for (let i = 0; i < 2000; i++) {
      const [fg, bg] = [hex(), hex()];
      const out = qrColours(fg, bg);
      const query = new URLSearchParams(out).toString();
      expect(bridgeDraws(query), `${fg} on ${bg}`).toBe(true);
      const full = new URLSearchParams({ fg, bg }).toString();
      expect(Object.keys(out).length > 0, `${fg} on ${bg}`).toBe(bridgeDraws(full));
      if (out.fg) kept++;
    }
    expect(kept).toBeGreaterThan(100);
  });
});

describe("onPhone", () => {
  const UA = {
    iphone:
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    android:
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
    androidTablet:
      "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    mac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    windows:
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  };

  it("is true on phones and tablets, whose own screen cannot be scanned", () => {
    expect(onPhone({ userAgent: UA.iphone })).toBe(true);
    expect(onPhone({ userAgent: UA.android })).toBe(true);
    expect(onPhone({ userAgent: UA.androidTablet })).toBe(true);
    // iPadOS says it is a Mac; its touch points tell it apart.
    expect(onPhone({ userAgent: UA.mac, maxTouchPoints: 5 })).toBe(true);
    expect(onPhone({ userAgent: UA.windows, userAgentData: { mobile: true } })).toBe(true);
  });

  it("is false on a PC, which shows the QR alone", () => {
    expect(onPhone({ userAgent: UA.mac, maxTouchPoints: 0 })).toBe(false);
    expect(onPhone({ userAgent: UA.windows, maxTouchPoints: 10 })).toBe(false);
    expect(onPhone({ userAgent: UA.windows, userAgentData: { mobile: false } })).toBe(false);
  });
});

describe("watchHandoff", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  /** A socket as Chromium makes one its page's CSP refuses: closed at once, `error` and no `close`. */
  class RefusedSocket {
    static made = 0;
    readyState = 3;
    onerror: (() => void) | null = null;
    onclose: (() => void) | null = null;
    constructor() {
      RefusedSocket.made++;
      queueMicrotask(() => this.onerror?.());
    }
    close() {}
  }

  it("long-polls when the socket only errors (a CSP without wss:), and hears the redeem", async () => {
    vi.useFakeTimers();
    RefusedSocket.made = 0;
    const polls: string[] = [];
    vi.stubGlobal("WebSocket", RefusedSocket);
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string) => {
        polls.push(url);
        return new Response(JSON.stringify({ status: "redeemed" }), { status: 200 });
      }),
    );
    const updates: string[] = [];
    const h = {
      id: "H1",
      url: "HTTPS://QR.EXAMPLE.COM/H/X",
      qr: { svg: "/qr/h/X.svg", png: "/qr/h/X.png" },
      expires_at: 0,
      watch: "w",
      events_url: "wss://qr.example.com/v1/handoffs/H1/events",
    };
    const stop = watchHandoff(h, "https://qr.example.com", (u) => updates.push(u.status));
    await vi.advanceTimersByTimeAsync(5_000);
    stop();
    expect(RefusedSocket.made).toBe(2);
    expect(polls[0]).toBe("https://qr.example.com/v1/handoffs/H1?watch=w&wait=25&since=pending");
    expect(updates).toEqual(["redeemed"]);
  });
});
