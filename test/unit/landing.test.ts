// The landing page's actions per device: which app link, store link or QR each one gets first.
import { describe, expect, it } from "vitest";
import { pickLanguage } from "../../src/pages/i18n";
import { APPS, hrefs, LINK, page, primaryHref, UA } from "./landing-helpers";

describe("landing page actions per device", () => {
  it("iPhone: custom scheme first, universal link, App Store, copy link", () => {
    const html = page(UA.iphone);
    const links = hrefs(html);
    expect(primaryHref(html)).toBe("qrbridge-demo:///cart/42?s=S1");
    expect(links).toContain(`${LINK}?s=S1`);
    expect(links).toContain(APPS.appStoreUrl);
    expect(links).not.toContain(APPS.playStoreUrl);
    expect(links.some((h) => h.startsWith("intent:"))).toBe(false);
    expect(html).toContain("Open in <bdi>QRBridge Demo</bdi>");
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
    expect(html).toContain("<bdi>WeChat</bdi> can&#39;t open other apps");
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
    expect(html).toContain("<bdi>微信</bdi>内无法打开其他 App");
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
    // The QR's description is the sentence that says what it is for; the countdown is a timer
    // (not read out each second) followed by the empty status its end is announced through.
    expect(html).toMatch(/<p class="note" id="qr-use">Point your phone/);
    expect(html).toMatch(
      /<img class="qr" [^>]*alt="QR code of this link" aria-describedby="qr-use"/,
    );
    expect(html).toMatch(
      /<p class="expiry" role="timer" data-remaining="120"[^>]*>[^<]*<\/p><p class="vh" role="status" data-expiry-status><\/p>/,
    );
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
    expect(html).toContain("在 <bdi>QRBridge Demo</bdi> 中打开");
    expect(html).toContain("复制链接");
    expect(html).not.toContain("Open in");
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
    expect(html).toContain("From <bdi>Main St.</bdi>");
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
