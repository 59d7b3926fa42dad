// Store names in Devanagari (Hindi, Marathi, Nepali) through the real Worker and glyph packs:
// shaped by HarfBuzz in the print kit, each glyph the one HarfBuzz picks with the whole Noto
// Sans Devanagari (the packs shape with its tables only), drawn with the pack's outline for that
// glyph id, marks placed where GPOS puts them, and the PDF giving the name back as written.
import wasm from "harfbuzzjs/dist/harfbuzz.wasm";
import { describe, expect, it } from "vitest";
import deva from "../../node_modules/@expo-google-fonts/noto-sans-devanagari/700Bold/NotoSansDevanagari_700Bold.ttf?inline";
import { GLYPH_ID_BASE } from "../../src/core/glyph-pack";
import { pdfTexts, readPdf } from "../pdf-reader";
import { loadHarfBuzz, type ShapedGlyph } from "../support/harfbuzz";
import {
  fontBytes,
  glyphOutline,
  nameOutlines,
  nameUses,
  notdefPath,
  storeCard,
} from "./print-card-helpers";

/** HarfBuzz with the whole bold font (outlines and all), as a desktop app would shape. */
const whole = loadHarfBuzz(wasm, fontBytes(deva));

/** Words with each trap: the i sign before its consonant, conjuncts, half forms, the reph, nukta, marks GPOS moves. */
const WORDS = [
  "क्षत्रिय",
  "हिन्दी",
  "श्री",
  "कर्म",
  "ज़िंदगी",
  "पृथ्वी",
  "द्वार",
  "क्कू",
  "रूं",
  "ड़ें",
  "हृदय",
  "श्रृंगार",
  "प्रेम",
  "कृष्ण",
  "अर्द्ध",
  "स्त्री",
];

