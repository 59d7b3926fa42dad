// Scan pages: a handoff scan (GET /h/:token), the CSP of landing pages when QB_PUBLIC_URL is
// another origin, and the pages' language inside WeChat.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createBridge } from "../../src/bridge";
import type { Env } from "../../src/env";
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
import { BASE, call, mintSecretKey } from "./helpers";
import { makePoster, makeStore } from "./poster-helpers";

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

// The landing page's QR <img> loads from QB_PUBLIC_URL: when that is another origin than the
// host serving the page, the page's CSP must allow exactly that origin for images.
const testEnv = env as unknown as Env;
const secrets = {
  adminKey: testEnv.QB_ADMIN_KEY,
  signingKeys: testEnv.QB_SIGNING_KEYS,
  env: "test" as const,
};
const PUBLIC = "https://qr.example.com";

/** GET `path` on a bridge built with `publicUrl`, served from BASE (https://qr.test). */
async function desktopGet(publicUrl: string | undefined, path: string): Promise<Response> {
  const bridge = createBridge({ ...secrets, publicUrl });
  const ctx = createExecutionContext();
  const res = await bridge.fetch(
    new Request(`${BASE}${path}`, { headers: { "user-agent": DESKTOP_UA } }),
    testEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

const imgSrc = (res: Response) =>
  (res.headers.get("content-security-policy") ?? "")
    .split("; ")
    .find((d) => d.startsWith("img-src "));
const qrSrc = (html: string) => /<img class="qr" src="([^"]+)"/.exec(html)?.[1];

let posterPath: string;
let handoffPath: string;
beforeAll(async () => {
  const poster = await makePoster({ name: "CSP check" });
  posterPath = new URL(poster.url).pathname; // "/P/<CODE>"
  const handoff = await createHandoff(await mintSecretKey(), { path: "/cart/1" });
  handoffPath = `/h/${tokenOf(handoff)}`;
});

describe("landing page CSP with QB_PUBLIC_URL on another origin", () => {
  it("a poster's page allows images from that origin, and its QR <img> loads from it", async () => {
    const res = await desktopGet(`${PUBLIC}/`, posterPath);
    expect(res.status).toBe(200);
    expect(imgSrc(res)).toBe(`img-src 'self' data: ${PUBLIC}`);
    const src = qrSrc(await res.text());
    expect(src).toMatch(/^https:\/\/qr\.example\.com\/qr\/p\/[0-9A-Z]+\.svg$/);
    expect(new URL(src!).origin).toBe(PUBLIC);
  });

  it("a handoff's page too; a path in QB_PUBLIC_URL stays out of the CSP", async () => {
    const res = await desktopGet(`${PUBLIC}/go`, handoffPath);
    expect(res.status).toBe(200);
    expect(imgSrc(res)).toBe(`img-src 'self' data: ${PUBLIC}`);
    expect(qrSrc(await res.text())).toMatch(
      /^https:\/\/qr\.example\.com\/go\/qr\/h\/[0-9A-Z]+\.svg$/,
    );
  });

  it("adds nothing when the page is served from the public origin, or none is set", async () => {
    for (const publicUrl of [BASE, undefined]) {
      const res = await desktopGet(publicUrl, posterPath);
      expect(imgSrc(res), String(publicUrl)).toBe("img-src 'self' data:");
      expect(qrSrc(await res.text())).toMatch(/^https:\/\/qr\.test\/qr\/p\//);
    }
  });

  it("a QB_PUBLIC_URL that could rewrite the policy is a config error, never a header", async () => {
    for (const publicUrl of [
      "https://qr.example.com;script-src",
      "https://qr.example.com'",
      "https://*.example.com",
    ]) {
      const res = await desktopGet(publicUrl, posterPath);
      expect(res.status, publicUrl).toBe(500);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(((await res.json()) as { error: string }).error).toBe("misconfigured");
      expect(res.headers.get("content-security-policy")).toBeNull();
    }
  });
});

const WECHAT =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";

describe("the scan page's language in WeChat", () => {
  it("is Chinese when WeChat says Language/zh_CN and sends no Accept-Language", async () => {
    const p = await makePoster({ store_id: (await makeStore("渋谷店")).id });
    const res = await call(`/p/${p.code}`, { headers: { "user-agent": WECHAT } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="zh-Hans">');
    expect(html).toContain("请在浏览器中打开此页面"); // WeChat's own guide, in Chinese
    const en = await call(`/p/${p.code}`, {
      headers: { "user-agent": WECHAT, "accept-language": "en-US" },
    });
    expect(await en.text()).toContain('<html lang="en">');
  });

  it("is Chinese on the manual entry form too", async () => {
    const res = await call("/c", { headers: { "user-agent": WECHAT } });
    expect(await res.text()).toContain('<html lang="zh-Hans">');
  });
});
