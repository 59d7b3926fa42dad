// Which language a scan page speaks: Accept-Language with q-values, WeChat's User-Agent,
// Traditional against Simplified Chinese, the console's narrower choice, and `t`.
import { describe, expect, it, vi } from "vitest";
import { languageOfTag, pickLanguage, t, tHtml, userAgentLanguage } from "../../src/pages/i18n";

const WECHAT =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";

describe("pickLanguage", () => {
  it.each([
    ["zh-CN,zh;q=0.9", "zh"],
    ["zh-Hans-CN", "zh"],
    ["zh-SG", "zh"],
    ["zh", "zh"],
    ["zh-TW", "zh-Hant"],
    ["zh-TW,zh;q=0.9,en-US;q=0.8", "zh-Hant"],
    ["ZH-hk", "zh-Hant"],
    ["zh-HK", "zh-Hant"],
    ["zh-MO", "zh-Hant"],
    ["zh-Hant", "zh-Hant"],
    ["zh-Hans-HK", "zh"],
    ["zh-Hant-CN", "zh-Hant"],
    ["es-MX", "es"],
    ["es-ES,es;q=0.9", "es"],
    ["pt-BR", "pt"],
    ["pt-PT", "pt"],
    ["ja-JP", "ja"],
    ["ko-KR,ko;q=0.9,en;q=0.8", "ko"],
    ["he-IL", "he"],
    ["iw-IL", "he"],
    ["in-ID", "id"],
    ["ar-EG,ar;q=0.9", "ar"],
    ["th-TH", "th"],
    ["en-US,en;q=0.9,zh-CN;q=0.8", "en"],
    ["en-GB", "en"],
    // The higher q-value wins, whatever the order.
    ["fr-CA;q=0.5, de;q=0.9", "de"],
    ["de;q=1, en;q=0.4, zh;q=0.7", "de"],
    ["en;q=0.5, zh;q=0.5", "en"],
    // A language we do not offer gives way to the next best.
    ["nl-NL,sv;q=0.9,it;q=0.5", "it"],
    ["fr-FR,zh-TW;q=0.5", "fr"],
    ["zh;q=0, en;q=0.1", "en"],
    ["zh;q=0", "en"],
    ["*", "en"],
    ["*, ja;q=0.5", "ja"],
    ["zhx-CN", "en"],
    ["", "en"],
    ["%%%, <script>, ja@JP", "en"],
    ["ja;q=abc", "ja"],
  ])("%j → %s", (header, lang) => {
    expect(pickLanguage(header)).toBe(lang);
  });

  it("takes the User-Agent's language (WeChat's Language/xx_YY) only when the header is missing", () => {
    expect(pickLanguage(null, WECHAT)).toBe("zh");
    expect(pickLanguage("", WECHAT)).toBe("zh");
    expect(pickLanguage(null, WECHAT.replace("zh_CN", "zh_TW"))).toBe("zh-Hant");
    expect(pickLanguage(null, WECHAT.replace("zh_CN", "zh_HK"))).toBe("zh-Hant");
    expect(pickLanguage(null, WECHAT.replace("zh_CN", "ja"))).toBe("ja");
    expect(pickLanguage(null, WECHAT.replace("zh_CN", "ko_KR"))).toBe("ko");
    expect(pickLanguage(null, WECHAT.replace("zh_CN", "en"))).toBe("en");
    expect(pickLanguage(null, WECHAT.replace("zh_CN", "nl_NL"))).toBe("en");
    expect(pickLanguage("en-US", WECHAT)).toBe("en"); // the header, when sent, decides
    expect(pickLanguage("es", WECHAT.replace("zh_CN", "ja"))).toBe("es");
    expect(userAgentLanguage("Mozilla/5.0 (Linux; Android 14) Chrome/126.0")).toBeNull();
    expect(userAgentLanguage("NoLanguage/zh")).toBeNull();
    expect(userAgentLanguage(`${"x".repeat(2000)} Language/ja`)).toBeNull(); // past what is read
  });

  it("defaults to English without a header", () => {
    expect(pickLanguage(null)).toBe("en");
    expect(pickLanguage(undefined)).toBe("en");
    expect(pickLanguage("   ")).toBe("en");
  });

  it("survives a hostile or over-long header", () => {
    expect(pickLanguage(`${"x,".repeat(10_000)}ja`)).toBe("en"); // only the first entries count
    expect(pickLanguage(`${"a".repeat(5000)},ja`)).toBe("en"); // only the first 1000 characters
    expect(pickLanguage(`${"nl;q=0.1,".repeat(40)}ja;q=0.2`)).toBe("ja"); // within the bounds
    expect(pickLanguage(`ja-${"x".repeat(20)}`)).toBe("en"); // not a tag: a subtag of 20
    expect(pickLanguage("zh;q=abc")).toBe("zh");
    expect(pickLanguage("__proto__, constructor, toString")).toBe("en");
  });

  it("narrows to what is offered: with English and Simplified Chinese, Traditional reads Simplified", () => {
    const EN_ZH = ["en", "zh"] as const;
    expect(pickLanguage("zh-TW", null, EN_ZH)).toBe("zh");
    expect(pickLanguage("zh-HK,en;q=0.5", null, EN_ZH)).toBe("zh");
    expect(pickLanguage("ja-JP,zh;q=0.5", null, EN_ZH)).toBe("zh");
    expect(pickLanguage("fr-FR,en;q=0.2,zh;q=0.1", null, EN_ZH)).toBe("en");
    expect(pickLanguage("ar", null, EN_ZH)).toBe("en");
    expect(pickLanguage(null, WECHAT.replace("zh_CN", "zh_TW"), EN_ZH)).toBe("zh");
  });
});

