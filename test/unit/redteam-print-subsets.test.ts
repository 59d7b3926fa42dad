// A sheet PDF's font subsets address glyphs with 2-byte ids (Identity-H, a TrueType subset's
// glyph count is 16 bits). Each distinct glyph and text takes an id, and a glyph's text holds
// the invisible characters after it (variation selectors, joiners…), so names built from
// zero-width marks followed by invisible characters give 1,200 cards more than 65,535 of them.
import { describe, expect, it } from "vitest";
import type { GlyphStore } from "../../src/core/glyph-store";
import { printTexts } from "../../src/pages/print-layout";
import type { PrintItem } from "../../src/pages/print-marks";
import { renderPrintSheetsPdf } from "../../src/pages/print-pdf";
import { loadPrintFonts } from "../../src/store/print-fonts";
import { pdfTexts, readPdf } from "../pdf-reader";
import { fsFetcher } from "../print-fonts-fs";

/** Default-ignorable BMP characters that steer no direction (drawn as nothing). */
const INVISIBLE = [
  0xad,
  0x34f,
  0x180b,
  0x180c,
  0x180d,
  0x180f,
  0x200b,
  0x200c,
  0x200d,
  0x2060,
  0x2061,
  0x2062,
  0x2063,
  0x2064,
  0xfeff,
  ...Array.from({ length: 16 }, (_, i) => 0xfe00 + i),
].map((cp) => String.fromCodePoint(cp));
/**
 * Combining marks Noto Sans draws with no advance, leaving out U+031A (it has one), U+0340–0344
 * (NFC replaces them) and U+034F (invisible).
 */
const MARKS = Array.from({ length: 0x70 }, (_, i) => 0x300 + i)
  .filter((cp) => cp !== 0x31a && cp !== 0x34f && (cp < 0x340 || cp > 0x344))
  .map((cp) => String.fromCodePoint(cp));

/** A 198-unit name of 66 zero-width glyphs, each a mark and two invisibles, none like another's. */
function name(card: number): string {
  let out = "";
  for (let k = 0; k < 66; k++) {
    let n = card * 66 + k;
    const mark = MARKS[n % MARKS.length]!;
    n = Math.floor(n / MARKS.length);
    out += mark + INVISIBLE[n % INVISIBLE.length]! + INVISIBLE[Math.floor(n / INVISIBLE.length)]!;
  }
  return out;
}

describe("a 1,200-card sheet PDF whose names need more than 65,535 glyph ids", () => {
  it("still draws and gives back every card's name", async () => {
    const items: PrintItem[] = Array.from({ length: 1200 }, (_, i) => ({
      url: `HTTPS://QR.EXAMPLE.COM/P/${String(i).padStart(10, "0")}`,
      displayCode: `${String(i).padStart(5, "0")}-QX4AB`,
      storeName: name(i),
    }));
    expect(new Set(items.map((i) => i.storeName)).size).toBe(1200);
    const o = { host: "qr.example.com" };
    const fonts = (await loadPrintFonts(fsFetcher(), printTexts(items, o))) as GlyphStore;
    const pdf = await renderPrintSheetsPdf(items, o, fonts, Date.UTC(2026, 6, 1));
    const { pages, fonts: pdfFonts } = await readPdf(pdf);
    expect(pages).toHaveLength(100);
    const names = pages.flatMap((p) =>
      pdfTexts(p.content, pdfFonts).filter(
        (t) => /-Bold$/.test(t.fonts[0]!) && !/Mono/.test(t.fonts[0]!),
      ),
    );
    expect(names).toHaveLength(1200);
    // Every glyph id 4 hex digits: the n-th card draws its own name's marks, in order. Past
    // 65,535 ids a glyph reuses its id with another text, so only the invisible characters
    // after it may come back as another card's.
    const visible = (s: string) => s.replace(/\p{Default_Ignorable_Code_Point}/gu, "");
    for (const [i, t] of names.entries())
      expect(visible(t.text), `card ${i}`).toBe(visible(items[i]!.storeName!));
    // The first cards, under the limit, come back whole (a name ending in U+FEFF trimmed, as
    // String.prototype.trim takes it for a space).
    for (const [i, t] of names.slice(0, 900).entries())
      expect(t.text, `card ${i}`).toBe(items[i]!.storeName!.trim());
  }, 120_000);
});
