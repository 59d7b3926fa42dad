/**
 * The words on the scan pages, in English and Simplified Chinese, and the choice between them
 * from `Accept-Language`. Messages are plain text with `{name}` placeholders; the page escapes
 * them (and the values put into them) when it renders.
 */

export type Lang = "en" | "zh";

const EN = {
  "doc.lang": "en",
  "title.handoff": "Continue in the app",
  "title.poster": "Open in the app",
  "title.login": "Log in on your computer",
  "app.fallbackName": "the app",
  "lead.handoff": "Pick up on your phone where you left off on your computer.",
  "lead.poster": "Tap below to continue in {app}.",
  "lead.login":
    "Open this code in {app}: it shows you which computer is asking before you approve. Opening it here changes nothing.",
  "poster.from": "From {store}",
  "open.button": "Open in {app}",
  "open.appLink": "Nothing happened? Try the app link",
  "store.appStore": "Download on the App Store",
  "store.playStore": "Get it on Google Play",
  "web.button": "Continue on the web",
  "deferred.title": "Don't have the app yet?",
  "deferred.body":
    "Copy this link, then install the app. The first time you open it, it brings you right back here (it may ask you to paste the link).",
  "copy.button": "Copy link",
  "copy.done": "Link copied",
  "copy.failed": "Couldn't copy. Press and hold the link below to copy it.",
  "blocked.title": "Open this page in your browser",
  "blocked.body.ios":
    "{browser} can't open other apps. Tap ··· at the top right, then choose “Open in Safari”.",
  "blocked.body.android":
    "{browser} can't open other apps. Tap ··· at the top right, then choose “Open in browser”.",
  "blocked.inApp": "This app",
  "blocked.copy": "Or copy the link and paste it into your browser's address bar.",
  "desktop.title": "Scan this with your phone",
  "desktop.body": "Point your phone's camera at the code to continue in {app}.",
  "desktop.qrAlt": "QR code of this link",
  "desktop.tablet": "On a tablet? You can open the app right here:",
  "expiry.in": "This code expires in {time}.",
  "expiry.soon": "This code expires in less than a minute.",
  "expiry.minutes": "{n} min",
  "expiry.expired": "This code has expired. Refresh the page on your computer to get a new one.",
  "msg.notFound.title": "Link not found",
  "msg.notFound.body":
    "This link doesn't exist, or part of it is missing. Check that the whole code was scanned and try again.",
  "msg.expired.title": "This code has expired",
  "msg.expired.body.handoff":
    "Codes shown on a computer only last a few minutes. Refresh the page on your computer and scan the new code.",
  "msg.expired.body": "This link is no longer valid. Ask whoever shared it for a new one.",
  "msg.poster.title": "This poster is no longer active",
  "msg.poster.bodyStore":
    "This poster at {store} is no longer active. Ask the staff for a current one.",
  "msg.poster.body": "This poster is no longer active. Look for a current one nearby.",
  "msg.invalid.title": "This link isn't valid",
  "msg.invalid.body":
    "The code may be damaged or only partly scanned. Try scanning it again, holding your phone steady.",
  "msg.slowDown.title": "Too many tries",
  "msg.slowDown.body":
    "Too many tries came from your network just now. Wait a minute, then try again.",
} as const;

export type MessageKey = keyof typeof EN;

/** Every message key (both languages have all of them; the type checker makes sure). */
export const MESSAGE_KEYS = Object.keys(EN) as MessageKey[];

