// How every HTML page is answered: its nonce, security headers and CSP.
import { describe, expect, it } from "vitest";
import { classifyDevice } from "../../src/core/device";
import { renderLandingPage } from "../../src/pages/landing";
import { renderMessagePage } from "../../src/pages/messages";
import { htmlResponse, newNonce } from "../../src/pages/security";
import { APPS, LINK, UA } from "./landing-helpers";

// Permissions-Policy features Chromium recognises (a subset of its
// permissions_policy_features.json5); `bluetooth` is not one of them.
const CHROMIUM_FEATURES = [
  "accelerometer",
  "autoplay",
  "camera",
  "clipboard-read",
  "clipboard-write",
  "display-capture",
  "fullscreen",
  "geolocation",
  "gyroscope",
  "hid",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "publickey-credentials-get",
  "screen-wake-lock",
  "serial",
  "usb",
  "xr-spatial-tracking",
];

describe("htmlResponse and nonces", () => {
  it("newNonce is 128 random bits in base64url", () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(a, "base64url")).toHaveLength(16);
    expect(new Set(Array.from({ length: 50 }, newNonce)).size).toBe(50);
  });

  it("sets every security header, and the CSP carries the page's nonce", async () => {
    const nonce = newNonce();
    const html = renderLandingPage(
      {
        kind: "handoff",
        link: LINK,
        appPath: "/cart/42",
        device: classifyDevice(new Headers({ "user-agent": UA.iphone })),
        lang: "en",
        apps: APPS,
      },
      nonce,
    );
    const res = htmlResponse(html, { nonce, status: 200 });
    const h = res.headers;
    expect(res.status).toBe(200);
    expect(h.get("content-type")).toBe("text/html; charset=utf-8");
    expect(h.get("cache-control")).toBe("no-store");
    expect(h.get("referrer-policy")).toBe("no-referrer");
    expect(h.get("x-frame-options")).toBe("DENY");
    expect(h.get("x-content-type-options")).toBe("nosniff");
    expect(h.get("x-robots-tag")).toBe("noindex, nofollow");
    // Every feature is switched off, and each is one Chromium's parser knows: an unknown one
    // (`bluetooth`) is a console warning on every page view.
    const features = h
      .get("permissions-policy")!
      .split(", ")
      .map((d) => d.split("=")[0]!);
    expect(features).toContain("camera");
    expect(features).not.toContain("bluetooth");
    for (const f of features) expect(CHROMIUM_FEATURES, f).toContain(f);
    expect(h.get("permissions-policy")).toBe(features.map((f) => `${f}=()`).join(", "));
    expect(h.get("content-security-policy")).toBe(
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    );
    const nonces = [...html.matchAll(/<(script|style)\b([^>]*)>/g)].map((m) => m[2]);
    expect(nonces).toEqual([` nonce="${nonce}"`, ` nonce="${nonce}"`]);
    expect(html).not.toMatch(/\sstyle="|\son[a-z]+="/);
    expect(await res.text()).toBe(html);
  });

  it("passes status and cache through, and refuses a nonce that would rewrite the CSP", () => {
    const nonce = newNonce();
    const res = htmlResponse(renderMessagePage({ status: 410, lang: "en" }, nonce), {
      status: 410,
      nonce,
      cache: "private, max-age=60",
    });
    expect(res.status).toBe(410);
    expect(res.headers.get("cache-control")).toBe("private, max-age=60");
    expect(res.headers.get("vary")).toBe("Accept-Language, User-Agent");
    // Nothing caches a no-store page, so it carries no Vary.
    expect(htmlResponse("", { nonce }).headers.has("vary")).toBe(false);
    expect(() => htmlResponse("", { nonce: "x'; script-src *" })).toThrow(TypeError);
  });
});
