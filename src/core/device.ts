/**
 * User agent (+ Client Hints) → platform, OS, browser, in-app browser, bot/prefetch.
 *
 * Pure and binding-free; runs on every scan, so it is a handful of precompiled regex tests
 * (tables in `device-tables.ts`). Decisions a caller must know:
 *
 * - **`isHuman` is what counts as a scan.** Previewers, crawlers, scanners and prefetches see
 *   the landing page but must not change state or count.
 * - **A missing or empty User-Agent is a bot (`"crawler"`)**: every browser and in-app WebView
 *   sends one, so it is a script, a health check or a mail scanner (Microsoft Safe Links often
 *   sends none) — never a phone camera.
 * - **`platform` describes what the client claims**, bots included (Googlebot's smartphone UA
 *   says Android). Check `isHuman` before using it for attribution.
 * - **Native app HTTP stacks are people on their OS**: CFNetwork/Darwin → iOS, okhttp →
 *   Android (Dalvik and apps that name the OS are placed by their OS token); they are the
 *   customer's app calling the API, never bots.
 * - **iPad:** iPadOS Safari asks for desktop sites with a Mac UA that the server cannot tell
 *   apart from a Mac (stays `"desktop"`; the page can check `navigator.maxTouchPoints > 1`).
 *   A Mac UA carrying a `Mobile/` token is an iPad WebView (in-app browsers) → `"ios"`.
 * - **Client Hints win over the UA** for platform (Chrome's reduced UA says "Android 10; K" on
 *   every Android, and Android's "desktop site" mode sends a Linux UA).
 * - **`blocksAppLinks`** follows `AppLinkBlocking` in the tables: always for the Chinese
 *   super-apps, on iOS only for Facebook, Messenger, Instagram, LinkedIn and TikTok.
 */
import {
  BRAND_RULES,
  BROWSER_RULES,
  CRAWLER,
  IN_APP_ANY,
  IN_APP_RULES,
  type InAppBrowser,
  type InAppRule,
  NATIVE_APP_RULES,
  PREVIEWER,
  SCANNER,
} from "./device-tables";

export type { AppLinkBlocking, InAppBrowser } from "./device-tables";

export type Platform = "ios" | "android" | "desktop" | "other";

/** Why a request is not a human scan. */
export type BotKind = "previewer" | "crawler" | "scanner" | "prefetch";

export interface DeviceInfo {
  platform: Platform;
  /** "iOS 17.4", "iPadOS 17.4", "Android 14", "Windows", "macOS", "Linux", "ChromeOS", … */
  os: string | null;
  /** "Safari", "Chrome", "Samsung Internet", …; the app's name inside an in-app browser. */
  browser: string | null;
  inAppBrowser: InAppBrowser | null;
  /** The in-app browser will not hand a universal link / App Link / custom scheme to our app. */
  blocksAppLinks: boolean;
  bot: BotKind | null;
  /** `bot === null`. */
  isHuman: boolean;
}

/** Raw User-Agent Client Hint header values (quoted as sent, or not). */
export interface ClientHints {
  /** `Sec-CH-UA`, e.g. `"Chromium";v="124", "Google Chrome";v="124"`. */
  brands?: string | null;
  /** `Sec-CH-UA-Mobile`: `?1` or `?0`. */
  mobile?: string | null;
  /** `Sec-CH-UA-Platform`: "Android", "iOS", "Windows", "macOS", "Linux", "Chrome OS", … */
  platform?: string | null;
  /** `Sec-CH-UA-Platform-Version` (high-entropy: only sent after an `Accept-CH` asked for it). */
  platformVersion?: string | null;
}

/** Anything with a case-insensitive `get`: `Headers`, Hono's `c.req.raw.headers`, a `Map`. */
export interface HeaderReader {
  get(name: string): string | null | undefined;
}

// Longer UAs are truncated before matching: no real one comes close, and it bounds regex work.
const MAX_UA = 2048;

