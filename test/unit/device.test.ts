// Device classification from the User-Agent alone: a table of real user agents, WhatsApp's
// previewer against its in-app browser, and a request with no User-Agent at all.
import { describe, expect, it } from "vitest";
import {
  type BotKind,
  classifyDevice,
  classifyUserAgent,
  type DeviceInfo,
  type InAppBrowser,
  type Platform,
} from "../../src/core/device";
import { IOS17 } from "./device-helpers";

/**
 * Real user agents, as sent in the wild (version numbers vary; tokens do not).
 * [label, ua, platform, inAppBrowser, bot, optional extra expectations]
 */
type Row = [
  string,
  string,
  Platform,
  InAppBrowser | null,
  BotKind | null,
  Partial<Pick<DeviceInfo, "os" | "browser" | "blocksAppLinks">>?,
];

const ANDROID_WV = (model: string, chrome: string) =>
  `Mozilla/5.0 (Linux; ${model}; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/${chrome} Mobile Safari/537.36`;

// biome-ignore format: one row per user agent keeps the table readable
const ROWS: Row[] = [
  // ── Phone browsers ──────────────────────────────────────────────────────────────────────
  ["iPhone Safari iOS 17", `${IOS17} Version/17.4 Mobile/15E148 Safari/604.1`, "ios", null, null, { os: "iOS 17.4", browser: "Safari", blocksAppLinks: false }],
  ["iPhone Chrome (CriOS)", `${IOS17} CriOS/123.0.6312.52 Mobile/15E148 Safari/604.1`, "ios", null, null, { browser: "Chrome" }],
  ["iPhone Firefox (FxiOS)", `${IOS17} FxiOS/124.0 Mobile/15E148 Safari/605.1.15`, "ios", null, null, { browser: "Firefox" }],
  ["iPhone Edge (EdgiOS)", `${IOS17} Version/17.0 EdgiOS/123.0.2420.56 Mobile/15E148 Safari/604.1`, "ios", null, null, { browser: "Edge" }],
  ["iPad Chrome (iPad UA)", "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/123.0.6312.52 Mobile/15E148 Safari/604.1", "ios", null, null, { os: "iPadOS 17.4" }],
  ["iPad WebView, desktop mode (Mac UA + Mobile/)", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148", "ios", null, null, { os: "iPadOS", browser: "WebView" }],
  ["iPadOS Safari desktop mode = Mac Safari (indistinguishable)", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", "desktop", null, null, { os: "macOS", browser: "Safari" }],
  ["Android Chrome, reduced UA", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36", "android", null, null, { os: "Android", browser: "Chrome" }],
  ["Android Chrome, full UA", "Mozilla/5.0 (Linux; Android 13; SM-S901B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Mobile Safari/537.36", "android", null, null, { os: "Android 13", browser: "Chrome" }],
  ["Samsung Internet", "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36", "android", null, null, { os: "Android 14", browser: "Samsung Internet" }],
  ["Android Firefox", "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0", "android", null, null, { os: "Android 14", browser: "Firefox" }],
  ["Android Edge (EdgA)", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 EdgA/124.0.0.0", "android", null, null, { browser: "Edge" }],
  ["Android WebView (no app token)", ANDROID_WV("Android 12; SM-G991B Build/SP1A.210812.016", "119.0.6045.163"), "android", null, null, { browser: "Android WebView" }],
  ["MIUI Browser", "Mozilla/5.0 (Linux; U; Android 12; zh-cn; 2201123C Build/SKQ1.211006.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.127 Mobile Safari/537.36 XiaoMi/MiuiBrowser/17.4.80211", "android", null, null, { browser: "MIUI Browser" }],
  ["QQ Browser (a browser, not the QQ app)", "Mozilla/5.0 (Linux; U; Android 11; zh-cn; PDRM00 Build/RKQ1.200903.002) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.86 MQQBrowser/14.4 Mobile Safari/537.36 COVC/046911", "android", null, null, { browser: "QQ Browser" }],
  ["UC Browser", "Mozilla/5.0 (Linux; U; Android 10; en-US; RMX1911 Build/QKQ1.200209.002) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36", "android", null, null, { browser: "UC Browser" }],
  ["Cubot phone is not a bot", "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36", "android", null, null],
  ["HarmonyOS NEXT", "Mozilla/5.0 (Phone; OpenHarmony 4.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ArkWeb/4.1.6.1 Mobile HuaweiBrowser/5.0.4.300", "other", null, null, { os: "HarmonyOS", browser: "Huawei Browser" }],

  // ── Desktop browsers ────────────────────────────────────────────────────────────────────
  ["Windows Chrome", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", "desktop", null, null, { os: "Windows", browser: "Chrome" }],
  ["Windows Edge", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0", "desktop", null, null, { browser: "Edge" }],
  ["Windows Firefox", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0", "desktop", null, null, { browser: "Firefox" }],
  ["Windows Opera", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0", "desktop", null, null, { browser: "Opera" }],
  ["macOS Chrome", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", "desktop", null, null, { os: "macOS", browser: "Chrome" }],
  ["Linux Firefox", "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "desktop", null, null, { os: "Linux", browser: "Firefox" }],
  ["Ubuntu Firefox", "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "desktop", null, null, { os: "Linux" }],
  ["ChromeOS", "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", "desktop", null, null, { os: "ChromeOS", browser: "Chrome" }],
  ["WeChat for Windows", "Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.138 Safari/537.36 NetType/WIFI MicroMessenger/7.0.20.1781(0x6700143B) WindowsWechat(0x63090719) XWEB/8391 Flue", "desktop", "wechat", null, { os: "Windows", browser: "WeChat" }],
  ["Feishu/Lark desktop", "Mozilla/5.0 (Macintosh; Intel Mac OS X 13_2_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/101.0.4951.53 Safari/537.36 Lark/6.7.5 LarkLocale/en_US ttnet SDK-Version/6.7.8", "desktop", "feishu", null],

  // ── In-app browsers that block app links everywhere ─────────────────────────────────────
  ["WeChat iOS", `${IOS17} Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN`, "ios", "wechat", null, { os: "iOS 17.4", browser: "WeChat", blocksAppLinks: true }],
  ["WeChat Android (XWEB)", `${ANDROID_WV("Android 13; V2183A Build/TP1A.220624.014", "111.0.5563.116")} XWEB/1110017 MMWEBSDK/20230805 MMWEBID/2833 MicroMessenger/8.0.42.2460(0x28002A35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64`, "android", "wechat", null, { os: "Android 13", blocksAppLinks: true }],
  ["WeChat Android (X5 core, says MQQBrowser)", "Mozilla/5.0 (Linux; Android 9; MI 8 Build/PKQ1.180729.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/66.0.3359.126 MQQBrowser/6.2 TBS/044904 Mobile Safari/537.36 MMWEBID/6536 MicroMessenger/7.0.6.1460(0x27070634) Process/tools NetType/WIFI Language/zh_CN", "android", "wechat", null],
  ["WeChat mini-program web-view", `${IOS17} Mobile/15E148 MicroMessenger/8.0.5(0x18000526) NetType/WIFI Language/zh_CN miniProgram`, "ios", "wechat", null],
  ["WeCom iOS (also says MicroMessenger)", "Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)  Mobile/15E148 wxwork/3.1.16 MicroMessenger/7.0.1 Language/zh ColorScheme/Dark", "ios", "wecom", null, { browser: "WeCom", blocksAppLinks: true }],
  ["WeCom Android", "Mozilla/5.0 (Linux; Android 9.0; BKL-AL20 Build/HUAWEIBKL-AL20; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/57.0.2987.132 MQQBrowser/6.2 TBS/044409 Mobile Safari/537.36 wxwork/2.7.2 MicroMessenger/6.3.22 NetType/WIFI Language/zh", "android", "wecom", null, { os: "Android 9" }],
  ["QQ iOS", `${IOS17} Mobile/15E148 QQ/8.9.90.609 V1_IPH_SQ_8.9.90_1_APP_A Pixel/1170 MiniAppEnable SimpleUISwitch/0 StudyMode/0 CurrentMode/0 CurrentFontScale/1.000000 QQTheme/1000 AppId/537186577 Core/WKWebView Device/Apple(iPhone 13) NetType/WIFI QBWebViewType/1 WKType/1`, "ios", "qq", null, { blocksAppLinks: true }],
  ["QQ Android (MQQBrowser + QQ/)", `Mozilla/5.0 (Linux; Android 12; M2012K11AC Build/SKQ1.211006.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/98.0.4758.102 MQQBrowser/6.2 TBS/046291 Mobile Safari/537.36 V1_AND_SQ_8.9.28_3700_YYB_D A_8092800 QQ/8.9.28.10155 NetType/WIFI WebP/0.3.0 AppId/537155547 Pixel/1080 StatusBarHeight/99 SimpleUISwitch/0 QQTheme/1000`, "android", "qq", null, { browser: "QQ" }],
  ["Weibo iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Weibo (iPhone14,5__weibo__13.12.1__iphone__os17.2)", "ios", "weibo", null, { blocksAppLinks: true }],
  ["Weibo Android", `${ANDROID_WV("Android 12; M2102K1AC Build/SKQ1.211006.001", "97.0.4692.98")} Weibo (Xiaomi-M2102K1AC__weibo__12.2.1__android__android12)`, "android", "weibo", null],
  ["Alipay iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/20A362 ChannelId(1) Ariver/1.1.0 AliApp(AP/10.3.0.6000) Nebula WK RVKType(1) AlipayDefined(nt:WIFI,ws:390|780|3.0) AlipayClient/10.3.0.6000 Language/zh-Hans Region/CN NebulaX/1.0.0", "ios", "alipay", null, { os: "iOS 16.0", blocksAppLinks: true }],
  ["Alipay Android", "Mozilla/5.0 (Linux; U; Android 13; zh-CN; V2183A Build/TP1A.220624.014) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/69.0.3497.100 UWS/3.22.2.59 Mobile Safari/537.36 UCBS/3.22.2.59_230420184023 NebulaSDK/1.8.100112 Nebula AlipayDefined(nt:WIFI,ws:393|0|2.75) AliApp(AP/10.5.6.6000) AlipayClient/10.5.6.6000 Language/zh-Hans useStatusBar/true isConcaveScreen/true Region/CN", "android", "alipay", null],
  ["DingTalk iOS (also says AliApp)", "Mozilla/5.0 (iPhone; CPU iPhone OS 26_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/23E246 AliApp(DingTalk/7.8.1) com.laiwang.DingTalk/46766536 Channel/201200 language/zh-Hans-CN UT4Aplus/0.0.6 WK", "ios", "dingtalk", null, { os: "iOS 26.4", blocksAppLinks: true }],
  ["DingTalk Android", `${ANDROID_WV("Android 11; Pixel 4 XL Build/RQ3A.210705.001", "83.0.4103.106")} AliApp(DingTalk/5.1.5) com.alibaba.android.rimet/13534898 Channel/212200 language/zh-CN UT4Aplus/0.2.25 colorScheme/light`, "android", "dingtalk", null],
  ["Taobao iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 AliApp(TB/10.25.10) WindVane/8.7.2 1170x2532 WK", "ios", "taobao", null, { blocksAppLinks: true }],
  ["Feishu iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 14_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.6 Mobile/15E148 Safari/604.1 Lark/4.1.3 LarkLocale/zh_CN", "ios", "feishu", null, { browser: "Feishu", blocksAppLinks: true }],
  ["Lark Android", `${ANDROID_WV("Android 15; Pixel 7a Build/AP3A.241105.007", "131.0.6778.135")} Lark/7.32.8 LarkLocale/en_US ChannelName/Lark`, "android", "feishu", null],
  ["Douyin iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 aweme_29.4.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/zh-Hans BytedanceWebview/d8a21c6", "ios", "douyin", null, { blocksAppLinks: true }],
  ["Douyin Android", `${ANDROID_WV("Android 12; ALN-AL00 Build/HUAWEIALN-AL00", "99.0.4844.88")} aweme_260501 JsSdk/1.0 NetType/WIFI Channel/huawei_1128_64 AppName/aweme app_version/26.5.0 ByteLocale/zh-CN Region/CN AppId/1128 AppVersion/26.5.0 BytedanceWebview/d8a21c6`, "android", "douyin", null, { blocksAppLinks: true }],
  ["Xiaohongshu iOS (discover/)", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_3_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 discover/9.1 Device/(Apple Inc.;iPhone15,3) NetType/WiFi", "ios", "xiaohongshu", null, { os: "iOS 18.3", blocksAppLinks: true }],
  ["Xiaohongshu Android", `${ANDROID_WV("Android 14; 23127PN0CC Build/UKQ1.230804.001", "118.0.0.0")} XiaoHongShu/8.69.5`, "android", "xiaohongshu", null],

  // ── In-app browsers that block on iOS only ──────────────────────────────────────────────
  ["TikTok iOS (musical_ly)", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 musical_ly_32.5.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/US ByteFullLocale/en isDarkMode/0 WKWebView/1 BytedanceWebview/d8a21c6 FalconTag/", "ios", "tiktok", null, { os: "iOS 17.1", blocksAppLinks: true }],
  ["TikTok Android (trill)", `${ANDROID_WV("Android 13; SM-G991U Build/TP1A.220624.014", "119.0.6045.163")} trill_2023209040 JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/trill app_version/32.9.4 ByteLocale/en ByteFullLocale/en Region/US AppId/1180 AppVersion/32.9.4 BytedanceWebview/d8a21c6`, "android", "tiktok", null, { blocksAppLinks: false }],
  ["Facebook iOS (FBAN/FBIOS)", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/444.0.0.41.111;FBBV/540563233;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.1.2;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5;FBRV/542097405]", "ios", "facebook", null, { browser: "Facebook", blocksAppLinks: true }],
  ["Facebook Android (FB_IAB/FB4A)", `${ANDROID_WV("Android 14; SM-S911B Build/UP1A.231005.007", "120.0.6099.210")} [FB_IAB/FB4A;FBAV/446.0.0.36.108;]`, "android", "facebook", null, { blocksAppLinks: false }],
  ["Messenger Android", `${ANDROID_WV("Android 13; Pixel 7 Build/TQ3A.230805.001", "116.0.5845.163")} [FB_IAB/Orca-Android;FBAV/423.0.0.21.64;]`, "android", "messenger", null],
  ["Instagram iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 311.0.3.20.101 (iPhone14,5; iOS 17_1_2; en_US; en; scale=3.00; 1170x2532; 546154429)", "ios", "instagram", null, { blocksAppLinks: true }],
  ["Instagram Android", `${ANDROID_WV("Android 13; SM-A536B Build/TP1A.220624.014", "119.0.6045.163")} Instagram 309.1.0.41.113 Android (33/13; 450dpi; 1080x2177; samsung; SM-A536B; a53x; s5e8825; en_GB; 541635863)`, "android", "instagram", null, { blocksAppLinks: false }],
  ["LinkedIn iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.4536", "ios", "linkedin", null, { blocksAppLinks: true }],
  ["LinkedIn Android", `${ANDROID_WV("Android 14; Pixel 8 Build/UD1A.230803.041", "120.0.6099.144")} [LinkedInApp]/4.1.881`, "android", "linkedin", null, { blocksAppLinks: false }],

  // ── In-app browsers that let links out ──────────────────────────────────────────────────
  ["LINE iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/13.21.0", "ios", "line", null, { browser: "LINE", blocksAppLinks: false }],
  ["LINE Android", `${ANDROID_WV("Android 13; SO-51C Build/61.2.C.0.105", "119.0.6045.163")} Line/13.20.1/IAB`, "android", "line", null],
  ["KakaoTalk iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 KAKAOTALK 10.4.5", "ios", "kakaotalk", null],
  ["X/Twitter Android", `${ANDROID_WV("Android 13; Pixel 6 Build/TQ3A.230901.001", "117.0.0.0")} TwitterAndroid`, "android", "twitter", null],
  ["Snapchat iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Snapchat/12.63.0.44 (like Safari/8617.1.17.10.9, panda)", "ios", "snapchat", null],
  ["Pinterest iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [Pinterest/iOS]", "ios", "pinterest", null],
  ["Telegram Android", `${ANDROID_WV("Android 14; Pixel 7 Build/AP1A.240305.019", "122.0.6261.119")} Telegram-Android/10.9.1 (Google Pixel 7; Android 14; SDK 34; HIGH)`, "android", "telegram", null],
  ["WhatsApp in-app browser iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 15_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 WhatsApp/2.22.4.74 W", "ios", "whatsapp", null, { blocksAppLinks: false }],
  ["WhatsApp in-app browser Android", `${ANDROID_WV("Android 10; SM-A205F Build/QP1A.190711.020", "81.0.4044.138")} WhatsApp/2.21.9.15 A`, "android", "whatsapp", null],

  // ── Native apps calling the API (their own HTTP stack, no browser) ──────────────────────
  ["iOS app, URLSession", "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0", "ios", null, null, { os: "iOS", browser: null }],
  ["Expo / React Native on iOS", "Expo/2.28.4 CFNetwork/1402.0.8 Darwin/22.2.0", "ios", null, null, { browser: null }],
  ["iOS app, Alamofire", "AcmeApp/3.1 (com.acme.app; build:7; iOS 17.4.0) Alamofire/5.8.0", "ios", null, null, { os: "iOS" }],
  ["Android app, OkHttp (React Native's default)", "okhttp/4.12.0", "android", null, null, { os: "Android", browser: null }],
  ["Android app, OkHttp naming the OS", "okhttp/4.12.0 AcmeApp/3.1 (Linux; Android 14; Pixel 8)", "android", null, null, { os: "Android 14" }],
  ["Android app, HttpURLConnection (Dalvik)", "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A.240205.004)", "android", null, null, { os: "Android 14" }],
  ["Flutter app naming the OS", "AcmeApp/3.1 Flutter (Android 13)", "android", null, null],
  ["Flutter app on iOS naming the OS", "AcmeApp/3.1 Flutter (iOS 17.2)", "ios", null, null],
  ["Dart's default names no OS (X-QB-Platform can)", "Dart/3.3 (dart:io)", "other", null, null],

  // ── Link previewers ─────────────────────────────────────────────────────────────────────
  ["Slackbot-LinkExpanding", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "other", null, "previewer"],
  ["Discordbot", "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", "other", null, "previewer"],
  ["TelegramBot", "TelegramBot (like TwitterBot)", "other", null, "previewer"],
  ["WhatsApp previewer", "WhatsApp/2.23.20.0", "other", null, "previewer", { blocksAppLinks: false }],
  ["WhatsApp previewer (iOS build)", "WhatsApp/2.2407.3 i", "other", null, "previewer"],
  ["facebookexternalhit", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "other", null, "previewer"],
  ["Twitterbot", "Twitterbot/1.0", "other", null, "previewer"],
  ["LinkedInBot", "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)", "other", null, "previewer"],
  ["Skype / Teams preview", "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com", "desktop", null, "previewer"],
  ["iMessage / Apple link preview", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0", "desktop", null, "previewer"],
  ["Mastodon", "http.rb/5.1.1 (Mastodon/4.2.1; +https://mastodon.social/)", "other", null, "previewer"],
  ["LINE preview", "facebookexternalhit/1.1;line-poker/1.0", "other", null, "previewer"],
  ["Bluesky card", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app) Chrome/100.0.0.0 Safari/537.36", "other", null, "previewer"],
  ["Snap URL preview (not the Snapchat app)", "Snap URL Preview Service; bot; snapchat; https://developers.snap.com/robots", "other", null, "previewer"],
  ["MicrosoftPreview", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; MicrosoftPreview/2.0; +https://aka.ms/MicrosoftPreview) Chrome/W.X.Y.Z Safari/537.36", "other", null, "previewer"],

  // ── Crawlers and scripts ────────────────────────────────────────────────────────────────
  ["Googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "other", null, "crawler"],
  ["Googlebot smartphone (claims Android)", "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "android", null, "crawler"],
  ["bingbot", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "other", null, "crawler"],
  ["Applebot", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)", "desktop", null, "crawler"],
  ["YandexBot", "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", "other", null, "crawler"],
  ["Baiduspider", "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)", "other", null, "crawler"],
  ["DuckDuckBot", "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)", "other", null, "crawler"],
  ["GPTBot", "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)", "other", null, "crawler"],
  ["curl", "curl/8.4.0", "other", null, "crawler"],
  ["Wget", "Wget/1.21.4", "other", null, "crawler"],
  ["python-requests", "python-requests/2.31.0", "other", null, "crawler"],
  ["Go-http-client", "Go-http-client/2.0", "other", null, "crawler"],
  ["Node fetch", "node", "other", null, "crawler"],
  ["axios", "axios/1.6.8", "other", null, "crawler"],
  ["HeadlessChrome", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.6367.60 Safari/537.36", "desktop", null, "crawler"],
  ["Lighthouse", "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse", "android", null, "crawler"],
  ["UptimeRobot", "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", "other", null, "crawler"],

  // ── Mail / document link scanners that say so ───────────────────────────────────────────
  ["Outlook fetching a link", "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.5431; Pro)", "desktop", null, "scanner"],
  ["Office existence probe", "Microsoft Office Existence Discovery", "other", null, "scanner"],
  ["Office ms-office fetch", "Mozilla/4.0 (compatible; ms-office; MSOffice 16)", "other", null, "scanner"],
];

describe("classifyUserAgent: real user agents", () => {
  it("has a broad table", () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(50);
  });

  it.each(ROWS)("%s", (_label, ua, platform, inApp, bot, extra) => {
    const d = classifyUserAgent(ua);
    expect({ platform: d.platform, inAppBrowser: d.inAppBrowser, bot: d.bot }).toEqual({
      platform,
      inAppBrowser: inApp,
      bot,
    });
    expect(d.isHuman).toBe(bot === null);
    if (extra) expect(d).toMatchObject(extra);
  });
});

describe("WhatsApp: previewer vs in-app browser", () => {
  it("treats the bare WhatsApp/ UA as a previewer and the in-app WebView as a human", () => {
    const preview = classifyUserAgent("WhatsApp/2.23.24.76 W");
    const inApp = classifyUserAgent(
      "Mozilla/5.0 (iPhone; CPU iPhone OS 15_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 WhatsApp/2.22.4.74 W",
    );
    expect(preview).toMatchObject({ bot: "previewer", isHuman: false, inAppBrowser: null });
    expect(inApp).toMatchObject({
      bot: null,
      isHuman: true,
      inAppBrowser: "whatsapp",
      platform: "ios",
    });
  });
});

describe("missing user agent", () => {
  it.each([null, "", "   "])("%j is a crawler on platform other", (ua) => {
    expect(classifyUserAgent(ua)).toEqual({
      platform: "other",
      os: null,
      browser: null,
      inAppBrowser: null,
      blocksAppLinks: false,
      bot: "crawler",
      isHuman: false,
    });
  });

  it("stays a crawler through classifyDevice, Client Hints or not", () => {
    const d = classifyDevice(
      new Headers({ "Sec-CH-UA-Platform": '"Android"', "Sec-CH-UA-Mobile": "?1" }),
    );
    expect(d).toMatchObject({ bot: "crawler", isHuman: false });
  });
});
