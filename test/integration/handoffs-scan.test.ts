// GET /h/:token: the scan of a handoff QR (landing page, bots, prefetch, forged and expired links).
import { describe, expect, it } from "vitest";
import {
  createHandoff,
  DESKTOP_UA,
  hopsOf,
  resolve,
  scan,
  signedToken,
  status,
  tokenOf,
} from "./handoffs-helpers";
import { mintSecretKey } from "./helpers";

const WHATSAPP_PREVIEW = "WhatsApp/2.23.20.0";
const SLACKBOT = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";
const ANDROID_CHROME =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
const IPAD_SAFARI =
  "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";

describe("GET /h/:token", () => {
  it("a phone's scan moves the handoff to scanned and shows the landing page", async () => {
    const h = await createHandoff(await mintSecretKey(), {
      path: "/cart/42",
      metadata: { title: "Your cart", subtitle: "3 items" },
    });
    const res = await scan(h, { "cf-connecting-ip": "203.0.113.9" }, { country: "DE" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    const page = await res.text();
    expect(page).toContain("Your cart");
    expect(page).toContain("3 items");
    const s = await status(h);
    expect(s.status).toBe("scanned");
    expect(s.device).toMatchObject({
      platform: "ios",
      os: "iOS 17.4",
      browser: "Safari",
      in_app: null,
      country: "DE",
    });
    expect(await hopsOf(h.id, 3)).toEqual(
      expect.arrayContaining(["created", "scanned", "landing"]),
    );
  });

  it("records the in-app browser of a scan from inside another app", async () => {
    const h = await createHandoff(await mintSecretKey());
    const wechat =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";
    expect((await scan(h, { "user-agent": wechat })).status).toBe(200);
    expect((await status(h)).device).toMatchObject({ platform: "ios", in_app: "wechat" });
  });

  it("later views (a reload, other devices) show the page but count no scan and no landing", async () => {
    const h = await createHandoff(await mintSecretKey());
    expect((await scan(h)).status).toBe(200);
    const scannedAt = (await status(h)).scanned_at;
    // The same phone reloads; the link reached three other devices.
    expect((await scan(h)).status).toBe(200);
    for (const ua of [DESKTOP_UA, ANDROID_CHROME, IPAD_SAFARI])
      expect((await scan(h, { "user-agent": ua })).status).toBe(200);
    expect((await status(h)).scanned_at).toBe(scannedAt);
    // The redemption comes after every view: once it is there, so is anything they recorded.
    expect((await resolve(h.url)).status).toBe(200);
    const hops = await hopsOf(h.id, 4);
    expect([...hops].sort()).toEqual(["created", "landing", "redeemed", "scanned"]);
  });

  it("matches the link in any case (QR codes carry it in capitals)", async () => {
    const h = await createHandoff(await mintSecretKey());
    const { call } = await import("./helpers");
    const res = await call(`/H/${tokenOf(h).toLowerCase()}`, {
      headers: { "user-agent": DESKTOP_UA },
    });
    expect(res.status).toBe(200);
    expect((await status(h)).status).toBe("scanned");
  });

  it("bots and link previewers get the page but change nothing and are not scans", async () => {
    const h = await createHandoff(await mintSecretKey(), { metadata: { title: "Private title" } });
    for (const ua of [WHATSAPP_PREVIEW, SLACKBOT, ""]) {
      const res = await scan(h, { "user-agent": ua });
      expect(res.status, ua).toBe(200);
      // Previews never see the handoff's metadata: the object is not even asked.
      expect(await res.text()).not.toContain("Private title");
    }
    expect((await status(h)).status).toBe("pending");
    const hops = await hopsOf(h.id, 4);
    expect(hops.filter((x) => x === "previewed")).toHaveLength(3);
    expect(hops).not.toContain("scanned");
    // The real person comes later and still gets the first scan.
    await scan(h);
    expect((await status(h)).status).toBe("scanned");
  });

  it("prefetches (Sec-Purpose / Purpose) change nothing", async () => {
    const h = await createHandoff(await mintSecretKey());
    expect((await scan(h, { "sec-purpose": "prefetch;prerender" })).status).toBe(200);
    expect((await scan(h, { purpose: "prefetch" })).status).toBe(200);
    expect((await status(h)).status).toBe("pending");
    expect((await resolve(h.url)).status).toBe(200);
  });

  it("a forged token gets a 404 page and a rejected hop, without touching the object", async () => {
    const h = await createHandoff(await mintSecretKey());
    const token = tokenOf(h);
    const last = token.at(-1) === "0" ? "1" : "0";
    const forged = token.slice(0, -1) + last;
    const res = await scan(forged);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect((await scan("NOT-A-TOKEN")).status).toBe(404);
    expect((await status(h)).status).toBe("pending");
    const hops = await hopsOf("invalid", 1);
    expect(hops).toContain("rejected");
  });

  it("a HEAD request (link checkers) changes nothing, whatever its user agent", async () => {
    const h = await createHandoff(await mintSecretKey());
    const { call } = await import("./helpers");
    const res = await call(`/h/${tokenOf(h)}`, {
      method: "HEAD",
      headers: { "user-agent": DESKTOP_UA },
    });
    expect(res.status).toBe(200);
    expect((await status(h)).status).toBe("pending");
    expect(await hopsOf(h.id, 2)).toEqual(["created", "previewed"]);
  });

  it("an expired token gets a 410 page and does not scan", async () => {
    const h = await createHandoff(await mintSecretKey());
    // Same id, authentic signature, expiry in the past.
    const expired = await signedToken(Math.floor(Date.now() / 1000) - 5, h.id);
    const res = await scan(expired);
    expect(res.status).toBe(410);
    expect(await res.text()).toMatch(/expired/i);
    expect((await status(h)).status).toBe("pending");
  });

  it("a redeemed handoff's link shows the 410 page", async () => {
    const h = await createHandoff(await mintSecretKey());
    expect((await resolve(h.url)).status).toBe(200);
    expect((await scan(h)).status).toBe(410);
  });

  it("escapes script injection in metadata on the landing page", async () => {
    const attack = `<script>alert(1)</script><img src=x onerror=alert(2)>"'`;
    const h = await createHandoff(await mintSecretKey(), {
      metadata: { title: attack, subtitle: `</title><script>alert(3)</script>` },
    });
    const page = await (await scan(h)).text();
    expect(page).not.toContain("<script>alert(");
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // Every inline script carries the CSP nonce; none comes from the metadata.
    for (const tag of page.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/nonce="/);
  });
});
