// What the landing, escaping and HTML response tests share: user agents of the devices the
// landing page tells apart, a demo app's association, and a landing page rendered for one of them.
import type { AppsOptions } from "../../src/apps-options";
import { classifyDevice } from "../../src/core/device";
import { type LandingInput, renderLandingPage } from "../../src/pages/landing";

export const UA = {
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

export const APPS: AppsOptions = {
  name: "QRBridge Demo",
  scheme: "qrbridge-demo",
  iosAppIds: ["ABCDE12345.com.example.qrbridge"],
  appStoreUrl: "https://apps.apple.com/app/id1234567890",
  androidPackage: "com.example.qrbridge",
  playStoreUrl: "https://play.google.com/store/apps/details?id=com.example.qrbridge",
};
export const LINK = "HTTPS://QR.TEST/H/8QK3T0M1ZC7X9R2B4N6D";
export const NONCE = "nonce_0123456789abcdef";

/** The landing page of the demo handoff as `ua` sees it, with `over` changed. */
export function page(ua: string, over: Partial<LandingInput> = {}): string {
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
export function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));
}

/** The href of the primary button, unescaped. */
export function primaryHref(html: string): string | undefined {
  const m = /<a class="btn btn-primary" href="([^"]*)"/.exec(html);
  return m?.[1]?.replace(/&amp;/g, "&");
}
