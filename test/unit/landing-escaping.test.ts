// The landing page under hostile input: titles, store names, app paths, params and configured
// URLs never break out of their text or attribute, and no link runs script.
import { describe, expect, it } from "vitest";
import { APPS, hrefs, LINK, page, primaryHref, UA } from "./landing-helpers";

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
