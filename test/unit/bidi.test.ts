import { describe, expect, it } from "vitest";
import { arabicForms, joiningType, shapeArabic } from "../../src/core/arabic-shaping";
import { bidiLevels, visualLine, visualOrder } from "../../src/core/bidi";
import { faceChain } from "../../src/core/glyph-pack";
import { shapeText } from "../../src/pages/print-text";
import { loadPrintFonts } from "../../src/store/print-fonts";
import { fsFetcher } from "../print-fonts-fs";

const cps = (s: string) => [...s].map((c) => c.codePointAt(0)!);
/** The line as drawn, left to right, by the text each glyph stands for. */
const drawn = (s: string) => visualLine(s).chars.map((c) => c.text);
const hex = (s: string) => shapeArabic(cps(s)).map((c) => c.cp.toString(16));

describe("core/bidi", () => {
  it("draws a Hebrew name right to left with its number left to right", () => {
    const line = visualLine("מאפיית השוק 24");
    expect(line.rtl).toBe(true);
    expect(line.chars.map((c) => c.text).join("")).toBe("24 קושה תייפאמ");
    expect(drawn("שוק 2024")).toEqual(["2", "0", "2", "4", " ", "ק", "ו", "ש"]);
    expect(drawn("שוק 7.50")).toEqual([..."7.50 קוש"]);
  });

  it("keeps a left-to-right line left to right around a Hebrew word", () => {
    const line = visualLine("Café אבג");
    expect(line.rtl).toBe(false);
    expect(drawn("Café אבג").join("")).toBe("Café גבא");
    expect(drawn("Shop 24 אבג 7").join("")).toBe("Shop 24 7 גבא");
  });

  it("keeps a Latin brand inside an Arabic name left to right, after the number", () => {
    const line = visualLine("مخبز 7 Eleven");
    expect(line.rtl).toBe(true);
    expect(line.chars.map((c) => c.text).join("")).toBe("Eleven 7 زبخم");
    expect(bidiLevels(cps("مخبز 7 Eleven")).levels).toEqual([
      1, 1, 1, 1, 1, 2, 1, 2, 2, 2, 2, 2, 2,
    ]);
  });

  it("keeps Arabic-Indic digits after a Latin brand an Arabic number (W7 is for European digits)", () => {
    // "Bakery" then the branch number in Arabic-Indic digits: the number is not part of the
    // Latin run, so the Arabic line puts it to the left of the brand, as UAX #9 does.
    expect(drawn("مخبز Bakery ٢٤").join("")).toBe("٢٤ Bakery زبخم");
    expect(bidiLevels(cps("مخبز Bakery ٢٤")).levels).toEqual([
      1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2,
    ]);
    // European digits in the same place do join the brand (W7).
    expect(drawn("مخبز Bakery 24").join("")).toBe("Bakery 24 زبخم");
  });

  it("marks the glyphs of right-to-left runs", () => {
    expect(visualLine("مخبز 7 Eleven").chars.map((c) => c.rtl)).toEqual(
      [..."Eleven 7 "].map((c) => c === " ").concat([true, true, true, true]),
    );
  });

  it("mirrors brackets in right-to-left runs and orders runs by level", () => {
    const line = visualLine("שוק (צפון)");
    expect(line.chars.map((c) => String.fromCodePoint(c.cp)).join("")).toBe("(ןופצ) קוש");
    // The bracket drawn as ")" still stands for the "(" that was written.
    expect(line.chars.at(-5)!.text).toBe("(");
    expect(visualOrder([0, 0, 1, 1, 2, 2, 1, 0])).toEqual([0, 1, 6, 4, 5, 3, 2, 7]);
  });
});

