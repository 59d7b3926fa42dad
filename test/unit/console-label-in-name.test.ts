// A button named for a screen reader ("Roll the key Till 3") must hold the words it shows
// ("Roll"): a voice-control user says what they see (WCAG 2.5.3, axe's
// label-content-name-mismatch). Every console language, every `…Named` word with a visible twin.
import { describe, expect, it } from "vitest";
import { words } from "../../src/client/console/words.js";

describe("console buttons: the visible label is in the accessible name", () => {
  it("holds in every language", () => {
    const pairs = Object.keys(words.en).filter(
      (k) => k.endsWith("Named") && k.slice(0, -"Named".length) in words.en,
    );
    expect(pairs).toEqual(expect.arrayContaining(["key.rollNamed", "key.editNamed"]));
    for (const [lang, w] of Object.entries(words) as [string, Record<string, string>][])
      for (const named of pairs) {
        const shown = w[named.slice(0, -"Named".length)]!.toLocaleLowerCase(lang);
        const name = w[named]!.replace("{name}", "Till 3").toLocaleLowerCase(lang);
        expect(name, `${lang} ${named}`).toContain(shown);
      }
  });
});
