/**
 * User-agent tables for `device.ts`: in-app browsers, bots and browsers.
 *
 * Every pattern is compiled once, at module load. The scan path runs a few combined
 * "is there anything here at all?" tests first and walks an ordered table only when one hits,
 * so a plain Safari/Chrome scan costs a handful of regex tests.
 *
 * Tokens come from user agents seen in the wild (see `test/unit/device.test.ts` for the full
 * strings). When adding a row, add a real user agent to the test table too.
 */

/** In-app browsers (WebViews inside another app) that a scan may land in. */
export type InAppBrowser =
  | "wechat"
  | "wecom"
  | "qq"
  | "weibo"
  | "alipay"
  | "taobao"
  | "dingtalk"
  | "feishu"
  | "douyin"
  | "tiktok"
  | "xiaohongshu"
  | "facebook"
  | "messenger"
  | "instagram"
  | "line"
  | "kakaotalk"
  | "twitter"
  | "linkedin"
  | "snapchat"
  | "pinterest"
  | "telegram"
  | "whatsapp";

/**
 * Where an in-app browser stops the hop into *our* app:
 * - `always`: the host app's WebView swallows custom schemes, Android intents and iOS universal
 *   links to third-party apps unless the target app is whitelisted through the host's own open
 *   platform (WeChat: `wx-open-launch-app`, Douyin/Feishu: ByteDance's, Alipay/DingTalk/Taobao:
 *   Alibaba's). The user must use "… → Open in browser".
 * - `ios`: on iOS the app browses in its own WKWebView, which never triggers universal links
 *   (only a tap in Safari or another app does), and custom schemes are often dropped; on Android
 *   the same apps hand `intent://` and App Links to the OS, so the hop usually works.
 *   Best effort: these apps change behaviour between releases.
 * - `never`: links leave the app normally (or it opens them in SFSafariViewController /
 *   Chrome Custom Tabs, where universal links and App Links work).
 */
export type AppLinkBlocking = "always" | "ios" | "never";

export interface InAppRule {
  readonly id: InAppBrowser;
  /** Display name, used as `DeviceInfo.browser` ("WeChat on iOS 17.4"). */
  readonly name: string;
  readonly pattern: RegExp;
  readonly blocks: AppLinkBlocking;
}

/**
 * Ordered: the first match wins, so an app whose UA embeds another's token comes first
 * (WeCom sends `wxwork/… MicroMessenger/…`; DingTalk sends `AliApp(DingTalk/…)`; Instagram and
 * Messenger are Meta apps like Facebook).
 */