const IOS_DEVICE = /\b(iPhone|iPod|iPad)\b/;
const IOS_VERSION = /\bOS (\d+)[_.](\d+)/;
const ANDROID = /\bAndroid(?:[ /](\d+)(?:\.(\d+))?)?/;
// Chrome's reduced UA freezes every Android at "Android 10; K": the version means nothing.
const ANDROID_REDUCED = /\bAndroid 10; K\)/;
const HARMONY_NEXT = /\bOpenHarmony\b/;
const WINDOWS_PHONE = /\bWindows Phone\b/;
const WINDOWS = /\bWindows\b/;
const CHROME_OS = /\bCrOS\b/;
const MAC = /\bMacintosh\b|\bMac OS X\b/;
const MOBILE_TOKEN = /\bMobile\/\w/;
const WEBKIT = /\bAppleWebKit\//;
const LINUX = /\bLinux\b|\bX11\b/;
const TV_OR_CONSOLE = /\b(?:SMART-TV|SmartTV|Tizen|Web0S|CrKey|PlayStation|Xbox|Nintendo|KAIOS)\b/i;
const PREFETCH = /prefetch|prerender|preview/i;
const PREFETCH_HEADERS = ["sec-purpose", "purpose", "x-purpose", "x-moz"] as const;

/**
 * Classify a request from its headers: User-Agent, Client Hints and prefetch markers.
 *
 * @example
 * const device = classifyDevice(c.req.raw.headers);
 * if (!device.isHuman) return c.html(landing, 200); // show, but do not count or consume
 * if (device.blocksAppLinks) showOpenInBrowserHint();
 */
export function classifyDevice(headers: HeaderReader): DeviceInfo {
  const ua = headers.get("user-agent") ?? null;
  const hints: ClientHints = {
    brands: headers.get("sec-ch-ua"),
    mobile: headers.get("sec-ch-ua-mobile"),
    platform: headers.get("sec-ch-ua-platform"),
    platformVersion: headers.get("sec-ch-ua-platform-version"),
  };
  const info = classifyUserAgent(ua, hints);
  if (info.bot === null && isPrefetch(headers)) {
    info.bot = "prefetch";
    info.isHuman = false;
  }
  return info;
}

/**
 * True when the request is a speculative fetch, not a person opening the link:
 * `Sec-Purpose: prefetch` (Chrome, also `prefetch;prerender`), `Purpose: prefetch`,
 * `X-Moz: prefetch` (Firefox) or `X-Purpose: preview` (Safari).
 *
 * @example
 * isPrefetch(new Headers({ "Sec-Purpose": "prefetch;prerender" })); // true
 * isPrefetch(new Headers({ "User-Agent": "Mozilla/5.0 …" }));        // false
 */
export function isPrefetch(headers: HeaderReader): boolean {
  for (const name of PREFETCH_HEADERS) {
    const value = headers.get(name);
    if (value && PREFETCH.test(value)) return true;
  }
  return false;
}

/**
 * Classify a User-Agent string, optionally completed by Client Hints. Pure; no prefetch
 * detection (that needs the other headers: use `classifyDevice`).
 *
 * @example
 * classifyUserAgent(
 *   "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN",
 * );
 * // → { platform: "ios", os: "iOS 17.4", browser: "WeChat", inAppBrowser: "wechat",
 * //     blocksAppLinks: true, bot: null, isHuman: true }
 *
 * classifyUserAgent("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
 *   { platform: '"Android"', mobile: "?1", platformVersion: '"14.0.0"' });
 * // → { platform: "android", os: "Android 14", browser: "Chrome", … }
 */
export function classifyUserAgent(ua: string | null, hints?: ClientHints): DeviceInfo {
  const raw = (ua ?? "").trim();
  if (raw === "") {
    return info("other", null, null, null, false, "crawler");
  }
  const s = raw.length > MAX_UA ? raw.slice(0, MAX_UA) : raw;

  const [platform, os] = withHints(platformFromUa(s), hints);
  const bot = botKind(s, hints?.brands);
  // A bot is not inside anyone's app, even when it borrows an app's name (WhatsApp's previewer).
  const app = bot === null && IN_APP_ANY.test(s) ? findInApp(s) : null;
  const browser = app ? app.name : browserFrom(s, platform, hints?.brands);
  const blocks =
    app !== null && (app.blocks === "always" || (app.blocks === "ios" && platform === "ios"));
  return info(platform, os, browser, app?.id ?? null, blocks, bot);
}

function info(
  platform: Platform,
  os: string | null,
  browser: string | null,
  inAppBrowser: InAppBrowser | null,
  blocksAppLinks: boolean,
  bot: BotKind | null,
): DeviceInfo {
  return { platform, os, browser, inAppBrowser, blocksAppLinks, bot, isHuman: bot === null };
}

function botKind(ua: string, brands: string | null | undefined): BotKind | null {
  if (PREVIEWER.test(ua)) return "previewer";
  if (SCANNER.test(ua)) return "scanner";
  if (CRAWLER.test(ua)) return "crawler";
  if (brands?.includes("HeadlessChrome")) return "crawler";
  return null;
}

