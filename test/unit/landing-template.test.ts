import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AppsOptions } from "../../src/config";
import { classifyUserAgent } from "../../src/core/device";
import { type LandingInput, renderLandingPage } from "../../src/pages/landing";
import { landingPage, sessionSlot, tokenSlot } from "../../src/pages/landing-template";
import { newNonce } from "../../src/pages/security";

const UAS = [
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 16_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN",
  "Mozilla/5.0 (Linux; Android 13; V2183A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230504 MicroMessenger/8.0.37.2380(0x28002537) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
];

const FULL_APPS: AppsOptions = {
  name: "Shop <App>",
  scheme: "shop-app",
  iosAppIds: ["ABCDE12345.com.example.shop"],
  appStoreUrl: "https://apps.apple.com/app/id1234567890",
  androidPackage: "com.example.shop",
  playStoreUrl: "https://play.google.com/store/apps/details?id=com.example.shop",
  webFallbackUrl: "https://shop.example/web?x=1&y=2",
};
const NO_APPS: AppsOptions = {};

/** A session token as issueSession writes one: uppercase Crockford base32. */
const token = fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{42}$/);

// Few posters and few values per field, so that scans in one run often share a template and a
// template used for the wrong page would show.
const scan: fc.Arbitrary<Scan> = fc.record({
  code: fc.constantFrom("7K2M9QX4AB", "0000000000"),
  ua: fc.constantFrom(...UAS),
  lang: fc.constantFrom("en" as const, "zh" as const),
  storeName: fc.constantFrom(null, "Main St.", `Tom & Jerry's <b>"shop"</b>`),
  appPath: fc.constantFrom("/menu", "/shelf/7?tab=a&b=<c>"),
  apps: fc.constantFrom(FULL_APPS, NO_APPS),
  withSession: fc.boolean(),
});

/** The poster route's input, with `session` in the deep links (or the slot standing for it). */
interface Scan {
  code: string;
  ua: string;
  lang: "en" | "zh";
  storeName: string | null;
  appPath: string;
  apps: AppsOptions;
  withSession: boolean;
}

function posterInput(s: Scan, session: string | null): LandingInput {
  const link = `HTTPS://QR.TEST/P/${s.code}`;
  return {
    kind: "poster",
    link,
    appPath: s.appPath,
    device: classifyUserAgent(s.ua),
    lang: s.lang,
    storeName: s.storeName,
    qrSvgUrl: `/qr/p/${s.code}.svg`,
    apps: s.apps,
    deepLinkParams: session === null ? undefined : { s: session, qb_link: `${link}?S=${session}` },
  };
}

describe("landing pages from templates", () => {
  it("are byte for byte the page renderLandingPage writes, scan after scan", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(scan, token), { minLength: 1, maxLength: 12 }), (scans) => {
        // Scans of one run share templates when poster, language and device match.
        for (const [s, session] of scans) {
          const nonce = newNonce();
          const expected = renderLandingPage(posterInput(s, s.withSession ? session : null), nonce);
          const got = landingPage(posterInput(s, s.withSession ? sessionSlot() : null), nonce, {
            session: s.withSession ? session : undefined,
          });
          expect(got).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("fill in each scan's own nonce and session, never a previous one", () => {
    const s = {
      code: "7K2M9QX4AB",
      ua: UAS[2]!,
      lang: "en" as const,
      storeName: "Main St.",
      appPath: "/menu",
      apps: FULL_APPS,
      withSession: true,
    };
    const first = landingPage(posterInput(s, sessionSlot()), "nonceAAAAAAAAAAAAAAAAAA", {
      session: "S".repeat(42),
    });
    const second = landingPage(posterInput(s, sessionSlot()), "nonceBBBBBBBBBBBBBBBBBB", {
      session: "T".repeat(42),
    });
    expect(first).toContain("S".repeat(42));
    expect(second).toContain("T".repeat(42));
    expect(second).not.toContain("S".repeat(42));
    expect(second).not.toContain("nonceAAAAAAAAAAAAAAAAAA");
    expect(second).toContain('nonce="nonceBBBBBBBBBBBBBBBBBB"');
    expect(second).not.toContain(sessionSlot());
  });

  it("tell apart devices that differ only in a detail (another iOS version)", () => {
    const base = {
      code: "7K2M9QX4AB",
      lang: "en" as const,
      storeName: null,
      appPath: "/m",
      apps: FULL_APPS,
      withSession: false,
    };
    for (const ua of [UAS[0]!, UAS[1]!, UAS[0]!]) {
      const input = posterInput({ ...base, ua }, null);
      expect(landingPage(input, "n0nce")).toBe(renderLandingPage(input, "n0nce"));
    }
  });

  it("give handoff pages their own token and a countdown from the clock of each scan", () => {
    // Many handoffs of one site share path and metadata: one template, a token per scan.
    const handoffScan = fc.record({
      token: fc.constantFrom("8QK3T0M1ZC7X9R2B4N6D0000001A2", "ZZZZT0M1ZC7X9R2B4N6D0000001A2"),
      ua: fc.constantFrom(...UAS),
      lang: fc.constantFrom("en" as const, "zh" as const),
      title: fc.constantFrom(null, "Your cart", `<script>alert("x")</script>`),
      path: fc.constantFrom("/", "/cart/42?x=<1>&y=2"),
      apps: fc.constantFrom(FULL_APPS, NO_APPS),
      // Seconds left: expired, under a minute, minutes.
      left: fc.constantFrom(-5, 0, 30, 59, 60, 61, 600),
    });
    fc.assert(
      fc.property(fc.array(handoffScan, { minLength: 1, maxLength: 12 }), (scans) => {
        for (const h of scans) {
          const input = (token: string): LandingInput => {
            const link = `HTTPS://QR.TEST/H/${token}`;
            return {
              kind: "handoff",
              link,
              appPath: h.path,
              device: classifyUserAgent(h.ua),
              lang: h.lang,
              title: h.title,
              qrSvgUrl: `/qr/h/${token}.svg`,
              apps: h.apps,
              deepLinkParams: { qb_link: link },
              expiresAt: 2_000_000 + h.left,
              now: 2_000_000,
            };
          };
          const nonce = newNonce();
          const got = landingPage(input(tokenSlot()), nonce, { token: h.token });
          expect(got).toBe(renderLandingPage(input(h.token), nonce));
          expect(got).not.toContain(tokenSlot());
        }
      }),
      { numRuns: 300 },
    );
  });

  it("refuse a nonce, session or token that would need escaping (they are filled in raw)", () => {
    const input: LandingInput = {
      kind: "poster",
      link: "HTTPS://QR.TEST/P/7K2M9QX4AB",
      appPath: "/menu",
      device: classifyUserAgent(UAS[0]!),
      lang: "en",
      apps: FULL_APPS,
      deepLinkParams: { s: sessionSlot() },
    };
    expect(() => landingPage(input, `n"><script>`, { session: "S1" })).toThrow(TypeError);
    expect(() =>
      landingPage(input, "n0nce", { session: `"><img src=x onerror=alert(1)>` }),
    ).toThrow(TypeError);
    expect(() => landingPage(input, "n0nce", { token: "abc" })).toThrow(TypeError);
    expect(landingPage(input, "n0nce", { session: "S1" })).toContain("s=S1");
  });
});
