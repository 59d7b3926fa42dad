// The console's languages: every one has every word of the script (src/client/console/words/)
// and of the server-written frame (src/pages/console-words/), with the placeholders English has,
// the language switch offers exactly CONSOLE_LANGS, the build makes a words file for each, and
// the print picker can default to each.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { words } from "../../src/client/console/words.js";
import { htmlLang, languageSwitch } from "../../src/pages/console-shell";
import { CONSOLE_PAGE_WORDS } from "../../src/pages/console-words";
import { CONSOLE_LANGS, SCAN_LANGS } from "../../src/pages/i18n";
import { PRINT_LANGS } from "../../src/pages/print-constants";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Every key of `en` in `other`, none more, none empty, with the same placeholders. */
function expectSameWords(en: Record<string, string>, other: Record<string, string>, where: string) {
  expect(Object.keys(other).sort(), where).toEqual(Object.keys(en).sort());
  for (const [key, text] of Object.entries(en)) {
    const theirs = other[key] ?? "";
    expect(theirs.trim(), `${where} ${key}`).not.toBe("");
    expect(placeholders(theirs), `${where} ${key}`).toEqual(placeholders(text));
  }
}

describe("the console's languages", () => {
  it("lists its languages in the order the scan pages, widget and cards share", () => {
    const offered = new Set<string>(CONSOLE_LANGS);
    expect([...CONSOLE_LANGS]).toEqual(SCAN_LANGS.filter((l) => offered.has(l)));
    expect(CONSOLE_LANGS[0]).toBe("en");
  });

  it("has the script's words for exactly CONSOLE_LANGS, in their order", () => {
    expect(Object.keys(words)).toEqual([...CONSOLE_LANGS]);
  });

  it.each(CONSOLE_LANGS.filter((l) => l !== "en"))(
    "has every word of the script in %s, with English's placeholders",
    (lang) => {
      expectSameWords(words.en, words[lang]!, lang);
    },
  );

  it.each(CONSOLE_LANGS.filter((l) => l !== "en"))(
    "has every server-written word in %s, with English's placeholders",
    (lang) => {
      const en = CONSOLE_PAGE_WORDS.en;
      const theirs = CONSOLE_PAGE_WORDS[lang];
      expectSameWords(en.shell, theirs.shell, `${lang} shell`);
      expectSameWords(en.funnel, theirs.funnel, `${lang} funnel`);
    },
  );

  it("names each language in itself, each name once", () => {
    const names = CONSOLE_LANGS.map((l) => CONSOLE_PAGE_WORDS[l].name);
    expect(new Set(names).size).toBe(CONSOLE_LANGS.length);
    expect(CONSOLE_PAGE_WORDS.en.name).toBe("English");
    for (const lang of CONSOLE_LANGS)
      if (lang !== "en") expect(CONSOLE_PAGE_WORDS[lang].name, lang).not.toBe("English");
  });

  it("offers every console language in the switch, by its own name, the page's selected", () => {
    const markup = String(languageSwitch(CONSOLE_LANGS.at(-1)!));
    const options = [
      ...markup.matchAll(/<option value="([^"]+)" lang="([^"]+)"( selected)?>([^<]+)</g),
    ];
    expect(options.map((m) => m[1])).toEqual([...CONSOLE_LANGS]);
    expect(options.map((m) => m[4])).toEqual(CONSOLE_LANGS.map((l) => CONSOLE_PAGE_WORDS[l].name));
    expect(options.filter((m) => m[3]).map((m) => m[1])).toEqual([CONSOLE_LANGS.at(-1)]);
    expect(options.find((m) => m[1] === "zh")?.[2]).toBe("zh-Hans");
  });

  it("writes Hebrew and Arabic right to left, the others left to right", () => {
    expect(CONSOLE_LANGS).toContain("he");
    expect(CONSOLE_LANGS).toContain("ar");
    for (const lang of CONSOLE_LANGS)
      expect(htmlLang(lang).dir, lang).toBe(lang === "he" || lang === "ar" ? "rtl" : "ltr");
  });

  it("can print in every console language (the print picker defaults to the page's)", () => {
    for (const lang of CONSOLE_LANGS) expect(PRINT_LANGS, lang).toContain(lang);
  });

  it("builds a words file for every console language but English", () => {
    const gen = readFileSync(
      new URL("../../src/client/dist/console.gen.ts", import.meta.url),
      "utf8",
    );
    const map = /CONSOLE_WORDS: [^=]+= (\{.*\});\n/.exec(gen);
    expect(map, "CONSOLE_WORDS in console.gen.ts").not.toBeNull();
    const built = JSON.parse(map![1]!) as Record<string, { file: string; js: string }>;
    expect(Object.keys(built)).toEqual(CONSOLE_LANGS.filter((l) => l !== "en"));
    for (const [lang, { file, js }] of Object.entries(built)) {
      expect(file).toMatch(new RegExp(`^console-words-${lang}\\.[0-9a-f]{12}\\.js$`));
      expect(file.length).toBeLessThanOrEqual(60); // the asset route's limit
      expect(js).toContain(`"lang":${JSON.stringify(lang)}`);
    }
  });
});