export const IN_APP_RULES: readonly InAppRule[] = [
  { id: "wecom", name: "WeCom", pattern: /\bwxwork\//i, blocks: "always" },
  { id: "wechat", name: "WeChat", pattern: /\bMicroMessenger\//i, blocks: "always" },
  // `QQ/8.9.90` is the QQ app. `MQQBrowser/` alone is QQ Browser (a real browser) or the X5
  // engine inside WeChat, so it is deliberately not a QQ in-app token.
  { id: "qq", name: "QQ", pattern: /\bQQ\/\d/, blocks: "always" },
  { id: "dingtalk", name: "DingTalk", pattern: /\bDingTalk\b/i, blocks: "always" },
  { id: "alipay", name: "Alipay", pattern: /\bAlipayClient\/|\bAliApp\(AP\//i, blocks: "always" },
  { id: "taobao", name: "Taobao", pattern: /\bAliApp\(TB\//i, blocks: "always" },
  { id: "weibo", name: "Weibo", pattern: /__weibo__|\bWeibo \(/i, blocks: "always" },
  // Feishu and its international edition Lark are one app and one WebView: treated alike.
  { id: "feishu", name: "Feishu", pattern: /\b(?:Lark|Feishu)\/\d/, blocks: "always" },
  { id: "douyin", name: "Douyin", pattern: /\baweme(?:_|\/)|AppName\/aweme/i, blocks: "always" },
  // TikTok shares Douyin's ByteDance WebView; it lets Android intents out but not iOS links.
  { id: "tiktok", name: "TikTok", pattern: /musical_ly|\btrill_\d|\bTikTok\b/i, blocks: "ios" },
  {
    id: "xiaohongshu",
    name: "Xiaohongshu",
    pattern: /(?:^|\s)discover\/\d|\bXiaoHongShu\/|xhsminiapp/i,
    blocks: "always",
  },
  { id: "instagram", name: "Instagram", pattern: /\bInstagram \d/, blocks: "ios" },
  {
    id: "messenger",
    name: "Messenger",
    pattern: /FBAN\/Messenger|FB_IAB\/(?:Orca|MESSENGER)/,
    blocks: "ios",
  },
  { id: "facebook", name: "Facebook", pattern: /\bFBAN\/|\bFB_IAB\/|\bFBAV\//, blocks: "ios" },
  { id: "line", name: "LINE", pattern: /\bLine\/\d/, blocks: "never" },
  { id: "kakaotalk", name: "KakaoTalk", pattern: /\bKAKAOTALK\b/i, blocks: "never" },
  {
    id: "twitter",
    name: "X (Twitter)",
    pattern: /\bTwitter for iP|\bTwitterAndroid\b/,
    blocks: "never",
  },
  { id: "linkedin", name: "LinkedIn", pattern: /\[LinkedInApp\]/i, blocks: "ios" },
  { id: "snapchat", name: "Snapchat", pattern: /\bSnapchat\/\d/, blocks: "never" },
  {
    id: "pinterest",
    name: "Pinterest",
    pattern: /\[Pinterest\/(?:iOS|Android)\]/i,
    blocks: "never",
  },
  { id: "telegram", name: "Telegram", pattern: /\bTelegram-Android\//, blocks: "never" },
  // Only reached for UAs that did not start with `WhatsApp/` (that is the link previewer).
  { id: "whatsapp", name: "WhatsApp", pattern: /\bWhatsApp\/\d/, blocks: "never" },
];

/** One case-insensitive union of every in-app token: a superset prefilter for the table walk. */
export const IN_APP_ANY = new RegExp(
  IN_APP_RULES.map((r) => `(?:${r.pattern.source})`).join("|"),
  "i",
);

/**
 * Link previewers: chat and social apps fetching a URL to draw a card. Checked before crawlers
 * because several of them also say "bot" (Slackbot, Discordbot, TelegramBot…).
 * iMessage/Apple previews send a Safari UA with `facebookexternalhit/1.1 Facebot Twitterbot/1.0`;
 * LINE and Kakao send `facebookexternalhit/1.1;line-poker/1.0` / `…; kakaotalk-scrap/1.0`;
 * Naver sends the typo `acebookexternalhit`. Signal borrows WhatsApp's UA.
 */
export const PREVIEWER =
  /^WhatsApp\/|f?acebookexternalhit|\bFacebot\b|meta-externalfetcher|Slackbot|Slack-ImgProxy|Discordbot|TelegramBot|Twitterbot|LinkedInBot|SkypeUriPreview|MicrosoftPreview|BingPreview|Mastodon\/|\bPleroma\b|\bAkkoma\b|\bMisskey\/|Bluesky Cardyb|\bEmbedly\b|\bIframely\b|redditbot|Pinterestbot|vkShare|kakaotalk-scrap|Snap URL Preview|Google-PageRenderer|Yahoo Link Preview|LinkPreview/i;

/**
 * Mail and security link scanners that say who they are. Most (Microsoft Defender Safe Links
 * above all) send an ordinary desktop Chrome UA or none at all, so this catches only the honest
 * ones; the real defence is that a GET never consumes a handoff.
 */
export const SCANNER =
  /Proofpoint|Mimecast|Barracuda|Google-Safety|SafeLinks|TrendMicro|\bms-office\b|^Microsoft Office\/|Microsoft Office (?:Existence|Protocol) Discovery/i;

/**
 * Crawlers and programmatic clients. Native mobile HTTP stacks (okhttp, CFNetwork, Dart) are
 * deliberately absent: they are the customer's own app (see {@link NATIVE_APP_RULES}).
 * `(?<!cu)bot` spares Cubot phones.
 */
export const CRAWLER =
  /(?<!cu)bot\b|crawl|spider|slurp|scrapy|archiver|headless|phantomjs|lighthouse|pagespeed|puppeteer|selenium|webdriver|\bGoogle-|GoogleOther|Mediapartners-Google|FeedFetcher|facebookcatalog|meta-externalagent|ChatGPT-User|Perplexity-User|^(?:curl|wget|python|aiohttp|httpx|go-http-client|go |node(?:-fetch)?(?:\/|$)|undici|axios|got[ /(]|java\/|apache-httpclient|libwww-perl|lwp|postmanruntime|insomnia|httpie|ruby|faraday|guzzlehttp|php|deno\/|bun\/|wkhtmlto)/i;

/**
 * The HTTP stacks of native apps (the customer's app calling `/v1/resolve` and `/v1/events`),
 * for UAs that name no phone: first match wins. A UA that names the OS itself (Dalvik's
 * "Linux; U; Android 14", a Flutter or React Native app's own "(… Android 14)") is placed by
 * the ordinary rules before these are tried. Dart's default `Dart/3.3 (dart:io)` names no OS
 * and stays "other" (an app client can say `X-QB-Platform`, see app-caller.ts).
 */
export const NATIVE_APP_RULES: readonly (readonly [RegExp, "ios" | "android", string])[] = [
  // URLSession, also under React Native and Expo on iOS: "Acme/3 CFNetwork/1494.0.7 Darwin/23.4.0".
  [/\bCFNetwork\/|\bDarwin\/\d/, "ios", "iOS"],
  // An app naming the OS: "Acme/3.1 (com.acme.app; build:7; iOS 17.4.0) Alamofire/5.8.0".
  [/\b(?:iOS|iPadOS)[ /]\d/, "ios", "iOS"],
  // OkHttp, also under React Native on Android: "okhttp/4.12.0".
  [/\bokhttp\//i, "android", "Android"],
];

/** Browsers, in order: Chromium forks before Chrome, Chrome before Safari (both say "Safari/"). */
export const BROWSER_RULES: readonly (readonly [RegExp, string])[] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOPiOS\/|\bOPT\/|\bOpera\b/, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bYaBrowser\//, "Yandex Browser"],
  [/\bUCBrowser\//, "UC Browser"],
  [/\bM?QQBrowser\//, "QQ Browser"],
  [/\bMiuiBrowser\//, "MIUI Browser"],
  [/\bHuaweiBrowser\//, "Huawei Browser"],
  [/\bVivaldi\//, "Vivaldi"],
  [/\bDuckDuckGo\/|\bDdg\//, "DuckDuckGo"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bCriOS\//, "Chrome"],
  [/; wv\)/, "Android WebView"],
  [/\bHeadlessChrome\//, "HeadlessChrome"],
  [/\bChrome\//, "Chrome"],
  [/\bTrident\/|\bMSIE /, "Internet Explorer"],
  [/\bSafari\//, "Safari"],
];

/** `Sec-CH-UA` brands that name a browser more precisely than a reduced UA does. */
export const BRAND_RULES: readonly (readonly [RegExp, string])[] = [
  [/"Microsoft Edge"/, "Edge"],
  [/"Opera(?: GX)?"/, "Opera"],
  [/"Brave"/, "Brave"],
  [/"Samsung Internet"/, "Samsung Internet"],
  [/"YaBrowser"/, "Yandex Browser"],
  [/"Vivaldi"/, "Vivaldi"],
  [/"Google Chrome"/, "Chrome"],
];
