// Store names in Thaana (the Maldives), Syriac, N'Ko (right to left; Syriac and N'Ko joined as
// Arabic is) and Tibetan through the real Worker and glyph packs: each glyph the one HarfBuzz
// picks with the whole Noto face, at HarfBuzz's advances and offsets, left to right as drawn,
// no box, the face embedded in the PDF and the name given back (before, each letter printed as a
// box and the console refused the name: `print.unprintable`).
import wasm from "harfbuzzjs/dist/harfbuzz.wasm";
import { describe, expect, it } from "vitest";
import nkoo from "../../node_modules/@expo-google-fonts/noto-sans-nko/400Regular/NotoSansNKo_400Regular.ttf?inline";
import syrc from "../../node_modules/@expo-google-fonts/noto-sans-syriac/700Bold/NotoSansSyriac_700Bold.ttf?inline";
import thaa from "../../node_modules/@expo-google-fonts/noto-sans-thaana/700Bold/NotoSansThaana_700Bold.ttf?inline";
import tibt from "../../node_modules/@expo-google-fonts/noto-serif-tibetan/700Bold/NotoSerifTibetan_700Bold.ttf?inline";
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

/** Per script: the whole bold font (N'Ko has a regular only), its face in the packs, its PDF name. */
const SCRIPTS = {
  thaa: {
    font: thaa,
    face: "thaa-700",
    pdf: "NotoSansThaana-Bold",
    rtl: true,
    words: ["ދިވެހި ފިހާރަ", "މާލެ", "ކޮފީ ހައުސް"],
  },
  syrc: {
    font: syrc,
    face: "syrc-700",
    pdf: "NotoSansSyriac-Bold",
    rtl: true,
    words: ["ܫܠܡܐ", "ܒܝܬ ܠܚܡܐ", "ܥܕܬܐ"],
  },
  nkoo: {
    font: nkoo,
    face: "nkoo-400",
    pdf: "NotoSansNKo-Regular",
    rtl: true,
    words: ["ߒߞߏ", "ߞߊ߲ߞߊ߲ ߝߊ߲ߓߊ", "ߛߎߟߎ ߕߎ߬ߡߊ"],
  },
  tibt: {
    font: tibt,
    face: "tibt-700",
    pdf: "NotoSerifTibetan-Bold",
    rtl: false,
    words: ["ལྷ་ས", "བོད་ཡིག", "སྒྲོལ་མ་ཚོང་ཁང་"],
  },
} as const;

const whole = (font: string) => loadHarfBuzz(wasm, fontBytes(font));
/** A right-to-left line as a PDF reader sees it before it reorders: its code points backwards. */
const backwards = (s: string) => [...s].reverse().join("");

describe.each(Object.entries(SCRIPTS))("store names in %s", (_script, s) => {
  it("print.svg draws each word with HarfBuzz's glyphs left to right at its positions, none a box", async () => {
    const hb = await whole(s.font);
    const boxes = await Promise.all([s.face, "sc-700"].map(notdefPath));
    for (const word of s.words) {
      const shaped = hb.shape(word);
      expect(
        shaped.map((g) => g.gid),
        word,
      ).not.toContain(0);
      // HarfBuzz gives a right-to-left run in visual order: its clusters last first.
      const clusters = shaped.map((g) => g.cluster);
      if (s.rtl) expect(clusters[0], word).toBeGreaterThan(clusters.at(-1)!);
      const svg = await (await storeCard(word, "en", "print.svg")).text();
      const outlines = await Promise.all(shaped.map((g) => glyphOutline(s.face, g.gid)));
      const drawn = nameOutlines(svg);
      for (const box of boxes) expect(drawn, word).not.toContain(box);
      // Each glyph where HarfBuzz puts it (a right-to-left cluster's glyphs are drawn letter
      // first, its vowel sign after: the same places, in another order).
      let pen = 0;
      const want = shaped
        .map((g, i) => {
          const at = { outline: outlines[i]!, x: pen + g.xOffset, y: g.yOffset };
          pen += g.xAdvance;
          return at;
        })
        .filter((g) => g.outline !== "");
      const uses = nameUses(svg);
      expect(uses, word).toHaveLength(drawn.length);
      const got = drawn.map((outline, i) => ({ outline, ...uses[i]! }));
      const key = (g: { outline: string; x: number; y: number }) => `${g.x} ${g.y} ${g.outline}`;
      if (word.includes(" ")) {
        // A space's glyph (a <use> of no ink) is not drawn: compare the outlines only.
        expect(drawn.slice().sort(), word).toEqual(want.map((g) => g.outline).sort());
        continue;
      }
      expect(got.map(key).sort(), word).toEqual(want.map(key).sort());
      if (!s.rtl) expect(drawn, word).toEqual(want.map((g) => g.outline));
    }
  });

  it("print.pdf embeds its Noto face and gives each name back", async () => {
    for (const word of s.words) {
      const bytes = new Uint8Array(await (await storeCard(word, "en", "print.pdf")).arrayBuffer());
      const { pages, fonts } = await readPdf(bytes);
      const [line] = pdfTexts(pages[0]!.content, fonts);
      // Drawn left to right, each glyph standing for its cluster's letters (reversed in a
      // right-to-left run, which a reader reverses back as a whole: scripts/check-print.mjs).
      expect(line!.text, word).toBe(s.rtl ? backwards(word) : word);
      for (const run of line!.runs.filter((r) => r.text.trim()))
        expect(run.font, word).toMatch(new RegExp(`^[A-Z]{6}\\+${s.pdf}$`));
    }
  });
});

