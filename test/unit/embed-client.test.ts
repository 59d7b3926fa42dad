// Pure logic of the <qr-bridge> element (src/client).
import { afterEach, describe, expect, it, vi } from "vitest";
import { watchHandoff } from "../../src/client/watch";

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
