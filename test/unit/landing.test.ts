import { describe, expect, it } from "vitest";
import type { AppsOptions } from "../../src/config";
import { classifyDevice } from "../../src/core/device";
import {
  encodeAppPath,
  intentUrl,
  safeHttpUrl,
  schemeUrl,
  withParams,
} from "../../src/pages/deep-links";
import { pickLanguage } from "../../src/pages/i18n";
import { type LandingInput, renderLandingPage } from "../../src/pages/landing";
import { renderMessagePage } from "../../src/pages/messages";
import { htmlResponse, newNonce } from "../../src/pages/security";

const UA = {
  iphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  android:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
  wechatIos:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN",
  wechatAndroid:
    "Mozilla/5.0 (Linux; Android 13; V2183A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230504 MicroMessenger/8.0.37.2380(0x28002537) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64",
  desktop:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
};

const APPS: AppsOptions = {
  name: "QRBridge Demo",
  scheme: "qrbridge-demo",
  iosAppIds: ["ABCDE12345.com.example.qrbridge"],
  appStoreUrl: "https://apps.apple.com/app/id1234567890",
  androidPackage: "com.example.qrbridge",
  playStoreUrl: "https://play.google.com/store/apps/details?id=com.example.qrbridge",
};
const LINK = "HTTPS://QR.TEST/H/8QK3T0M1ZC7X9R2B4N6D";
const NONCE = "nonce_0123456789abcdef";
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

function page(ua: string, over: Partial<LandingInput> = {}): string {
  return renderLandingPage(
    {
      kind: "handoff",
      link: LINK,
      appPath: "/cart/42",
      device: classifyDevice(new Headers({ "user-agent": ua })),
      lang: "en",
      apps: APPS,
      deepLinkParams: { s: "S1" },
      ...over,
    },
    NONCE,
  );
}