describe("joining and the scripts around them", () => {
  it("Syriac and N'Ko letters take their joined forms, not the isolated ones", async () => {
    for (const [script, word] of [
      ["syrc", "ܫܠܡܐ"],
      ["nkoo", "ߒߞߏ"],
    ] as const) {
      const hb = await whole(SCRIPTS[script].font);
      const isolated = [...word].map((ch) => hb.shape(ch)[0]!.gid).reverse();
      const joined = hb.shape(word).map((g) => g.gid);
      expect(joined, word).toHaveLength(isolated.length);
      expect(joined.filter((gid, i) => gid !== isolated[i]!).length, word).toBeGreaterThan(1);
      const svg = await (await storeCard(word, "en", "print.svg")).text();
      const drawn = nameOutlines(svg);
      const isolatedOutlines = await Promise.all(
        isolated.map((gid) => glyphOutline(SCRIPTS[script].face, gid)),
      );
      expect(drawn, word).not.toEqual(isolatedOutlines);
    }
  });

  it("an Arabic name keeps its comma, harakat and digits in the Arabic face (no Thaana or Syriac run takes them)", async () => {
    // U+060C, U+064E and U+0661 are Thaana's and Syriac's too (Script_Extensions).
    const name = "مَخبز، ١٢";
    const bytes = new Uint8Array(await (await storeCard(name, "ar", "print.pdf")).arrayBuffer());
    const { pages, fonts } = await readPdf(bytes);
    const [line] = pdfTexts(pages[0]!.content, fonts);
    for (const run of line!.runs.filter((r) => r.text.trim()))
      expect(run.font, run.text).not.toMatch(/Thaana|Syriac|NKo/);
    expect(line!.runs.map((r) => r.font).join(" ")).toMatch(/\+NotoSansArabic-Bold/);
  });

  it("a Thaana name beside Latin and digits: each in its own face and place", async () => {
    const name = "Malé ދިވެހި 24";
    const bytes = new Uint8Array(await (await storeCard(name, "en", "print.pdf")).arrayBuffer());
    const { pages, fonts } = await readPdf(bytes);
    const [line] = pdfTexts(pages[0]!.content, fonts);
    // A left-to-right line: Malé first, then the Thaana word and the number after it as one
    // right-to-left run (UAX #9: digits after a right-to-left letter go with it), as a Hebrew
    // word and its number are.
    expect(line!.text).toBe(`Malé 24 ${backwards("ދިވެހި")}`);
    const fontOf = (text: string) => line!.runs.find((r) => r.text.includes(text))?.font;
    expect(fontOf(backwards("ދިވެހި"))).toMatch(/\+NotoSansThaana-Bold$/);
    expect(fontOf("Malé")).toMatch(/\+NotoSansSC-Bold$/);
  });

  it("a N'Ko label (regular) and name (bold) are both set in N'Ko's one face", async () => {
    const res = await storeCard("ߒߞߏ", undefined, "print.pdf", { label: "ߛߎߟߎ" });
    const { pages, fonts } = await readPdf(new Uint8Array(await res.arrayBuffer()));
    const lines = pdfTexts(pages[0]!.content, fonts);
    for (const text of ["ߒߞߏ", "ߛߎߟߎ"]) {
      const line = lines.find((l) => l.text === backwards(text));
      expect(line?.runs.map((r) => r.font).join(" "), text).toMatch(/\+NotoSansNKo-Regular/);
    }
  });
});