describe("languageOfTag", () => {
  it.each([
    ["zh-Hant-TW", "zh-Hant"],
    ["zh_TW", "zh-Hant"],
    ["zh-yue-HK", "zh-Hant"],
    ["ZH-HANS", "zh"],
    ["vi-VN", "vi"],
    ["tr", "tr"],
    ["ru-RU", "ru"],
    ["nl", null],
    ["e", null],
    ["*", null],
    ["en-", null],
  ])("%j → %s", (tag, lang) => {
    expect(languageOfTag(tag)).toBe(lang);
  });
});

describe("t", () => {
  it("fills placeholders in both built-in languages", () => {
    expect(t("en", "open.button", { app: "Acme" })).toBe("Open in Acme");
    expect(t("zh", "open.button", { app: "Acme" })).toBe("在 Acme 中打开");
  });

  it("leaves unknown placeholders and does not interpret values", () => {
    expect(t("en", "expiry.in")).toBe("This code expires in {time}.");
    expect(t("en", "open.button", { app: "{app}$&" })).toBe("Open in {app}$&");
  });

  it("reads English for a language whose catalog is not loaded", async () => {
    // The unit files share modules: a fresh copy has only the built-in catalogs.
    vi.resetModules();
    const fresh = await import("../../src/pages/i18n");
    expect(fresh.hasWords("ja")).toBe(false);
    expect(fresh.t("ja", "open.button", { app: "Acme" })).toBe("Open in Acme");
    expect(fresh.t("ar", "doc.lang")).toBe("en");
    expect(fresh.t("ar", "doc.dir")).toBe("ltr");
  });
});

describe("tHtml", () => {
  it("escapes the text and isolates each value in <bdi>", () => {
    expect(tHtml("en", "poster.from", { store: '<img src=x onerror="1">' }).value).toBe(
      "From <bdi>&lt;img src=x onerror=&quot;1&quot;&gt;</bdi>",
    );
    expect(tHtml("en", "msg.notFound.title", {}).value).toBe("Link not found");
    expect(tHtml("en", "msg.invalid.title", {}).value).toBe("This link isn&#39;t valid");
    expect(tHtml("en", "open.button", {}).value).toBe("Open in {app}");
  });
});
