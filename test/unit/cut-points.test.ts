// Where a card line may be cut (core/cut-points.ts), against HarfBuzz's clusters with the whole
// Noto Sans faces: a cut never falls inside a syllable HarfBuzz shapes as one, whatever the
// runtime's grapheme rules (Node's ICU and workerd's differ).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import wasm from "../../node_modules/harfbuzzjs/dist/harfbuzz.wasm";
import { cutPoints } from "../../src/core/cut-points";
import { loadHarfBuzz } from "../support/harfbuzz";
import { LONG_NAMES, SHOP_NAMES } from "../support/shaped-script-names";

const FAMILIES: Record<string, string> = {
  deva: "Devanagari",
  ...Object.fromEntries(Object.entries(SHOP_NAMES).map(([s, { family }]) => [s, family])),
};
const shaper = (script: string) => {
  const family = FAMILIES[script]!;
  const pkg = `node_modules/@expo-google-fonts/noto-sans-${family.toLowerCase()}`;
  return loadHarfBuzz(wasm, readFileSync(`${pkg}/400Regular/NotoSans${family}_400Regular.ttf`));
};

const NAMES: [string, string][] = [
  ...Object.entries(SHOP_NAMES).flatMap(([s, { words }]) =>
    words.map((w): [string, string] => [s, w]),
  ),
  ...Object.entries(LONG_NAMES),
  ["deva", "श्री गणेश स्वीट्स क्षत्रिय भोजनालय अर्द्ध"],
  ["taml", "கடைக்குப் போனேன்"],
  ["knda", "ಅಂಗಡಿಗೆ ಬನ್ನಿ"],
  ["mymr", "သင်္ချိုင်း"],
];

describe("cut points", () => {
  it.each(NAMES)("%s %s: each is where a HarfBuzz cluster starts", async (script, name) => {
    const hb = await shaper(script);
    const text = name.normalize("NFC");
    const starts = new Set(hb.shape(text).map((g) => g.cluster));
    const points = cutPoints(text);
    expect(points[0]).toBe(0);
    expect(points.at(-1)).toBe(text.length);
    for (const at of points.slice(1, -1))
      expect(starts.has(at), `${text.slice(0, at)}|${text.slice(at)}`).toBe(true);
  });

  it("keeps a syllable whole that grapheme rules may split", () => {
    // Sinhala's śrī (al-lakuna, joiner, ra), Tamil's kṣa, Kannada's śrī, Myanmar's kinzi.
    expect(cutPoints("ශ්‍රී")).toEqual([0, 5]);
    expect(cutPoints("க்ஷே")).toEqual([0, 4]);
    expect(cutPoints("ಶ್ರೀ")).toEqual([0, 4]);
    expect(cutPoints("ကော်")).toEqual([0, 4]);
    expect(cutPoints("သင်္ချိုင်း").length).toBeLessThan(5);
  });

  it("still cuts between syllables, and after a virama before a space or a joiner-less break", () => {
    expect(cutPoints("ហាងកាហ្វេ")).toEqual([0, 2, 3, 5, 9]);
    expect(cutPoints("தமிழ் கடை")).toEqual([0, 1, 3, 5, 6, 7, 9]);
    // An explicit half form (virama, non-joiner) ends its syllable.
    expect(cutPoints("क्\u200cष")).toEqual([0, 3, 4]);
  });

  it("leaves other scripts' grapheme clusters as they are", () => {
    const text = "Café ร้านกาแฟ 👨‍👩‍👧 🇯🇵";
    const graphemes = [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(text)];
    expect(cutPoints(text)).toEqual([0, ...graphemes.map((g) => g.index + g.segment.length)]);
  });
});