/** The href of every link, unescaped, in document order. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));
}

function primaryHref(html: string): string | undefined {
  const m = /<a class="btn btn-primary" href="([^"]*)"/.exec(html);
  return m?.[1]?.replace(/&amp;/g, "&");
}

describe("landing page actions per device", () => {
  it("iPhone: custom scheme first, universal link, App Store, copy link", () => {
    const html = page(UA.iphone);
    const links = hrefs(html);
    expect(primaryHref(html)).toBe("qrbridge-demo:///cart/42?s=S1");
    expect(links).toContain(`${LINK}?s=S1`);
    expect(links).toContain(APPS.appStoreUrl);
    expect(links).not.toContain(APPS.playStoreUrl);
    expect(links.some((h) => h.startsWith("intent:"))).toBe(false);
    expect(html).toContain("Open in QRBridge Demo");
    // The copied link and the banner's argument say which path they are (the funnel's `via`).
    expect(html).toContain(`data-copy="${LINK}?s=S1&amp;qb_via=clipboard"`);
    expect(html).toContain("install the app");
    expect(html).toContain(
      `<meta name="apple-itunes-app" content="app-id=1234567890, app-argument=${LINK}?s=S1&amp;qb_via=smart_banner">`,
    );
  });

  it("a param carrying the bridge link goes on the scheme URL only", () => {
    const html = page(UA.android, { deepLinkParams: { s: "S1", qb_link: `${LINK}?S=S1` } });
    const carried = `s=S1&qb_link=${encodeURIComponent(`${LINK}?S=S1`)}`;
    expect(primaryHref(html)!.startsWith(`intent:///cart/42?${carried}#Intent;`)).toBe(true);
    expect(hrefs(html)).toContain(`${LINK}?s=S1`);
    expect(html).toContain(`data-copy="${LINK}?s=S1&amp;qb_via=clipboard"`);
    expect(html).not.toMatch(/HTTPS:\/\/QR\.TEST\/H\/[^"]*qb_link/);
    const noScheme = page(UA.android, {
      apps: { ...APPS, scheme: undefined },
      deepLinkParams: { qb_link: LINK },
    });
    expect(primaryHref(noScheme)).toMatch(
      /^intent:\/\/QR\.TEST\/H\/8QK3T0M1ZC7X9R2B4N6D#Intent;scheme=https;/,
    );
  });

  it("iPhone without a scheme: the universal link is the primary action", () => {
    const html = page(UA.iphone, { apps: { ...APPS, scheme: undefined } });
    expect(primaryHref(html)).toBe(`${LINK}?s=S1`);
    expect(html).not.toContain("qrbridge-demo:");
  });

  it("Android: intent URL with package and browser_fallback_url, Play Store, App Link", () => {
    const html = page(UA.android);
    const fallback = encodeURIComponent(APPS.playStoreUrl!);
    expect(primaryHref(html)).toBe(
      `intent:///cart/42?s=S1#Intent;scheme=qrbridge-demo;package=com.example.qrbridge;S.browser_fallback_url=${fallback};end`,
    );
    const links = hrefs(html);
    expect(links).toContain(`${LINK}?s=S1`);
    expect(links).toContain(APPS.playStoreUrl);
    expect(links).not.toContain(APPS.appStoreUrl);
  });

  it("Android: the web fallback wins over the Play Store as browser_fallback_url", () => {
    const web = "https://shop.example.com/cart?from=qr";
    const html = page(UA.android, { apps: { ...APPS, webFallbackUrl: web } });
    expect(primaryHref(html)).toContain(`S.browser_fallback_url=${encodeURIComponent(web)};end`);
    expect(hrefs(html)).toContain(web);
  });

  it("Android without a scheme: intent to the https App Link", () => {
    const html = page(UA.android, { apps: { ...APPS, scheme: undefined } });
    expect(primaryHref(html)).toMatch(
      /^intent:\/\/QR\.TEST\/H\/8QK3T0M1ZC7X9R2B4N6D\?s=S1#Intent;scheme=https;package=com\.example\.qrbridge;/,
    );
  });

  it.each([
    ["iOS", UA.wechatIos, "Open in Safari"],
    ["Android", UA.wechatAndroid, "Open in browser"],
  ])("WeChat on %s: open-in-browser guide, no scheme or intent button", (_, ua, words) => {
    const html = page(ua);
    expect(html).toContain('data-mode="open-in-browser"');
    expect(html).toContain("WeChat can&#39;t open other apps");
    expect(html).toContain(words);
    expect(html).toContain('<svg class="arrow"');
    const links = hrefs(html);
    expect(links.some((h) => h.startsWith("intent:") || h.startsWith("qrbridge-demo:"))).toBe(
      false,
    );
    expect(html).not.toContain(`class="btn btn-primary"`);
    expect(html).toContain(`data-copy="${LINK}?s=S1"`);
  });

  it("WeChat in Chinese", () => {
    const html = page(UA.wechatIos, { lang: "zh" });
    expect(html).toContain('<html lang="zh-Hans">');
    expect(html).toContain("请在浏览器中打开此页面");
    expect(html).toContain("微信内无法打开其他 App");
    expect(html).toContain('<span class="dots">···</span>');
    expect(html).toContain("在 Safari 中打开");
  });

  it("desktop: QR image, scan with your phone, expiry countdown", () => {
    const html = page(UA.desktop, {
      qrSvgUrl: "https://qr.test/qr/h/8QK3T0M1ZC7X9R2B4N6D.svg",
      expiresAt: 1_000_120,
      now: 1_000_000,
    });
    expect(html).toContain('<img class="qr" src="https://qr.test/qr/h/8QK3T0M1ZC7X9R2B4N6D.svg"');
    expect(html).toContain("Scan this with your phone");
    expect(html).toContain('data-remaining="120"');
    expect(html).toContain("This code expires in 2 min.");
    // The phone actions exist only for a tablet posing as a Mac, hidden until the script says so.
    expect(html).toMatch(/<section class="card" data-touch-only hidden>[\s\S]*btn-primary/);
  });

  it("an expired handoff says so instead of counting down", () => {
    const html = page(UA.desktop, { expiresAt: 999, now: 1000 });
    expect(html).toContain("This code has expired");
    expect(html).not.toMatch(/<p [^>]*data-remaining/);
  });

  it("Chinese page from Accept-Language: zh-CN,zh;q=0.9", () => {
    const html = page(UA.iphone, { lang: pickLanguage("zh-CN,zh;q=0.9") });
    expect(html).toContain('<html lang="zh-Hans">');
    expect(html).toContain("在 QRBridge Demo 中打开");
    expect(html).toContain("复制链接");
    expect(html).not.toContain("Open in QRBridge Demo");
  });

  it("poster: store name and title from metadata", () => {
    const html = page(UA.iphone, {
      kind: "poster",
      link: "HTTPS://QR.TEST/P/7K2M9QX4AB",
      title: "Spring sale",
      subtitle: "20% off shoes",
      storeName: "Main St.",
    });
    expect(html).toContain("<h1>Spring sale</h1>");
    expect(html).toContain("20% off shoes");
    expect(html).toContain("From Main St.");
    expect(html).toContain('data-kind="poster"');
  });

  it("never navigates by itself", () => {
    for (const ua of Object.values(UA)) {
      const html = page(ua, { expiresAt: 2_000_000_000 });
      expect(html).not.toMatch(/http-equiv/i);
      expect(html).not.toMatch(/location|window\.open|\.click\(\)/);
    }
  });
});

describe("landing page escaping", () => {
  const SCRIPT = "<script>alert(1)</script>";
  const BREAKOUT = '"><img src=x onerror=alert(1)>';

  it.each([
    ["iPhone", UA.iphone],
    ["WeChat", UA.wechatIos],
    ["desktop", UA.desktop],
  ])("escapes title, subtitle and store name (%s)", (_, ua) => {
    const html = page(ua, { title: SCRIPT, subtitle: BREAKOUT, storeName: `${SCRIPT}${BREAKOUT}` });
    expect(html).not.toContain(SCRIPT);
    expect(html).not.toContain(BREAKOUT);
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain(`<title>&lt;script&gt;`);
  });

  it("percent-encodes the app path and escapes the params", () => {
    const html = page(UA.android, {
      appPath: `/x${BREAKOUT}${SCRIPT}#Intent;package=evil;end`,
      deepLinkParams: { s: BREAKOUT },
    });
    expect(html).not.toContain(SCRIPT);
    expect(html).not.toContain(BREAKOUT);
    expect(html).not.toContain("onerror=alert(1)>");
    expect(html).toContain("%3Cscript%3Ealert(1)%3C/script%3E%23Intent;package=evil;end");
    expect(primaryHref(html)!.match(/#Intent;/g)).toHaveLength(1);
    expect(primaryHref(html)).toContain(";package=com.example.qrbridge;");
  });

  it("escapes the link and QR URL in attributes", () => {
    const html = page(UA.desktop, {
      link: `https://qr.test/H/X?a="><b>`,
      qrSvgUrl: `https://qr.test/q.svg?"onload="alert(1)`,
    });
    expect(html).not.toContain('"onload="');
    expect(html).toContain("?&quot;onload=&quot;alert(1)");
  });

  const EVIL = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<b>x</b>",
    "vbscript:msgbox(1)",
    "//evil.test/x",
  ];

  it.each(Object.entries(UA))("never emits a javascript:/data: URL (%s)", (_, ua) => {
    for (const evil of EVIL) {
      const html = page(ua, {
        link: evil,
        qrSvgUrl: evil,
        apps: {
          ...APPS,
          scheme: "javascript",
          appStoreUrl: evil,
          playStoreUrl: evil,
          webFallbackUrl: evil,
        },
      });
      expect(html.toLowerCase()).not.toMatch(/java\s*script:|vbscript:|data:text/);
      for (const h of hrefs(html)) expect(h).toMatch(/^(https?:|intent:|qrbridge-demo:)/i);
      expect(html).not.toContain("evil.test");
    }
    // The bridge link itself still works when only the configured URLs are bad.
    const html = page(ua, { apps: { ...APPS, appStoreUrl: EVIL[0], webFallbackUrl: EVIL[1] } });
    expect(html.toLowerCase()).not.toContain("javascript:");
    expect(html).toContain(`${LINK}?s=S1`);
  });
});

describe("deep link builders", () => {
  it("keeps an app path to URL characters, never a fragment", () => {
    expect(encodeAppPath("/cart/42?ref=pc&x=1")).toBe("/cart/42?ref=pc&x=1");
    expect(encodeAppPath("cart/café")).toBe("/cart/caf%C3%A9");
    expect(encodeAppPath("/a b#c")).toBe("/a%20b%23c");
    expect(encodeAppPath("/100%25/%zz")).toBe("/100%25/%25zz");
    expect(encodeAppPath("")).toBe("/");
  });

  it("appends params after a query and before a fragment", () => {
    expect(withParams("/p", { s: "a b", t: "&" })).toBe("/p?s=a%20b&t=%26");
    expect(withParams("https://x.test/p?a=1#f", { s: "1" })).toBe("https://x.test/p?a=1&s=1#f");
    expect(withParams("/p", {})).toBe("/p");
  });

  it("refuses bad schemes, packages and URLs", () => {
    expect(schemeUrl("javascript", "/x")).toBeNull();
    expect(schemeUrl("https", "/x")).toBeNull();
    expect(schemeUrl("1abc", "/x")).toBeNull();
    expect(schemeUrl("Acme://", "/x")).toBe("acme:///x");
    expect(intentUrl({ pkg: "com.x;end", appPath: "/x", scheme: "acme" })).toBeNull();
    expect(
      intentUrl({ pkg: "com.x", appPath: "/x", scheme: "acme", fallback: "javascript:1" }),
    ).toBe("intent:///x#Intent;scheme=acme;package=com.x;end");
    expect(safeHttpUrl("https://user:pw@x.test/")).toBeNull();
    expect(safeHttpUrl("https:/x")).toBeNull();
  });

  it("answers a URL it has seen before from memory, and still right after the memory fills", () => {
    for (let round = 0; round < 2; round++) {
      expect(safeHttpUrl(" HTTPS://QR.TEST/H/X")).toBe("HTTPS://QR.TEST/H/X");
      expect(safeHttpUrl("javascript:alert(1)")).toBeNull();
      expect(safeHttpUrl("https://user:pw@x.test/")).toBeNull();
    }
    const long = `https://x.test/${"a".repeat(600)}`; // longer than what is remembered
    expect(safeHttpUrl(long)).toBe(long);
    expect(safeHttpUrl(`java\tscript:${"a".repeat(600)}`)).toBeNull();
    for (let i = 0; i < 1_200; i++)
      expect(safeHttpUrl(`https://h${i}.test/`)).toBe(`https://h${i}.test/`);
    expect(safeHttpUrl("https://user:pw@x.test/")).toBeNull();
    expect(safeHttpUrl("https://h0.test/")).toBe("https://h0.test/");
  });
});

describe("message pages", () => {
  it.each([
    [404, undefined, "Link not found"],
    [400, undefined, "This link isn&#39;t valid"],
    [410, "handoff", "This code has expired"],
    [410, "poster", "This poster is no longer active"],
  ] as const)("%i %s", (status, kind, title) => {
    const html = renderMessagePage({ status, lang: "en", kind }, NONCE);
    expect(html).toContain(`<h1>${title}</h1>`);
    expect(html).toContain(`data-status="${status}"`);
  });

  it("names the store of an inactive poster, escaped, in Chinese too", () => {
    const store = "<b>Main</b> St.";
    const en = renderMessagePage(
      { status: 410, lang: "en", kind: "poster", storeName: store },
      NONCE,
    );
    expect(en).toContain("This poster at &lt;b&gt;Main&lt;/b&gt; St. is no longer active.");
    expect(en).not.toContain("<b>Main");
    const zh = renderMessagePage(
      { status: 410, lang: "zh", kind: "poster", storeName: "南京路店" },
      NONCE,
    );
    expect(zh).toContain("南京路店 的这张海报已停用");
  });

  it("takes a custom title and message, escaped", () => {
    const html = renderMessagePage(
      { status: 404, lang: "en", title: "<i>Gone</i>", message: '"><script>x</script>' },
      NONCE,
    );
    expect(html).toContain("<h1>&lt;i&gt;Gone&lt;/i&gt;</h1>");
    expect(html).not.toContain("<script>x");
  });
});

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
