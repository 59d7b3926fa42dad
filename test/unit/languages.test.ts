// The product's one language list (core/languages.ts) and the copy the browser code keeps: the
// <qr-bridge> element cannot import the Worker's modules, so this test is what keeps its list
// the same as the pages', the console's and the cards'.
import { describe, expect, it } from "vitest";
import { isRtl, LANGS, langOf } from "../../src/client/i18n";
import { CATALOGS } from "../../src/client/langs/catalogs";
import { LANGUAGES, RIGHT_TO_LEFT } from "../../src/core/languages";
import { htmlLang } from "../../src/pages/console-shell";
import { CONSOLE_LANGS, languageOfTag, SCAN_LANGS } from "../../src/pages/i18n";
import { PRINT_LANGS } from "../../src/pages/print-constants";
import { EN } from "../../src/pages/words/en";
import { ZH } from "../../src/pages/words/zh";
import { SCAN_WORDS } from "../../src/scan-words-kit";

describe("the language list", () => {
  it("is the widget's, with a catalog for each, in the same order", () => {
    expect([...LANGS]).toEqual([...LANGUAGES]);
    expect(Object.keys(CATALOGS)).toEqual([...LANGUAGES]);
  });

  it("is what the scan pages, the console and the cards offer", () => {
    for (const list of [SCAN_LANGS, CONSOLE_LANGS, PRINT_LANGS]) expect(list).toBe(LANGUAGES);
  });

  it("writes the same languages right to left on every surface", () => {
    const scanWords = { en: EN, zh: ZH, ...SCAN_WORDS };
    for (const lang of LANGUAGES) {
      const rtl = RIGHT_TO_LEFT.includes(lang);
      expect(isRtl(lang), `widget ${lang}`).toBe(rtl);
      expect(htmlLang(lang).dir, `console ${lang}`).toBe(rtl ? "rtl" : "ltr");
      expect(scanWords[lang]["doc.dir"], `scan pages ${lang}`).toBe(rtl ? "rtl" : "ltr");
    }
  });

  // The widget reads a tag (its lang attribute, the page's, the browser's) with its own copy of
  // the pages' rules: the same tag must give the same language (English where the pages have none).
  it.each([
    "ja",
    "JA-jp",
    "pt-BR",
    "pt_PT",
    "zh",
    "zh-CN",
    "zh-Hans-HK",
    "zh-Hant",
    "zh_TW",
    "zh-HK",
    "zh-MO",
    "zh-SG",
    "iw",
    "iw-IL",
    "in",
    "in_ID",
    "he",
    "ar-EG",
    "th-TH",
    "tr",
    "ru-RU",
    "vi",
    "ko-KR",
    "es-419",
    "fr-CA",
    "de-AT",
    "it-CH",
    "id",
    "nl",
    "en-GB",
    "yue",
    "und",
    "x",
  ])("reads the tag %s as the pages do", (tag) => {
    expect(langOf(tag)).toBe(languageOfTag(tag) ?? "en");
  });
});