describe("core/arabic-shaping", () => {
  it("knows dual- and right-joining letters, marks and the rest", () => {
    expect(["ب", "ا", "َ", "ـ", "7", " "].map((c) => joiningType(c.codePointAt(0)!))).toEqual([
      "D",
      "R",
      "T",
      "C",
      "U",
      "U",
    ]);
  });

  it("joins each letter by its neighbours: initial, medial, final, isolated", () => {
    // مخبز: meem initial, khah medial, beh medial, zain final.
    expect(hex("مخبز")).toEqual(["fee3", "fea8", "fe92", "feb0"]);
    // السوق: alef isolated (joins nothing after it), lam initial, seen medial, waw final
    // (right-joining: qaf after it starts again, isolated at the end).
    expect(hex("السوق")).toEqual(["fe8d", "fedf", "feb4", "feee", "fed5"]);
    // دبي: dal isolated, beh initial, yeh final.
    expect(hex("دبي")).toEqual(["fea9", "fe91", "fef2"]);
    // A space breaks the joining.
    expect(hex("ب ب")).toEqual(["fe8f", "20", "fe8f"]);
  });

  it("makes lam-alef one ligature, final after a joining letter", () => {
    expect(shapeArabic(cps("لا"))).toEqual([{ cp: 0xfefb, text: "لا", at: 0 }]);
    expect(hex("سلام")).toEqual(["feb3", "fefc", "fee1"]);
    expect(hex("لأ")).toEqual(["fef7"]);
  });

  it("draws no glyph for invisible characters; ZWJ joins, ZWNJ breaks the joining", () => {
    // RLM makes the line right to left and is not drawn; its text goes with the next glyph.
    const line = visualLine("\u200fShop 24");
    expect(line.rtl).toBe(true);
    expect(line.chars.map((c) => c.cp).includes(0x200f)).toBe(false);
    expect(line.chars.map((c) => c.text).join("")).toBe("\u200fShop 24");
    expect(hex("ب\u200cب")).toEqual(["fe8f", "fe8f"]);
    expect(hex("ب\u200d")).toEqual(["fe91"]);
    expect(hex("\u202bمخبز\u202c")).toEqual(["fee3", "fea8", "fe92", "feb0"]);
  });

  it("drops harakat from drawing but keeps them in the text, not breaking the joining", () => {
    const shaped = shapeArabic(cps("بَب"));
    expect(shaped.map((c) => c.cp.toString(16))).toEqual(["fe91", "fe90"]);
    expect(shaped.map((c) => c.text).join("")).toBe("بَب");
  });
});

describe("print-text with the glyph packs", () => {
  it("sets Hebrew and joined Arabic from their faces, no .notdef, text kept per glyph", async () => {
    const names = ["מאפיית השוק 24", "مخبز السوق", "سلام 7 Eleven"];
    const store = await loadPrintFonts(
      fsFetcher(),
      names.map((text) => ({ text, style: "bold" as const, region: "sc" as const })),
    );
    if (!store) throw new Error("glyph packs missing: run node scripts/build-fonts.mjs");
    for (const name of names) {
      const shaped = shapeText(store, name, "bold", "sc")!;
      const letters = shaped.runs.filter((r) => r.face === "he-700" || r.face === "ar-700");
      expect(letters.length, name).toBeGreaterThan(0);
      for (const run of shaped.runs) {
        const notdef = store.face(run.face)!.notdef.glyph;
        for (const g of run.glyphs) expect(g.outline, `${name} ${g.cp}`).not.toEqual(notdef);
      }
    }
    const arabic = shapeText(store, "مخبز السوق", "bold", "sc")!;
    const glyphs = arabic.runs.flatMap((r) => r.glyphs);
    // Drawn left to right: the last word first; each joined form stands for its letter.
    expect(glyphs.map((g) => g.cp.toString(16))).toEqual([
      "fed5",
      "feee",
      "feb4",
      "fedf",
      "fe8d",
      "20",
      "feb0",
      "fe92",
      "fea8",
      "fee3",
    ]);
    expect(glyphs.map((g) => g.text ?? String.fromCodePoint(g.cp)).join("")).toBe("قوسلا زبخم");
    expect(faceChain("bold", "sc").slice(1, 3)).toEqual(["he-700", "ar-700"]);
  });

  it("has every joined form and lam-alef the shaper picks, in both Arabic weights", async () => {
    const forms = [...arabicForms().values()].flat().concat(0xfef5, 0xfef6, 0xfefb, 0xfefc);
    const text = String.fromCodePoint(...forms);
    for (const style of ["regular", "bold"] as const) {
      const store = await loadPrintFonts(fsFetcher(), [{ text, style, region: "sc" }]);
      for (const cp of forms) {
        const found = store!.lookup(faceChain(style, "sc"), cp);
        const face = found.need === undefined ? found.placed?.face : `needs ${found.need}`;
        expect(face, `U+${cp.toString(16)}`).toBe(style === "bold" ? "ar-700" : "ar-400");
      }
    }
  });
});