describe("store names in Devanagari", () => {
  it("print.svg draws each word with the glyphs HarfBuzz picks with the whole font, none a box", async () => {
    const hb = await whole;
    const boxes = await Promise.all(["deva-700", "sc-700"].map(notdefPath));
    for (const word of WORDS) {
      const svg = await (await storeCard(word, "en", "print.svg")).text();
      expect(svg, word).toContain(`aria-label="${word}"`);
      const outlines = await Promise.all(
        hb.shape(word).map((g) => glyphOutline("deva-700", g.gid)),
      );
      // A glyph without ink (ज़िं holds one, after the anusvara) has no <use>.
      const want = outlines.filter((path) => path !== "");
      expect(want.length, word).toBeGreaterThan(0);
      const drawn = nameOutlines(svg);
      expect(drawn, word).toEqual(want);
      for (const box of boxes) expect(drawn, word).not.toContain(box);
    }
    // Shaping changed what is drawn: the i sign before ह, the conjunct क्ष as one glyph.
    expect(hb.shape("हिन्दी")[1]!.cluster).toBe(0);
    expect(hb.shape("क्ष")).toHaveLength(1);
  });

  it("print.svg places each glyph at HarfBuzz's advances and GPOS offsets", async () => {
    const hb = await whole;
    for (const word of ["क्कू", "रूं", "कृष्ण", "अर्द्ध", "हिन्दी"]) {
      const shaped: ShapedGlyph[] = hb.shape(word);
      const uses = nameUses(await (await storeCard(word, "en", "print.svg")).text());
      expect(uses, word).toHaveLength(shaped.length);
      let pen = 0;
      const want = shaped.map((g) => {
        const at = { x: pen + g.xOffset, y: g.yOffset };
        pen += g.xAdvance;
        return at;
      });
      expect(uses, word).toEqual(want);
    }
    // The mark under क्क is moved left of the pen (GPOS), not drawn where the pen stands.
    const kku = hb.shape("क्कू");
    expect(kku[2]!.xOffset).toBeLessThan(0);
  });

  it("print.pdf embeds Noto Sans Devanagari, moves marks in a TJ, and gives the name back", async () => {
    for (const name of ["हिन्दी किराना", "श्री गणेश स्वीट्स", "क्कू रूं अर्द्ध", "क्षत्रिय भोजनालय"]) {
      const bytes = new Uint8Array(await (await storeCard(name, "en", "print.pdf")).arrayBuffer());
      const { pages, fonts } = await readPdf(bytes);
      const [line] = pdfTexts(pages[0]!.content, fonts);
      expect(line!.text, name).toBe(name);
      const own = line!.runs.filter((r) => /\p{sc=Devanagari}/u.test(r.text));
      expect(own.map((r) => r.text).join(" "), name).toBe(name);
      for (const run of own) expect(run.font, name).toMatch(/\+NotoSansDevanagari-Bold$/);
    }
    // A mark GPOS moves: the TJ moves the pen back before it (positive number) and on after.
    const bytes = new Uint8Array(await (await storeCard("क्कू", "en", "print.pdf")).arrayBuffer());
    const { pages } = await readPdf(bytes);
    const tj = pages[0]!.content.match(/\[([^\]]*)\] TJ/)?.[1];
    expect(tj).toMatch(/^<[0-9a-f]{4}> <[0-9a-f]{4}> 234 <[0-9a-f]{4}> -234$/);
  });

  it("sets a mixed line: Devanagari shaped, Latin and digits from the card's face", async () => {
    const name = "श्री Ganesh 24";
    const svg = await (await storeCard(name, "en", "print.svg")).text();
    const boxes = await Promise.all(["deva-700", "sc-700"].map(notdefPath));
    const drawn = nameOutlines(svg);
    for (const box of boxes) expect(drawn).not.toContain(box);
    const hb = await whole;
    const shri = await Promise.all(hb.shape("श्री").map((g) => glyphOutline("deva-700", g.gid)));
    expect(drawn.slice(0, shri.length)).toEqual(shri);
    const bytes = new Uint8Array(await (await storeCard(name, "en", "print.pdf")).arrayBuffer());
    const { pages, fonts } = await readPdf(bytes);
    const [line] = pdfTexts(pages[0]!.content, fonts);
    expect(line!.text).toBe(name);
    expect(line!.runs.find((r) => r.text.includes("Ganesh"))?.font).toMatch(/\+NotoSansSC-Bold$/);
  });

  it("sets a Devanagari label in the regular face, and cuts a long name between clusters", async () => {
    const res = await storeCard(
      "श्री गणेश स्वीट्स एंड नमकीन भंडार क्षत्रिय भोजनालय",
      undefined,
      "print.pdf",
      { label: "हिन्दी किताब घर", size: "3cm" },
    );
    const { pages, fonts } = await readPdf(new Uint8Array(await res.arrayBuffer()));
    const lines = pdfTexts(pages[0]!.content, fonts);
    const name = lines[0]!;
    // Cut to fit, between grapheme clusters, with an ellipsis; the part kept is as written.
    expect(name.text).toMatch(/…$/);
    expect("श्री गणेश स्वीट्स एंड नमकीन भंडार क्षत्रिय भोजनालय".startsWith(name.text.slice(0, -1))).toBe(
      true,
    );
    const label = lines.find((l) => l.text === "हिन्दी किताब घर");
    expect(label?.runs.map((r) => r.font).join(" ")).toMatch(/\+NotoSansDevanagari-Regular/);
    expect(label?.runs.map((r) => r.font).join(" ")).not.toMatch(/Devanagari-Bold/);
  });

  it("draws a name's own Plane 16 private-use character as a box, never a Devanagari glyph", async () => {
    const svg = await (
      await storeCard(`क ${String.fromCodePoint(GLYPH_ID_BASE + 56)}`, "en", "print.svg")
    ).text();
    const drawn = nameOutlines(svg);
    expect(drawn).toHaveLength(2);
    expect(drawn[0]).toBe(await glyphOutline("deva-700", 56));
    expect(drawn[1]).not.toBe(await glyphOutline("deva-700", 56));
  });
});
