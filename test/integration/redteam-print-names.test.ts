// Store names a shop (or whoever holds its key) could save that the new print languages
// mishandled, through the real Worker and glyph packs: a name holding the Private Use code
// points where the Thai face keeps its mark forms printed Thai marks the shop never typed; a
// name typed decomposed (Hangul jamo, Vietnamese with combining marks) printed boxes, as the
// fonts were loaded for the decomposed text and the card drew the composed one.
import { describe, expect, it } from "vitest";
import { pdfTexts, readPdf } from "../pdf-reader";
import { nameOutlines, notdefPath, storeCard } from "./print-card-helpers";

describe("a store name holding Private Use code points (the Thai face's forms)", () => {
  it("print.svg draws U+F748 and U+F60D as boxes, not as a raised mai ek and a tailless yo ying", async () => {
    const svg = await (await storeCard("\uf748\uf60d Cafe", "en", "print.svg")).text();
    const outlines = nameOutlines(svg);
    const box = await notdefPath("sc-700");
    // Two boxes (the English card's face leads), then the space and Cafe.
    expect(outlines.slice(0, 2)).toEqual([box, box]);
    expect(svg).toContain('aria-label="\uf748\uf60d Cafe"');
  });

  it("print.svg keeps a real ที่'s raised tone mark and draws the typed U+F748 beside it as a box", async () => {
    const svg = await (await storeCard("ที่\uf748", "th", "print.svg")).text();
    const outlines = nameOutlines(svg);
    const box = await notdefPath("th-700");
    expect(outlines).toHaveLength(4);
    expect(outlines[3]).toBe(box);
    // The raised mai ek (also at U+F748 in the Thai face) is a glyph, not the box.
    expect(outlines[2]).not.toBe(box);
    expect(outlines[2]!.length).toBeGreaterThan(0);
  });

  it("print.pdf gives the name back as typed and sets no Thai face for it", async () => {
    const name = "\uf748\uf60d Cafe";
    const res = await storeCard(name, "en", "print.pdf");
    const { pages, fonts } = await readPdf(new Uint8Array(await res.arrayBuffer()));
    const [line] = pdfTexts(pages[0]!.content, fonts);
    expect(line!.text).toBe(name);
    for (const run of line!.runs) expect(run.font, run.text).not.toMatch(/NotoSansThai/);
    // No Thai letter comes back that the shop never typed.
    expect(line!.text).not.toMatch(/[\u0e00-\u0e7f]/);
  });
});

describe("a store name typed decomposed (NFD)", () => {
  const NAMES = [
    ["ko", "\u1100\u1161\u1100\u1166 \u1109\u1165\u110b\u116e\u11af", "가게 서울"],
    ["vi", "Pho\u031b\u0309 Ha\u0300 No\u0302\u0323i", "Phở Hà Nội"],
    ["en", "Pho\u031b\u0309 Ha\u0300 No\u0302\u0323i", "Phở Hà Nội"],
  ] as const;

  it("print.svg draws every letter of it, none as a box", async () => {
    const boxes = await Promise.all(
      ["sc-700", "kr-700", "latn-700"].map((face) => notdefPath(face)),
    );
    for (const [lang, name, composed] of NAMES) {
      const svg = await (await storeCard(name, lang, "print.svg")).text();
      const outlines = nameOutlines(svg);
      expect(outlines.length, `${lang} ${composed}`).toBe([...composed.replaceAll(" ", "")].length);
      for (const box of boxes) expect(outlines, `${lang} ${composed}`).not.toContain(box);
    }
  });

  it("print.pdf gives the composed name back", async () => {
    for (const [lang, name, composed] of NAMES) {
      const res = await storeCard(name, lang, "print.pdf");
      const { pages, fonts } = await readPdf(new Uint8Array(await res.arrayBuffer()));
      expect(pdfTexts(pages[0]!.content, fonts)[0]!.text, lang).toBe(composed);
    }
  });
});
