// Combining marks in the shaped scripts' faces through the real Worker and glyph packs: a lone
// Syriac, Thaana or N'Ko vowel sign after a Latin letter and a Devanagari one at the start of a
// Hebrew line are shaped with their script's face, which has them (they printed as boxes, and
// the console did not warn: a mark is no letter); an Arabic mark a Syriac or Thaana face lacks
// is not drawn, as harakat in an Arabic name are not (it printed a box); a letter no face has
// still prints its box.
import wasm from "harfbuzzjs/dist/harfbuzz.wasm";
import { describe, expect, it } from "vitest";
import deva from "../../node_modules/@expo-google-fonts/noto-sans-devanagari/700Bold/NotoSansDevanagari_700Bold.ttf?inline";
import nkoo from "../../node_modules/@expo-google-fonts/noto-sans-nko/400Regular/NotoSansNKo_400Regular.ttf?inline";
import syrc from "../../node_modules/@expo-google-fonts/noto-sans-syriac/700Bold/NotoSansSyriac_700Bold.ttf?inline";
import thaa from "../../node_modules/@expo-google-fonts/noto-sans-thaana/700Bold/NotoSansThaana_700Bold.ttf?inline";
import { pdfTexts, readPdf } from "../pdf-reader";
import { loadHarfBuzz } from "../support/harfbuzz";
import {
  fontBytes,
  glyphOutline,
  nameOutlines,
  nameUses,
  notdefPath,
  storeCard,
} from "./print-card-helpers";

const FACES = ["sc-700", "latn-700", "he-700", "ar-700", "syrc-700", "thaa-700", "nkoo-400"];
const boxesOf = async (svg: string) => {
  const boxes = await Promise.all([...FACES, "deva-700", "telu-700"].map(notdefPath));
  return nameOutlines(svg).filter((d) => boxes.includes(d)).length;
};
/** The outlines HarfBuzz draws for `text` with the whole font, ink only, in `face`'s pack. */
async function inkOf(font: string, face: string, text: string) {
  const hb = await loadHarfBuzz(wasm, fontBytes(font));
  const outlines = await Promise.all(hb.shape(text).map((g) => glyphOutline(face, g.gid)));
  return outlines.filter((o) => o !== "");
}
/** Where HarfBuzz puts each inked glyph of `text` (whole font), as `x y outline`, sorted. */
async function placesOf(font: string, face: string, text: string) {
  const hb = await loadHarfBuzz(wasm, fontBytes(font));
  let pen = 0;
  const out: string[] = [];
  for (const g of hb.shape(text)) {
    const outline = await glyphOutline(face, g.gid);
    if (outline) out.push(`${pen + g.xOffset} ${g.yOffset} ${outline}`);
    pen += g.xAdvance;
  }
  return out.sort();
}
/** The store name's glyphs a card's SVG draws, as `x y outline`, sorted. */
function placed(svg: string) {
  const uses = nameUses(svg);
  return nameOutlines(svg)
    .map((outline, i) => `${uses[i]!.x} ${uses[i]!.y} ${outline}`)
    .sort();
}
async function pdfLine(name: string) {
  const bytes = new Uint8Array(await (await storeCard(name, "en", "print.pdf")).arrayBuffer());
  const { pages, fonts } = await readPdf(bytes);
  return pdfTexts(pages[0]!.content, fonts)[0]!;
}

describe("a lone mark of a shaped script after a letter of the other direction", () => {
  const cases = [
    ["Cafe\u0730", "\u0730", syrc, "syrc-700", /\+NotoSansSyriac-Bold$/],
    ["Bar\u07a6", "\u07a6", thaa, "thaa-700", /\+NotoSansThaana-Bold$/],
    ["Cafe\u07eb", "\u07eb", nkoo, "nkoo-400", /\+NotoSansNKo-Regular$/],
    ["\u093eשלום", "\u093e", deva, "deva-700", /\+NotoSansDevanagari-Bold$/],
  ] as const;

  it.each(cases)(
    "%j prints its mark from its script's face, no box",
    async (name, mark, font, face, pdf) => {
      const svg = await (await storeCard(name, "en", "print.svg")).text();
      expect(await boxesOf(svg), name).toBe(0);
      // The mark's glyphs as HarfBuzz shapes it alone with the whole font (a Devanagari vowel
      // sign on its dotted circle) are among those the card draws.
      const drawn = nameOutlines(svg);
      const ink = await inkOf(font, face, mark);
      expect(ink.length, name).toBeGreaterThan(0);
      for (const outline of ink) expect(drawn, name).toContain(outline);
      // The PDF gives the mark back, set in that face.
      const line = await pdfLine(name);
      const run = line.runs.find((r) => r.text.includes(mark));
      expect(run?.font, name).toMatch(pdf);
      expect([...line.text].sort(), name).toEqual([...name].sort());
    },
  );
});

describe("an Arabic mark the Syriac or Thaana face lacks, on one of its letters", () => {
  it.each([
    ["ܫ\u0656ܠܡܐ", "ܫܠܡܐ", syrc, "syrc-700"], // subscript alef: Arabic only
    ["ܫ\u06d6\u05b8ܠܡܐ", "ܫܠܡܐ", syrc, "syrc-700"], // a Quranic mark and a Hebrew point
    ["ܫ\u064e\u0656ܠܡܐ", "ܫ\u064eܠܡܐ", syrc, "syrc-700"], // with a fatha the face has
    ["ދ\u064eިވެހި", "ދިވެހި", thaa, "thaa-700"], // a fatha: the Thaana face has none
  ] as const)(
    "%j is drawn as its letters without it, where HarfBuzz puts them, and given back whole",
    async (name, without, font, face) => {
      const svg = await (await storeCard(name, "en", "print.svg")).text();
      expect(await boxesOf(svg), name).toBe(0);
      // Each glyph of the name without the mark, at HarfBuzz's place for it (no gap where the
      // mark's box was, the letters joined as without it).
      expect(placed(svg), name).toEqual(await placesOf(font, face, without));
      const line = await pdfLine(name);
      expect([...line.text].sort(), name).toEqual([...name].sort());
    },
  );

  it("a Syriac face's own harakat are still drawn, placed by its GPOS", async () => {
    const name = "ܫ\u064eܠܡܐ";
    const svg = await (await storeCard(name, "en", "print.svg")).text();
    expect(placed(svg)).toEqual(await placesOf(syrc, "syrc-700", name));
    expect(nameOutlines(svg).length).toBeGreaterThan(
      (await inkOf(syrc, "syrc-700", "ܫܠܡܐ")).length,
    );
  });

  it("a letter no face has keeps its box, mark or not (no letter vanishes)", async () => {
    for (const name of ["ܫ\u0860\u0656", "క్\u0c5c"]) {
      const svg = await (await storeCard(name, "en", "print.svg")).text();
      expect(await boxesOf(svg), name).toBe(1);
    }
  });
});
