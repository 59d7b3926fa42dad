// A lone vowel sign set against its script's direction (core/shaped-runs.ts: a Devanagari one
// at the start of a Hebrew line, a Syriac or Thaana one after Latin) is shaped alone with its
// script's face, in Node on the built packs: no box, and its glyphs stand for its text as the
// line lays it out (a right-to-left line's character reversed whole, a soft hyphen after the
// sign included), as every other character's do.
import { describe, expect, it } from "vitest";
import { visualLine } from "../../src/core/bidi";
import { GLYPH_ID_BASE, type Region, type TextStyle } from "../../src/core/glyph-pack";
import { layoutCard, printTexts } from "../../src/pages/print-layout";
import type { TextMark } from "../../src/pages/print-marks";
import { shapeText } from "../../src/pages/print-text";
import { loadPrintFonts } from "../../src/store/print-fonts";
import { fsFetcher } from "../print-fonts-fs";

const item = { url: "https://qr.example.com/p/7K2M9QX4AB", displayCode: "7K2M9-QX4AB" };

describe("a lone vowel sign set against its script's direction", () => {
  it.each([
    ["\u093f\u00adא", "en"], // the counterexample fast-check found: i sign, soft hyphen, alef
    ["\u093eשלום", "he"],
    ["Cafe\u0730\u0731", "en"],
    ["Bar\u07a6\u200d Cafe", "en"],
    ["Cafe\u07eb 24", "ar"],
  ] as const)("%j: its glyphs stand for its text as laid out, none a box", async (name, lang) => {
    const needs = printTexts([{ ...item, storeName: name }], { host: "qr.example.com", lang });
    const store = (await loadPrintFonts(fsFetcher(), needs))!;
    expect(store, "glyph packs missing: run node scripts/build-fonts.mjs").not.toBeNull();
    const measure = (s: string, style: TextStyle, region: Region) =>
      shapeText(store, s, style, region)?.width ?? 0;
    const card = layoutCard(
      { ...item, storeName: name },
      { host: "qr.example.com", lang, measure },
    );
    const mark = card.marks.find((m): m is TextMark => m.kind === "text" && m.style === "bold")!;
    expect(mark.text).toBe(name.normalize("NFC")); // U+0731 before U+0730: canonical order
    const shaped = shapeText(store, mark.text, "bold", mark.region ?? "sc")!;
    const glyphs = shaped.runs.flatMap((r) => r.glyphs);
    const drawn = visualLine(mark.text).chars.map((c) =>
      c.rtl ? [...c.text].reverse().join("") : c.text,
    );
    const texts = glyphs.map((g) => g.text ?? String.fromCodePoint(g.cp)).join("");
    expect([...texts].map((c) => c.codePointAt(0)!.toString(16))).toEqual(
      [...drawn.join("")].map((c) => c.codePointAt(0)!.toString(16)),
    );
    // No glyph is a face's .notdef (its box): neither one a face lacked nor glyph id 0.
    const boxes = shaped.runs.flatMap((r) =>
      r.glyphs.filter(
        (g) => g.outline === store.face(r.face)!.notdef.glyph || g.cp === GLYPH_ID_BASE,
      ),
    );
    expect(boxes).toEqual([]);
  });
});
