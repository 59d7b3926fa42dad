// Red team on the scan pages' languages (src/pages/i18n.ts), as an odd client or a hostile
// store name would try them: q-values outside the grammar, odd tags, and values that reach a
// translated sentence in every language (markup, placeholders, bidi controls).
import { describe, expect, it } from "vitest";
import { languageOfTag, pickLanguage } from "../../src/pages/i18n";

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