const ZH: Record<MessageKey, string> = {
  "doc.lang": "zh-Hans",
  "title.handoff": "在 App 中继续",
  "title.poster": "在 App 中打开",
  "title.login": "在电脑上登录",
  "app.fallbackName": "App",
  "lead.handoff": "在手机上继续你在电脑上的操作。",
  "lead.poster": "点击下方按钮,在 {app} 中继续。",
  "lead.login":
    "请在 {app} 中打开此二维码:确认前会显示是哪台电脑在请求登录。在这里打开不会有任何操作。",
  "poster.from": "来自 {store}",
  "open.button": "在 {app} 中打开",
  "open.appLink": "没有反应?试试应用链接",
  "store.appStore": "前往 App Store 下载",
  "store.playStore": "前往 Google Play 下载",
  "web.button": "在网页中继续",
  "deferred.title": "还没有安装 App?",
  "deferred.body":
    "请先复制此链接,再安装 App。首次打开时,App 会直接带你回到这里(可能会请你粘贴链接)。",
  "copy.button": "复制链接",
  "copy.done": "链接已复制",
  "copy.failed": "无法自动复制,请长按下方链接手动复制。",
  "blocked.title": "请在浏览器中打开此页面",
  "blocked.body.ios": "{browser}内无法打开其他 App。请点击右上角的···,然后选择“在 Safari 中打开”。",
  "blocked.body.android":
    "{browser}内无法打开其他 App。请点击右上角的···,然后选择“在浏览器中打开”。",
  "blocked.inApp": "当前 App",
  "blocked.copy": "你也可以复制链接,粘贴到浏览器的地址栏中打开。",
  "desktop.title": "请用手机扫描此二维码",
  "desktop.body": "用手机相机对准二维码,即可在 {app} 中继续。",
  "desktop.qrAlt": "此链接的二维码",
  "desktop.tablet": "正在使用平板电脑?可以直接在这里打开 App:",
  "expiry.in": "此二维码将在 {time} 后失效。",
  "expiry.soon": "此二维码将在一分钟内失效。",
  "expiry.minutes": "{n} 分钟",
  "expiry.expired": "此二维码已失效,请在电脑上刷新页面获取新的二维码。",
  "msg.notFound.title": "链接不存在",
  "msg.notFound.body": "此链接不存在或不完整。请确认二维码已完整扫描后重试。",
  "msg.expired.title": "二维码已失效",
  "msg.expired.body.handoff":
    "电脑上显示的二维码只在几分钟内有效。请在电脑上刷新页面,再扫描新的二维码。",
  "msg.expired.body": "此链接已失效,请向分享者索取新的链接。",
  "msg.poster.title": "此海报已停用",
  "msg.poster.bodyStore": "{store} 的这张海报已停用,请向店员索取最新的二维码。",
  "msg.poster.body": "这张海报已停用,请在附近寻找最新的海报。",
  "msg.invalid.title": "链接无效",
  "msg.invalid.body": "二维码可能已损坏或未完整扫描,请拿稳手机重新扫描。",
  "msg.slowDown.title": "尝试次数过多",
  "msg.slowDown.body": "您的网络刚刚尝试的次数过多。请等待一分钟后再试。",
};

const CATALOG: Record<Lang, Record<MessageKey, string>> = { en: EN, zh: ZH };

/**
 * The page language from an `Accept-Language` header: the supported language with the highest
 * q-value wins (ties go to the earlier entry); any `zh` tag (zh-CN, zh-Hans, zh-TW, …) means
 * Simplified Chinese; anything else, or nothing, means English.
 *
 * @example
 * pickLanguage("zh-CN,zh;q=0.9,en;q=0.8"); // "zh"
 * pickLanguage("en-US,zh;q=0.9");          // "en"
 * pickLanguage("fr-FR,zh-TW;q=0.5");       // "zh" (French is not offered)
 * pickLanguage(null);                      // "en"
 * // WeChat's browser may send no Accept-Language; its User-Agent says the app's language:
 * pickLanguage(null, "Mozilla/5.0 … MicroMessenger/8.0.47 NetType/WIFI Language/zh_CN"); // "zh"
 */
export function pickLanguage(
  acceptLanguage: string | null | undefined,
  userAgent?: string | null,
): Lang {
  if (!acceptLanguage?.trim()) return userAgentLanguage(userAgent) ?? "en";
  let best: Lang = "en";
  let bestQ = 0;
  // Bounded: a header with hundreds of entries is not a browser.
  for (const part of acceptLanguage.slice(0, 1000).split(",", 50)) {
    const [tagRaw = "", ...params] = part.split(";");
    const tag = tagRaw.trim().toLowerCase();
    const lang: Lang | null = /^zh(?:-|$)/.test(tag) ? "zh" : /^en(?:-|$)/.test(tag) ? "en" : null;
    if (!lang) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    if (q > bestQ) {
      best = lang;
      bestQ = q;
    }
  }
  return best;
}

/**
 * The language an in-app browser states in its User-Agent (`Language/zh_CN` in WeChat,
 * `Language/zh-TW`, `Language/en`), when it is one we offer; else null.
 *
 * @example
 * userAgentLanguage("… MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN") // "zh"
 */
export function userAgentLanguage(userAgent: string | null | undefined): Lang | null {
  const m = /\bLanguage\/([a-z]{2})(?:[-_][0-9a-z]+)*/i.exec(userAgent?.slice(0, 1000) ?? "");
  const lang = m ? m[1]!.toLowerCase() : null;
  return lang === "zh" || lang === "en" ? lang : null;
}

/**
 * A message in a language, with `{name}` placeholders filled from `vars` (unknown placeholders
 * stay as written). The result is plain text: escape it when writing HTML.
 *
 * @example
 * t("en", "open.button", { app: "Acme" }); // "Open in Acme"
 * t("zh", "open.button", { app: "Acme" }); // "在 Acme 中打开"
 */
export function t(lang: Lang, key: MessageKey, vars?: Record<string, string>): string {
  const text = (CATALOG[lang] ?? EN)[key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? vars[name]! : whole,
  );
}
