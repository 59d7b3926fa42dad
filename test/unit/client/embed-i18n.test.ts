// The <qr-bridge> element's languages (src/client/i18n.ts, src/client/langs/): every catalog
// complete with English's placeholders, the tag matching of the product's language list, the
// catalogs' version and the filling of a text. How a page gets a catalog it does not carry:
// embed-i18n-fetch.test.ts.
import { describe, expect, it } from "vitest";
import { I18N_VERSION } from "../../../src/client/dist/i18n.gen";
import { isRtl, LANGS, langOf, pickLang, t } from "../../../src/client/i18n";
import { CATALOGS, type Catalog, type TextKey } from "../../../src/client/langs/catalogs";
import { en } from "../../../src/client/langs/en";

const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();

describe("the catalogs", () => {
  it("are the product's languages, in its order (shared with the pages and the cards)", () => {
    const list = "en zh zh-Hant ja ko es fr de pt it id vi th tr ru he ar".split(" ");
    expect([...LANGS]).toEqual(list);
    expect(Object.keys(CATALOGS)).toEqual(list);
  });

  it("each has every English key, no other, with English's placeholders, in its own words", () => {
    const keys = Object.keys(en).sort();
    for (const lang of LANGS) {
      const texts: Record<string, unknown> = CATALOGS[lang];
      expect(Object.keys(texts).sort(), lang).toEqual(keys);
      for (const key of keys as TextKey[]) {
        const text = texts[key];
        expect(typeof text === "string" && text.trim() !== "", `${lang} ${key}`).toBe(true);
        expect(placeholders(text as string), `${lang} ${key}`).toEqual(placeholders(en[key]));
        // No stray control or isolate characters: the element adds isolates itself.
        const stray = [...(text as string)].filter((c) => {
          const code = c.codePointAt(0) ?? 0;
          return (
            code < 0x20 || (code >= 0x2066 && code <= 0x2069) || code === 0x200e || code === 0x200f
          );
        });
        expect(stray, `${lang} ${key}`).toEqual([]);
      }
      if (lang !== "en") {
        const same = (keys as TextKey[]).filter((k) => CATALOGS[lang][k] === en[k]);
        expect(same, `${lang}: texts left in English`).toEqual([]);
      }
    }
  });

  it("miss no key at compile time either", () => {
    const { warn: _warn, ...withoutWarn } = en;
    // @ts-expect-error a catalog without a key of English does not compile
    const incomplete: Catalog = withoutWarn;
    expect(Object.keys(incomplete)).not.toContain("warn");
  });

  it("are served under the version the embed asks for: the hash of their JSON", async () => {
    const json = new TextEncoder().encode(JSON.stringify(CATALOGS));
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", json));
    const hex = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(I18N_VERSION).toBe(hex.slice(0, 12));
  });
});

describe("langOf and pickLang", () => {
  it.each([
    ["en", "en"],
    ["en-GB", "en"],
    ["zh", "zh"],
    ["zh-CN", "zh"],
    ["zh-SG", "zh"],
    ["zh-Hans", "zh"],
    ["zh-Hans-HK", "zh"],
    ["zh_CN", "zh"],
    ["zh-TW", "zh-Hant"],
    ["zh-HK", "zh-Hant"],
    ["zh-MO", "zh-Hant"],
    ["zh-Hant", "zh-Hant"],
    ["zh-Hant-CN", "zh-Hant"],
    ["ZH-tw", "zh-Hant"],
    ["zh_TW", "zh-Hant"],
    ["ja-JP", "ja"],
    ["ko-KR", "ko"],
    ["es-419", "es"],
    ["es-ES", "es"],
    ["fr-CA", "fr"],
    ["de-AT", "de"],
    ["pt-BR", "pt"],
    ["pt-PT", "pt"],
    ["it", "it"],
    ["id-ID", "id"],
    ["in", "id"],
    ["vi-VN", "vi"],
    ["th-TH", "th"],
    ["tr-TR", "tr"],
    ["ru-RU", "ru"],
    ["he-IL", "he"],
    ["iw", "he"],
    ["ar-EG", "ar"],
    ["nl-NL", "en"],
    ["xx", "en"],
    ["zhx", "en"],
    ["-", "en"],
    ["../ja", "en"],
  ])("%j → %s", (tag, lang) => {
    expect(langOf(tag)).toBe(lang);
  });

  it("the element's lang first, then the page's, then the browser's; the first given decides", () => {
    expect(pickLang("ja", "de", "fr")).toBe("ja");
    expect(pickLang(null, "de", "fr")).toBe("de");
    expect(pickLang("", "", "pt-BR")).toBe("pt");
    expect(pickLang(null, undefined, undefined)).toBe("en");
    // A page that says it is Dutch gets English, not the browser's Japanese.
    expect(pickLang(null, "nl", "ja-JP")).toBe("en");
  });

  it("he and ar are right to left, the rest left to right", () => {
    expect(LANGS.filter(isRtl)).toEqual(["he", "ar"]);
  });
});

describe("t", () => {
  it("fills placeholders; in a right-to-left language each value is isolated", () => {
    expect(t(CATALOGS.en, "scanned", { device: "iOS 17.5" })).toBe(
      "Scanned on iOS 17.5. Continue on your phone.",
    );
    expect(t(CATALOGS.he, "scanned", { device: "iOS 17.5" }, true)).toBe(
      "נסרק במכשיר \u2068iOS 17.5\u2069. המשיכו בטלפון.",
    );
    expect(t(CATALOGS.ar, "expiresIn", { t: "1:05" }, true)).toBe(
      "تنتهي الصلاحية خلال \u20681:05\u2069",
    );
  });

  it("leaves a missing value empty and does not interpret values; blank while texts are on their way", () => {
    expect(t(CATALOGS.en, "error")).toBe("Could not create a code ().");
    expect(t(CATALOGS.en, "error", { code: "$&{code}" })).toBe(
      "Could not create a code ($&{code}).",
    );
    expect(t(null, "pending")).toBe("");
  });
});
