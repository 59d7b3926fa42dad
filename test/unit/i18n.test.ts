import { describe, expect, it } from "vitest";
import { MESSAGE_KEYS, pickLanguage, t, userAgentLanguage } from "../../src/pages/i18n";

describe("pickLanguage", () => {
  it.each([
    ["zh-CN,zh;q=0.9", "zh"],
    ["zh-Hans-CN", "zh"],
    ["zh-TW,zh;q=0.9,en-US;q=0.8", "zh"],
    ["ZH-hk", "zh"],
    ["zh", "zh"],
    ["en-US,en;q=0.9,zh-CN;q=0.8", "en"],
    ["en-GB", "en"],
    ["fr-FR,fr;q=0.9", "en"],
    ["fr-FR,zh-CN;q=0.5", "zh"],
    ["de;q=1, en;q=0.4, zh;q=0.7", "zh"],
    ["en;q=0.5, zh;q=0.5", "en"],
    ["zh;q=0, en;q=0.1", "en"],
    ["zh;q=0", "en"],
    ["*", "en"],
    ["zhx-CN", "en"],
    ["", "en"],
  ])("%j → %s", (header, lang) => {
    expect(pickLanguage(header)).toBe(lang);
  });

  it("takes the User-Agent's language (WeChat's Language/zh_CN) only when the header is missing", () => {
    const wechat =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";
    expect(pickLanguage(null, wechat)).toBe("zh");
    expect(pickLanguage("", wechat)).toBe("zh");
    expect(pickLanguage(null, wechat.replace("zh_CN", "zh_TW"))).toBe("zh");
    expect(pickLanguage(null, wechat.replace("zh_CN", "en"))).toBe("en");
    expect(pickLanguage(null, wechat.replace("zh_CN", "fr_FR"))).toBe("en");
    expect(pickLanguage("en-US", wechat)).toBe("en"); // the header, when sent, decides
    expect(userAgentLanguage("Mozilla/5.0 (Linux; Android 14) Chrome/126.0")).toBeNull();
    expect(userAgentLanguage("NoLanguage/zh")).toBeNull();
  });

  it("defaults to English without a header", () => {
    expect(pickLanguage(null)).toBe("en");
    expect(pickLanguage(undefined)).toBe("en");
  });

  it("survives a hostile header", () => {
    expect(pickLanguage(`${"x,".repeat(10_000)}zh`)).toBe("en");
    expect(pickLanguage("zh;q=abc")).toBe("zh");
  });
});

describe("t", () => {
  it("fills placeholders in both languages", () => {
    expect(t("en", "open.button", { app: "Acme" })).toBe("Open in Acme");
    expect(t("zh", "open.button", { app: "Acme" })).toBe("在 Acme 中打开");
  });

  it("leaves unknown placeholders and does not interpret values", () => {
    expect(t("en", "expiry.in")).toBe("This code expires in {time}.");
    expect(t("en", "open.button", { app: "{app}$&" })).toBe("Open in {app}$&");
  });

  it("has a Chinese text for every key, with the same placeholders", () => {
    expect(MESSAGE_KEYS.length).toBeGreaterThan(30);
    for (const key of MESSAGE_KEYS) {
      const en = t("en", key).match(/\{\w+\}/g) ?? [];
      const zh = t("zh", key).match(/\{\w+\}/g) ?? [];
      expect(zh.sort(), key).toEqual(en.sort());
      expect(t("zh", key), key).not.toBe(t("en", key));
    }
  });
});
