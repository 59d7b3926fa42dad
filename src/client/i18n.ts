/**
 * Texts of the `<qr-bridge>` element in English and Simplified Chinese. `{x}` is replaced;
 * `l.*` are the login mode's own wordings of a state.
 */

export type Lang = "en" | "zh";

const en = {
  alt: "QR code: scan with your phone to continue in the app",
  loading: "Creating your code…",
  pending: "Scan with your phone camera to continue in the app",
  scanned: "Scanned on {device}. Continue on your phone.",
  scannedAny: "Scanned. Continue on your phone.",
  redeemed: "Done: opened in the app.",
  expired: "This code has expired.",
  cancelled: "This code was cancelled.",
  denied: "The request was declined on the phone.",
  error: "Could not create a code ({code}).",
  paused: "Code paused while this tab is in the background.",
  awaiting_confirmation: "Allow {device} to continue in the app?",
  approved: "Allowed: continue on your phone.",
  approve: "Allow",
  deny: "Deny",
  thisPhone: "this phone",
  refresh: "Show a new code",
  expiresIn: "Expires in {t}",
  image: "Could not show the code.",
  onPhone: "On this phone? Open the app:",
  open: "Open in the app",
  "l.alt": "QR code: scan with the app on your phone to log in",
  "l.pending": "Scan with the app on your phone to log in",
  "l.scanned": "Scanned on {device}. Confirm on your phone.",
  "l.scannedAny": "Confirm on your phone.",
  "l.approved": "Approved. Signing you in…",
  "l.denied": "The login was declined on the phone.",
  warn: "Another phone also tried to scan this code. If that wasn't you, don't approve: get a new code.",
};

export type TextKey = keyof typeof en;

const zh: Record<TextKey, string> = {
  alt: "二维码：用手机扫描，在应用中继续",
  loading: "正在生成二维码…",
  pending: "请用手机相机扫码，在应用中继续",
  scanned: "已在{device}上扫描，请在手机上继续。",
  scannedAny: "已扫描，请在手机上继续。",
  redeemed: "完成：已在应用中打开。",
  expired: "二维码已过期。",
  cancelled: "二维码已取消。",
  denied: "已在手机上拒绝。",
  error: "无法生成二维码（{code}）。",
  paused: "页面在后台时二维码已暂停。",
  awaiting_confirmation: "允许{device}在应用中继续吗？",
  approved: "已允许：请在手机上继续。",
  approve: "允许",
  deny: "拒绝",
  thisPhone: "这部手机",
  refresh: "刷新二维码",
  expiresIn: "{t} 后过期",
  image: "无法显示二维码。",
  onPhone: "在手机上浏览？请打开应用：",
  open: "在应用中打开",
  "l.alt": "二维码：用手机上的 App 扫描以登录",
  "l.pending": "请用手机上的 App 扫码登录",
  "l.scanned": "已在{device}上扫描，请在手机上确认。",
  "l.scannedAny": "请在手机上确认。",
  "l.approved": "已确认，正在登录…",
  "l.denied": "已在手机上拒绝登录。",
  warn: "另一部手机也扫描了此二维码。如果不是你本人，请不要确认，并刷新二维码。",
};

const TEXTS: Record<Lang, Record<TextKey, string>> = { en, zh };

/**
 * Pick the language: the element's `lang`, else the page's, else the browser's; `zh*` → Chinese.
 *
 * @example
 * pickLang("zh-CN") // "zh"
 */
export function pickLang(...candidates: (string | null | undefined)[]): Lang {
  for (const c of candidates) if (c) return c.toLowerCase().startsWith("zh") ? "zh" : "en";
  return "en";
}

/**
 * A text in a language with its `{placeholders}` filled.
 *
 * @example
 * t("zh", "expiresIn", { t: "1:30" }) // "1:30 后过期"
 */
export function t(lang: Lang, key: TextKey, vars: Record<string, string> = {}): string {
  return (TEXTS[lang][key] ?? "").replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? "");
}

/**
 * A short name of the scanning device for "Scanned on …": its OS (or model), else nothing.
 *
 * @example
 * deviceName({ platform: "ios", os: "iOS 17.5" }) // "iOS 17.5"
 */
export function deviceName(d: unknown): string {
  if (typeof d === "string") return d;
  const o = (d ?? {}) as Record<string, unknown>;
  const v = o.model ?? o.os ?? o.name ?? o.platform;
  return typeof v === "string" && v !== "other" && v !== "desktop" ? v : "";
}