function findInApp(ua: string): InAppRule | null {
  for (const rule of IN_APP_RULES) if (rule.pattern.test(ua)) return rule;
  return null;
}

function platformFromUa(ua: string): [Platform, string | null] {
  // Windows Phone claims both Android and iPhone; check it first.
  if (WINDOWS_PHONE.test(ua)) return ["other", "Windows Phone"];
  const ios = IOS_DEVICE.exec(ua);
  if (ios) {
    const v = IOS_VERSION.exec(ua);
    const name = ios[1] === "iPad" ? "iPadOS" : "iOS";
    return ["ios", v ? `${name} ${v[1]}.${v[2]}` : name];
  }
  if (HARMONY_NEXT.test(ua)) return ["other", "HarmonyOS"];
  const android = ANDROID.exec(ua);
  if (android) {
    if (ANDROID_REDUCED.test(ua) || !android[1]) return ["android", "Android"];
    const minor = android[2] && android[2] !== "0" ? `.${android[2]}` : "";
    return ["android", `Android ${android[1]}${minor}`];
  }
  if (TV_OR_CONSOLE.test(ua)) return ["other", null];
  if (WINDOWS.test(ua)) return ["desktop", "Windows"];
  if (CHROME_OS.test(ua)) return ["desktop", "ChromeOS"];
  // macOS UAs are frozen at 10_15_7, so no version. iPad WebViews send a Mac UA + "Mobile/".
  if (MAC.test(ua)) return MOBILE_TOKEN.test(ua) ? ["ios", "iPadOS"] : ["desktop", "macOS"];
  // An app's own HTTP stack (CFNetwork, okhttp): the customer's app, placed on its OS.
  for (const [pattern, platform, os] of NATIVE_APP_RULES)
    if (pattern.test(ua)) return [platform, os];
  if (LINUX.test(ua)) return ["desktop", "Linux"];
  return ["other", null];
}

/**
 * Let `Sec-CH-UA-Platform` (+ version) correct the UA's answer. The UA's OS string is kept when
 * both agree and the hints carry no version (Samsung Internet sends a full UA and hints).
 */
function withHints(
  fromUa: [Platform, string | null],
  hints: ClientHints | undefined,
): [Platform, string | null] {
  if (!hints) return fromUa;
  const [uaPlatform, uaOs] = fromUa;
  const major = unquote(hints.platformVersion).split(".")[0] ?? "";
  const v = /^\d+$/.test(major) ? Number(major) : null;
  const keep = (platform: Platform, fallback: string): [Platform, string | null] =>
    platform === uaPlatform && uaOs ? [platform, uaOs] : [platform, fallback];
  switch (unquote(hints.platform).toLowerCase()) {
    case "android":
      return v !== null ? ["android", `Android ${v}`] : keep("android", "Android");
    case "ios":
      return keep("ios", "iOS");
    case "windows":
      // Windows 11 reports platform version 13+; 1–10 are Windows 10 builds.
      if (v === null || v === 0) return ["desktop", "Windows"];
      return ["desktop", v >= 13 ? "Windows 11" : "Windows 10"];
    case "macos":
      return ["desktop", v !== null ? `macOS ${v}` : "macOS"];
    case "chrome os":
    case "chromeos":
    case "chromium os":
      return ["desktop", "ChromeOS"];
    case "linux":
      return ["desktop", "Linux"];
  }
  // No usable platform hint. Only Chromium sends Client Hints and no iOS browser does, so a
  // mobile hint on an unplaceable UA means Android.
  if (unquote(hints.mobile) === "?1" && (uaPlatform === "other" || uaOs === "Linux")) {
    return ["android", "Android"];
  }
  return fromUa;
}

function browserFrom(
  ua: string,
  platform: Platform,
  brands: string | null | undefined,
): string | null {
  let name: string | null = null;
  for (const [pattern, browser] of BROWSER_RULES) {
    if (pattern.test(ua)) {
      name = browser;
      break;
    }
  }
  // Brave and friends send a plain Chrome UA; their brand list says who they are.
  if (brands && (name === null || name === "Chrome")) {
    for (const [pattern, browser] of BRAND_RULES) {
      if (pattern.test(brands)) return browser;
    }
  }
  // An iOS WKWebView without Safari's token is some app's embedded browser (an app's own
  // HTTP stack, CFNetwork, is no WebKit and no browser at all).
  if (name === null && platform === "ios" && WEBKIT.test(ua)) return "WebView";
  return name;
}

function unquote(value: string | null | undefined): string {
  return (value ?? "").trim().replace(/^"|"$/g, "");
}
