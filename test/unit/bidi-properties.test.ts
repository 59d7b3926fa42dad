// Properties of the print kit's right-to-left text over any string a shop could type or a CSV
// import could bring: mixed scripts, marks, bidi controls, joiners, both kinds of digits,
// brackets, lone surrogates. Whatever the input, nothing throws, the drawn line is a
// permutation of what was written, and Arabic shaping only ever asks the font for a code
// point the input had or one of the forms the Arabic face maps. The strings: bidi-helpers.ts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arabicForms, shapeArabic } from "../../src/core/arabic-shaping";
import { bidiLevels, visualLine, visualOrder } from "../../src/core/bidi";
import { faceChain, type Region, type TextStyle } from "../../src/core/glyph-pack";
import type { GlyphStore } from "../../src/core/glyph-store";
import { SHAPED_SCRIPT } from "../../src/core/shaped-scripts";
import { layoutCard, printTexts } from "../../src/pages/print-layout";
import type { TextMark } from "../../src/pages/print-marks";
import { shapeText } from "../../src/pages/print-text";
import { loadPrintFonts } from "../../src/store/print-fonts";
import { fsFetcher } from "../print-fonts-fs";
import { anyText, BRACKETS, cps, drawn, range } from "./bidi-helpers";

describe("bidi levels and order, for any string", () => {
  it("gives one level per code point, 0 to 2, none below the line's own", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { rtl, levels } = bidiLevels(cps(text));
        expect(levels).toHaveLength(cps(text).length);
        for (const l of levels) {
          expect(Number.isInteger(l)).toBe(true);
          expect(l).toBeGreaterThanOrEqual(rtl ? 1 : 0);
          expect(l).toBeLessThanOrEqual(2);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("orders any levels as a permutation; one even level keeps the order, one odd reverses it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 100, size: "max" }),
        (levels) => {
          const order = visualOrder(levels);
          expect([...order].sort((a, b) => a - b)).toEqual(levels.map((_, i) => i));
          // Reordering is L2's reversal of runs: applying it to a uniform line twice is identity.
          const uniform = levels.map(() => levels[0] ?? 0);
          const once = visualOrder(uniform);
          const ids = uniform.map((_, i) => i);
          expect(once).toEqual(uniform[0]! % 2 ? [...ids].reverse() : ids);
          expect(once.map((i) => once[i])).toEqual(ids);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("draws each character written exactly once: the glyphs' texts in written order give the input back", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const line = visualLine(text);
        const logical = shapeArabic(cps(text));
        // A permutation of the shaped glyphs (each glyph once, by where it was written).
        expect(line.chars.map((c) => c.at).sort((a, b) => a - b)).toEqual(logical.map((s) => s.at));
        // Every drawable character is in some glyph's text, in the order written.
        const written = [...line.chars]
          .sort((a, b) => a.at - b.at)
          .map((c) => c.text)
          .join("");
        if (cps(text).some(drawn)) expect(written).toBe(text);
        else expect(line.chars).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("is deterministic, and leaves a line with no right-to-left letter in written order", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(visualLine(text)).toEqual(visualLine(text));
        const ltr = [...text].filter((c) => !/[\u0590-\u08ff\ufb1d-\ufefc\u200f\u061c]/u.test(c));
        const plain = ltr.join("");
        const chars = visualLine(plain).chars;
        expect(chars.map((c) => c.at)).toEqual([...chars.map((c) => c.at)].sort((a, b) => a - b));
        expect(chars.every((c) => !c.rtl)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("mirrors only brackets, and only in right-to-left runs", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const input = cps(text);
        for (const c of visualLine(text).chars) {
          if (c.cp === input[c.at]) continue;
          // Changed code points are a joined form (Arabic) or a bracket drawn mirrored.
          if (drawn(input[c.at]!) && arabicForms().has(input[c.at]!)) continue;
          if (input[c.at] === 0x0644) continue; // lam-alef
          expect(c.rtl, `U+${input[c.at]!.toString(16)}`).toBe(true);
          expect(BRACKETS).toContain(String.fromCodePoint(input[c.at]!));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("Arabic shaping, for any string", () => {
  const FORMS = new Set([...arabicForms().values()].flat());
  const LAM_ALEF = new Set(range(0xfef5, 0xfefc).map((c) => c.charCodeAt(0)));

  it("gives one form per drawn letter (one for lam-alef), each the letter's own or a lam-alef", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const input = cps(text);
        const shaped = shapeArabic(input);
        const ligatures = shaped.filter((s) => LAM_ALEF.has(s.cp) && input[s.at] === 0x0644);
        expect(shaped.length + ligatures.length).toBe(input.filter(drawn).length);
        for (const s of shaped) {
          const own = input[s.at]!;
          expect(drawn(own)).toBe(true);
          if (s.cp === own) continue;
          if (own === 0x0644 && LAM_ALEF.has(s.cp)) continue;
          expect(arabicForms().get(own), `U+${own.toString(16)}`).toContain(s.cp);
        }
        // Never a code point neither the input nor the presentation forms had.
        for (const s of shaped)
          expect(input.includes(s.cp) || FORMS.has(s.cp) || LAM_ALEF.has(s.cp)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("never draws a default-ignorable character (no face has a glyph for one: it would be a box)", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const s of shapeArabic(cps(text)))
          expect(String.fromCodePoint(s.cp), `U+${s.cp.toString(16)}`).not.toMatch(
            /\p{Default_Ignorable_Code_Point}/u,
          );
      }),
      { numRuns: 500 },
    );
  });

  it("asks only for forms both Arabic faces map", async () => {
    const all = [...FORMS, ...LAM_ALEF];
    const text = String.fromCodePoint(...all);
    for (const style of ["regular", "bold"] as const) {
      const store = await loadPrintFonts(fsFetcher(), [{ text, style, region: "ar" }]);
      if (!store) throw new Error("glyph packs missing: run node scripts/build-fonts.mjs");
      for (const cp of all) {
        const found = store.lookup(faceChain(style, "ar"), cp);
        const face = found.need === undefined ? found.placed?.face : `needs ${found.need}`;
        expect(face, `U+${cp.toString(16)}`).toBe(style === "bold" ? "ar-700" : "ar-400");
      }
    }
  });
});

describe("a card with any store name", () => {
  const item = { url: "https://qr.example.com/p/7K2M9QX4AB", displayCode: "7K2M9-QX4AB" };
  const LANGS = ["en", "he", "ar"] as const;

  async function fonts(name: string, lang: (typeof LANGS)[number]): Promise<GlyphStore> {
    const needs = printTexts([{ ...item, storeName: name }], { host: "qr.example.com", lang });
    const store = await loadPrintFonts(fsFetcher(), needs);
    if (!store) throw new Error("glyph packs missing: run node scripts/build-fonts.mjs");
    return store;
  }

  /** Any text, sometimes cut by a line break a CSV cell or a paste could hold. */
  const nameText = fc
    .tuple(anyText, fc.constantFrom("", "\u2028", "\u2029", "\r\n", "\u0085"), anyText)
    .map((parts) => parts.join(""));

  it("lays out and sets the name in the fonts, every glyph standing for text", async () => {
    await fc.assert(
      fc.asyncProperty(nameText, fc.constantFrom(...LANGS), async (name, lang) => {
        const store = await fonts(name, lang);
        const measure = (s: string, style: TextStyle, region: Region) =>
          shapeText(store, s, style, region)?.width ?? 0;
        const card = layoutCard(
          { ...item, storeName: name },
          { host: "qr.example.com", lang, measure },
        );
        for (const mark of card.marks.filter((m): m is TextMark => m.kind === "text")) {
          const style = mark.style ?? "regular";
          // Every card text names its region (regionFor); "sc" is what a missing one would take.
          const shaped = shapeText(store, mark.text, style, mark.region ?? "sc");
          expect(shaped, mark.text).not.toBeNull();
          expect(Number.isFinite(shaped!.width)).toBe(true);
          const glyphs = shaped!.runs.flatMap((r) => r.glyphs);
          // Together the glyphs stand for the whole text, as drawn (a right-to-left glyph's
          // letters in visual order): one glyph per character drawn, or a shaped (Devanagari)
          // cluster's text on its first glyph and nothing on the rest.
          const drawn = visualLine(mark.text).chars.map((c) =>
            c.rtl ? [...c.text].reverse().join("") : c.text,
          );
          expect(glyphs.map((g) => g.text ?? String.fromCodePoint(g.cp)).join("")).toBe(
            drawn.join(""),
          );
          if (!SHAPED_SCRIPT.test(mark.text)) expect(glyphs).toHaveLength(drawn.length);
          // biome-ignore lint/suspicious/noControlCharactersInRegex: the layout must remove them
          expect(mark.text).not.toMatch(/[\u0000-\u001f\u2028\u2029]/);
          // Nor a lone surrogate: no face has it (a box) and the PDF's ToUnicode would map a
          // glyph to malformed UTF-16.
          expect(mark.text).not.toMatch(/\p{Cs}/u);
        }
        expect(card.marks.some((m) => m.kind === "qr")).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
