// Red team on the scan pages' languages (src/pages/i18n.ts), as an odd client or a hostile
// store name would try them: q-values outside the grammar, odd tags, and values that reach a
// translated sentence in every language (markup, placeholders, bidi controls).
import { beforeAll, describe, expect, it } from "vitest";
import {
  addWords,
  type Lang,
  languageOfTag,
  MESSAGE_KEYS,
  pickLanguage,
  SCAN_LANGS,
  sentenceValue,
  t,
  tHtml,
} from "../../src/pages/i18n";
import { SCAN_WORDS } from "../../src/scan-words-kit";

beforeAll(() => addWords(SCAN_WORDS));

// The explicit bidi controls: embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;

describe("Accept-Language q-values outside the grammar", () => {
  it.each([
    // A q below every other must not win because it has four digits or a sign.
    ["ja;q=0.0001,es;q=0.5", "es"],
    ["ja;q=-1,es;q=0.5", "es"],
    ["ja;q=-0.5,es;q=0.001", "es"],
    ["ja;q=1e-9,es;q=0.5", "es"],
    // Above 1 is 1: the earlier of two equals wins, as it does for q=1.
    ["es,ja;q=1.5", "es"],
    ["es,ja;q=1e999", "es"],
    ["es,ja;q=2", "es"],
    ["ja;q=1e999,es", "ja"],
    // Not a number at all: ignored, the entry keeps its q of 1.
    ["ja;q=NaN", "ja"],
    ["ja;q=Infinity,es;q=0.5", "ja"],
    ["ja;q=,es;q=0.5", "ja"],
    // q=0 (in any notation) means "not this one".
    ["ja;q=0e5", "en"],
    ["ja;q=-0", "en"],
    ["ja;q=.0,es;q=.2", "es"],
  ])("%j → %s", (header, lang) => {
    expect(pickLanguage(header)).toBe(lang);
  });
});

describe("odd tags", () => {
  it.each([
    ["*", null],
    ["i-default", null],
    ["x-klingon", null],
    ["zh-Hant-TW-u-nu-hanidec", "zh-Hant"],
    ["ZH-hans-tw", "zh"],
    ["he-IL-u-ca-hebrew", "he"],
    ["ar-u-nu-arab", "ar"],
    ["__proto__", null],
    ["hasOwnProperty", null],
    ["ja\u0000", null],
    ["ja-JP\u202e", null],
    ["", null],
  ])("%j → %s", (tag, lang) => {
    expect(languageOfTag(tag)).toBe(lang);
  });

  it("a wildcard, a private-use or a grandfathered tag gives way to the next offered one", () => {
    expect(pickLanguage("*, x-klingon, i-default, ko;q=0.1")).toBe("ko");
    expect(pickLanguage("*;q=1")).toBe("en");
  });

  it("a header of nested and repeated parameters still picks by q", () => {
    expect(pickLanguage(`ja;${"x=1;".repeat(200)}q=0.1,es;q=0.2`)).toBe("es");
    expect(pickLanguage(`ja;q=0.9;q=0.1,es;q=0.2`)).toBe("es"); // the last q of an entry holds
    expect(pickLanguage("-".repeat(900))).toBe("en");
    expect(pickLanguage(`${"a-".repeat(400)}ja`)).toBe("en");
  });
});

describe("a value in a translated sentence, in every language", () => {
  // Every message with a placeholder, in every language, with every value the key names.
  const cases = SCAN_LANGS.flatMap((lang) =>
    MESSAGE_KEYS.filter((key) => /\{\w+\}/.test(t("en", key))).map((key) => [lang, key] as const),
  );
  const namesOf = (lang: Lang, key: (typeof MESSAGE_KEYS)[number]) =>
    [...t(lang, key).matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

  it("there are such messages in every language (the test reaches them)", () => {
    for (const lang of SCAN_LANGS) {
      expect(cases.filter(([l]) => l === lang).length, lang).toBeGreaterThan(3);
    }
  });

  it("markup, a closing </bdi> and placeholders in a value stay text, substituted once", () => {
    const hostile = `</bdi><script>x()</script>{store}{app}{time}"'&`;
    const escaped =
      "&lt;/bdi&gt;&lt;script&gt;x()&lt;/script&gt;{store}{app}{time}&quot;&#39;&amp;";
    for (const [lang, key] of cases) {
      const names = namesOf(lang, key);
      const vars = Object.fromEntries(names.map((n) => [n, hostile]));
      const out = tHtml(lang, key, vars).value;
      expect(out, `${lang} ${key}`).not.toMatch(/<script|<\/bdi><script/);
      // Each placeholder once, each value isolated once: the page's bdi, balanced.
      expect(out.split("<bdi>").length - 1, `${lang} ${key}`).toBe(names.length);
      expect(out.split("</bdi>").length - 1, `${lang} ${key}`).toBe(names.length);
      expect(out.split(escaped).length - 1, `${lang} ${key}`).toBe(names.length);
      // The plain text: the value as given, once per placeholder, never filled in again.
      const plain = t(lang, key, vars);
      expect(plain.split(hostile).length - 1, `${lang} ${key}`).toBe(names.length);
    }
  });

  it("a stray isolate end and an override cannot leave the value's <bdi> (a code read backwards)", () => {
    // U+2069 ends the isolate the browser draws <bdi> as; U+202E after it would turn the rest
    // of the sentence right to left: "ABC-123" shown as "321-CBA".
    const spoof = "Main St.\u2069\u202e";
    for (const [lang, key] of cases) {
      const vars = Object.fromEntries(namesOf(lang, key).map((n) => [n, spoof]));
      const out = tHtml(lang, key, vars).value;
      expect(BIDI.test(out), `${lang} ${key}`).toBe(false);
      expect(out, `${lang} ${key}`).toContain("<bdi>Main St.</bdi>");
      expect(BIDI.test(t(lang, key, vars)), `${lang} ${key}`).toBe(false);
    }
  });

  it("every explicit control goes; marks and letters of any script stay", () => {
    const all = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069";
    expect(sentenceValue(`a${all}b`)).toBe("ab");
    expect(sentenceValue("חנות\u200f 24")).toBe("חנות\u200f 24");
    expect(sentenceValue("متجر\u061c 7")).toBe("متجر\u061c 7");
    expect(sentenceValue("渋谷店")).toBe("渋谷店");
  });

  it("prototype names are no values", () => {
    const out = tHtml("ar", "poster.from", {}).value;
    expect(out).toContain("{store}");
    expect(t("he", "poster.from", Object.create({ store: "inherited" }))).toContain("{store}");
  });
});
