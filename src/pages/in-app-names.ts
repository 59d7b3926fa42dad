/**
 * The names people in China, Taiwan and Hong Kong call the in-app browsers that block app links
 * (device.ts names them in English).
 */
import type { InAppBrowser } from "../core/device";
import type { Lang } from "./i18n";

// What people call these apps in Chinese (device.ts names them in English), in Simplified and
// Traditional characters.
const ZH_APP_NAMES: Partial<Record<InAppBrowser, string>> = {
  wechat: "微信",
  wecom: "企业微信",
  weibo: "微博",
  alipay: "支付宝",
  taobao: "淘宝",
  dingtalk: "钉钉",
  feishu: "飞书",
  douyin: "抖音",
  xiaohongshu: "小红书",
};
const ZH_HANT_APP_NAMES: Partial<Record<InAppBrowser, string>> = {
  wechat: "微信",
  wecom: "企業微信",
  weibo: "微博",
  alipay: "支付寶",
  taobao: "淘寶",
  dingtalk: "釘釘",
  feishu: "飛書",
  douyin: "抖音",
  xiaohongshu: "小紅書",
};

/**
 * What the open-in-browser guide calls an in-app browser: its Chinese name on a Chinese page,
 * null elsewhere (the page then uses the English name device.ts gives it).
 *
 * @example
 * inAppName("zh-Hant", "alipay"); // "支付寶"
 * inAppName("ja", "wechat");      // null
 */
export function inAppName(lang: Lang, app: InAppBrowser | null | undefined): string | null {
  if (!app) return null;
  if (lang === "zh") return ZH_APP_NAMES[app] ?? null;
  if (lang === "zh-Hant") return ZH_HANT_APP_NAMES[app] ?? null;
  return null;
}
