// Every catalog of the scan pages is complete: each language has every key, with the same
// {placeholders} as English, its own tag and direction, and words of its own.
import { describe, expect, it, vi } from "vitest";
import { type Lang, MESSAGE_KEYS, SCAN_LANGS } from "../../src/pages/i18n";
import { EN } from "../../src/pages/words/en";
import { ZH } from "../../src/pages/words/zh";
import { SCAN_WORDS } from "../../src/scan-words-kit";

const CATALOGS: Record<Lang, Record<string, string>> = { en: EN, zh: ZH, ...SCAN_WORDS };
const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();

// Keys whose text may equal the English one (a tag, a direction, a word borrowed as is).
const SAME_AS_ENGLISH_ALLOWED = new Set(["doc.dir", "expiry.minutes", "entry.label"]);

describe("the scan pages' catalogs", () => {
  it("cover the shared language list, in its order", () => {
    expect(SCAN_LANGS).toEqual([
      "en",
      "zh",
      "zh-Hant",
      "ja",
      "ko",
      "es",
      "fr",
      "de",
      "pt",
      "it",
      "id",
      "vi",
      "th",
      "tr",
      "ru",
      "he",
      "ar",
    ]);
    expect(Object.keys(CATALOGS).sort()).toEqual([...SCAN_LANGS].sort());
  });

  it.each(SCAN_LANGS.filter((lang) => lang !== "en"))(
    "%s has every key, the same placeholders, and its own words",
    (lang) => {
      const words = CATALOGS[lang];
      expect(Object.keys(words).sort()).toEqual([...MESSAGE_KEYS].sort());
      let own = 0;
      for (const key of MESSAGE_KEYS) {
        const text = words[key]!;
        expect(text.trim(), `${lang} ${key}`).not.toBe("");
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(EN[key]));
        // No stray braces: a typo such as "{ app}" or "{app" would show as is.
        expect(text.replace(/\{\w+\}/g, ""), `${lang} ${key}`).not.toMatch(/[{}]/);
        // The guide draws its "···" as the menu's key cap (landing.ts): a sentence without it
        // would name a button the reader cannot find.
        expect(text.split("···").length, `${lang} ${key} ···`).toBe(EN[key].split("···").length);
        if (text !== EN[key]) own++;
        else expect(SAME_AS_ENGLISH_ALLOWED.has(key), `${lang} ${key} is English`).toBe(true);
      }
      expect(own).toBeGreaterThan(MESSAGE_KEYS.length - SAME_AS_ENGLISH_ALLOWED.size - 1);
    },
  );

  it("name their own tag, and only Hebrew and Arabic read right to left", () => {
    for (const lang of SCAN_LANGS) {
      expect(CATALOGS[lang]["doc.lang"]).toBe(lang === "zh" ? "zh-Hans" : lang);
      expect(CATALOGS[lang]["doc.dir"]).toBe(lang === "he" || lang === "ar" ? "rtl" : "ltr");
    }
  });

  it("reach t once the kit's words are added", async () => {
    // The unit files share modules: a fresh copy has only the built-in catalogs.
    vi.resetModules();
    const { addWords, hasWords, t, textDirection } = await import("../../src/pages/i18n");
    expect(hasWords("ar")).toBe(false);
    expect(textDirection("ar")).toBe("ltr"); // English until then, as a whole
    addWords(SCAN_WORDS);
    for (const lang of SCAN_LANGS) expect(hasWords(lang)).toBe(true);
    expect(t("ja", "open.button", { app: "Acme" })).toBe("Acmeで開く");
    expect(t("zh-Hant", "copy.button")).toBe("複製連結");
    expect(textDirection("ar")).toBe("rtl");
    expect(textDirection("he")).toBe("rtl");
    expect(textDirection("th")).toBe("ltr");
  });
});
