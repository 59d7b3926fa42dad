// Thai marks without GPOS (core/thai-marks.ts): which marks take a moved form, and that the
// forms in the built Thai packs clear what they would collide with.
import { describe, expect, it } from "vitest";
import { faceChain, type Glyph } from "../../src/core/glyph-pack";
import type { GlyphStore } from "../../src/core/glyph-store";
import { placeThaiMarks, thaiForms } from "../../src/core/thai-marks";
import { shapeText } from "../../src/pages/print-text";
import { loadPrintFonts } from "../../src/store/print-fonts";
import { fsFetcher } from "../print-fonts-fs";

const chars = (s: string) => [...s].map((c, at) => ({ cp: c.codePointAt(0)!, text: c, at }));
const drawn = (s: string) => placeThaiMarks(chars(s)).map((c) => c.cp.toString(16));

/** A glyph's bounding box from its `glyf` header: [xMin, yMin, xMax, yMax]. */
function box(g: Glyph): number[] {
  const dv = new DataView(g.outline.buffer, g.outline.byteOffset, g.outline.byteLength);
  return [2, 4, 6, 8].map((o) => dv.getInt16(o));
}

async function thaiStore(style: "regular" | "bold", text: string): Promise<GlyphStore> {
  const store = await loadPrintFonts(fsFetcher(), [{ text, style, region: "th" }]);
  if (!store) throw new Error("glyph packs missing: run node scripts/build-fonts.mjs");
  return store;
}

describe("Thai marks placed without GPOS", () => {
  it("leaves a single mark on a short letter where the font draws it", () => {
    expect(drawn("ร้าน")).toEqual(["e23", "e49", "e32", "e19"]);
    expect(drawn("กิน")).toEqual(["e01", "e34", "e19"]);
  });

  it("raises a tone mark over an upper vowel or before sara am", () => {
    expect(drawn("ที่")).toEqual(["e17", "e35", "f748"]);
    expect(drawn("น้ำ")).toEqual(["e19", "f749", "e33"]);
    expect(drawn("กั้น")).toEqual(["e01", "e31", "f749", "e19"]);
  });

  it("moves upper marks left on a tall letter, past the marks below it", () => {
    expect(drawn("ฟ้า")).toEqual(["e1f", "f6c9", "e32"]);
    expect(drawn("ปี่")).toEqual(["e1b", "f6b5", "f7c8"]);
    expect(drawn("ปุ่ม")).toEqual(["e1b", "e38", "f6c8", "e21"]);
  });

  it("drops or shortens a letter's tail above a vowel below, and sets the vowel lower under a short one", () => {
    expect(drawn("ญุ")).toEqual(["f60d", "e38"]);
    expect(drawn("ฐู่")).toEqual(["f610", "e39", "e48"]);
    expect(drawn("ฎุ ฏู")).toEqual(["f60e", "f638", "20", "f60f", "f639"]);
    // Without a vowel below, the letters keep their tails.
    expect(drawn("ญา ฐิ ฎ")).toEqual(["e0d", "e32", "20", "e10", "e34", "20", "e0e"]);
  });

  it("keeps the text as written: a moved form stands for its mark", async () => {
    for (const style of ["regular", "bold"] as const) {
      const name = "ร้านกาแฟ น้ำ ที่นี่ ปี่ ฟ้า";
      const store = await thaiStore(style, name);
      const shaped = shapeText(store, name, style, "th")!;
      const glyphs = shaped.runs.flatMap((r) => r.glyphs);
      expect(glyphs.map((g) => g.text ?? String.fromCodePoint(g.cp)).join("")).toBe(name);
      expect(glyphs.some((g) => g.cp === 0xf748 && g.text === "\u0e48")).toBe(true);
      // Letters and marks from the Thai face; the spaces from Simplified Chinese's.
      const weight = style === "bold" ? 700 : 400;
      for (const run of shaped.runs) {
        const thai = run.glyphs.some((g) => g.cp !== 0x20);
        expect(run.face).toBe(thai ? `th-${weight}` : `sc-${weight}`);
      }
    }
  });

  it("has every moved form in both Thai packs, clear of what it would collide with", async () => {
    const forms = thaiForms();
    const marks = [...new Set(forms.map((f) => f.mark))];
    const text = String.fromCodePoint(...forms.map((f) => f.cp), ...marks, 0x0e33);
    for (const style of ["regular", "bold"] as const) {
      const store = await thaiStore(style, text);
      const chain = faceChain(style, "th");
      const glyph = (cp: number) => {
        const found = store.lookup(chain, cp);
        expect(found.need, `U+${cp.toString(16)}`).toBeUndefined();
        const placed = found.need === undefined ? found.placed : null;
        expect(placed?.face, `U+${cp.toString(16)}`).toBe(chain[0]);
        return placed!.glyph;
      };
      // The tops of the upper vowels and of sara am's nikhahit.
      const top = Math.max(
        ...[0x0e31, 0x0e34, 0x0e35, 0x0e36, 0x0e37, 0x0e33].map((cp) => box(glyph(cp))[3]!),
      );
      for (const f of forms.filter((f) => f.alternate)) {
        const [alternate, own] = [box(glyph(f.cp)), box(glyph(f.mark))];
        const at = `${style} U+${f.cp.toString(16)}`;
        if (f.mark === 0x0e0d || f.mark === 0x0e10) expect(alternate[1]!, at).toBeGreaterThan(-20);
        else expect(alternate[1]!, at).not.toBe(own[1]);
      }
      // Under do chada and to patak's shortened tail, the lowered vowels clear it.
      const tails = [0x0e0e, 0x0e0f].map((cp) => box(glyph(0xf600 + cp - 0x0e00))[1]!);
      for (const cp of [0x0e38, 0x0e39, 0x0e3a])
        expect(box(glyph(0xf600 + cp - 0x0e00))[3]!).toBeLessThan(Math.min(...tails));
      for (const f of forms.filter((f) => !f.alternate)) {
        const [moved, mark] = [box(glyph(f.cp)), box(glyph(f.mark))];
        const at = `${style} U+${f.cp.toString(16)}`;
        expect(glyph(f.cp).advance, at).toBe(0);
        if (f.raise) expect(moved[1]!, at).toBeGreaterThan(top);
        else expect(moved[1], at).toBe(mark[1]);
        if (f.left) expect(moved[2]!, at).toBeLessThanOrEqual(mark[2]! - 210);
        else expect(moved[2], at).toBe(mark[2]);
      }
    }
  });
});
