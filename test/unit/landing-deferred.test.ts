// The landing page's deferred deep links: the Google Play links carry the install referrer, the
// iOS Smart App Banner (and App Clip card) tag, and the copied link that says what happens next.
import { describe, expect, it } from "vitest";
import type { AppsOptions } from "../../src/apps-options";
import type { LandingInput } from "../../src/pages/landing";
import { page as landingPage, UA } from "./landing-helpers";

const IPHONE = UA.iphone;
const ANDROID = UA.android;
const PLAY = "https://play.google.com/store/apps/details?id=com.example.qrbridge";
const APPS: AppsOptions = {
  name: "Demo",
  scheme: "qrbridge-demo",
  appStoreUrl: "https://apps.apple.com/app/id1234567890",
  appClipIds: ["ABCDE12345.com.example.qrbridge.Clip"],
  androidPackage: "com.example.qrbridge",
  playStoreUrl: PLAY,
  webFallbackUrl: "https://shop.example.com/",
};
const LINK = "HTTPS://QR.TEST/P/7K2M9QX4AB";
const REF = "qb_ref=SABC";

/** The landing page of a poster visit with an install referrer, as `ua` sees it. */
const page = (ua: string, over: Partial<LandingInput> = {}) =>
  landingPage(ua, {
    kind: "poster",
    link: LINK,
    appPath: "/menu",
    apps: APPS,
    installReferrer: REF,
    ...over,
  });

const fromHtml = (s: string) => s.replace(/&amp;/g, "&").replace(/&quot;/g, '"');
const playButton = (html: string) =>
  fromHtml(/href="([^"]*)" data-action="play_store"/.exec(html)?.[1] ?? "");
const intentFallback = (html: string) => {
  const intent = fromHtml(/href="(intent:[^"]*)"/.exec(html)![1]!);
  return decodeURIComponent(/S\.browser_fallback_url=([^;]*);/.exec(intent)![1]!);
};
const bannerOf = (html: string) =>
  /<meta name="apple-itunes-app" content="([^"]*)">/.exec(html)?.[1] ?? null;

describe("Android: Google Play with the install referrer", () => {
  it("the Play button and the intent fallback carry the referrer, Play before the web", () => {
    const html = page(ANDROID);
    const expected = `${PLAY}&referrer=qb_ref%3DSABC`;
    expect(playButton(html)).toBe(expected);
    expect(intentFallback(html)).toBe(expected);
    // The web is still offered, as a button of its own.
    expect(html).toContain('href="https://shop.example.com/" data-action="web"');
  });

  it("without a configured Play URL the fallback is the package's Play page, with the referrer", () => {
    const html = page(ANDROID, { apps: { ...APPS, playStoreUrl: undefined } });
    expect(playButton(html)).toBe("");
    expect(intentFallback(html)).toBe(`${PLAY}&referrer=qb_ref%3DSABC`);
  });

  it("without a referrer, nothing changes: the web fallback wins", () => {
    const html = page(ANDROID, { installReferrer: null });
    expect(playButton(html)).toBe(PLAY);
    expect(intentFallback(html)).toBe("https://shop.example.com/");
  });
});

describe("iOS: the Smart App Banner", () => {
  it("names the app, the marked bridge link and the App Clip card", () => {
    expect(fromHtml(bannerOf(page(IPHONE))!)).toBe(
      `app-id=1234567890, app-argument=${LINK}?s=S1&qb_via=smart_banner, app-clip-bundle-id=com.example.qrbridge.Clip, app-clip-display=card`,
    );
  });

  it("appears only on an iPhone with an App Store id; the App Clip only when configured", () => {
    expect(bannerOf(page(ANDROID))).toBeNull();
    expect(bannerOf(page(IPHONE, { apps: { ...APPS, appStoreUrl: undefined } }))).toBeNull();
    const noId = { ...APPS, appStoreUrl: "https://apps.apple.com/app/acme" };
    expect(bannerOf(page(IPHONE, { apps: noId }))).toBeNull();
    const noClip = bannerOf(page(IPHONE, { apps: { ...APPS, appClipIds: [] } }))!;
    expect(noClip).not.toContain("app-clip");
  });

  it("escapes the argument: no quote, tag or list separator of the link gets through", () => {
    const link = 'HTTPS://QR.TEST/P/A,B"><script>x</script>';
    const meta = bannerOf(page(IPHONE, { link }))!;
    expect(meta).not.toMatch(/[<>"]/);
    expect(meta).toContain("&quot;&gt;&lt;script&gt;");
    // Commas separate the tag's fields: one inside the link would cut the argument short.
    expect(fromHtml(meta).split(", ")).toHaveLength(4);
    expect(fromHtml(meta)).toContain("A%2CB");
  });
});

describe("the clipboard fallback", () => {
  it("says what happens next, and copies a link marked as the clipboard's", () => {
    const html = page(IPHONE);
    expect(html).toContain(`data-copy="${LINK}?s=S1&amp;qb_via=clipboard"`);
    expect(html).toMatch(/it may ask you to paste the link/);
  });
});
