// Where a card's ink actually goes, from the glyph outlines' bounding boxes (the real packs):
// with the descender room the card now leaves, no text's ink may reach into the QR with its
// quiet zone, nor into the line above or below it, at any QR size a request may ask (15–200
// mm) and in every printed language, with names reaching as low and as high as the fonts go.
import { describe, expect, it } from "vitest";
import type { Region, TextStyle } from "../../src/core/glyph-pack";
import type { GlyphStore } from "../../src/core/glyph-store";
import { PRINT_LANGS, type PrintLang } from "../../src/pages/print-constants";
import { layoutCard, layoutSheet, printTexts } from "../../src/pages/print-layout";
import { A4, type PrintItem, type PrintMark, type TextMark } from "../../src/pages/print-marks";
import { shapeText } from "../../src/pages/print-text";
import { loadPrintFonts } from "../../src/store/print-fonts";
import { fsFetcher } from "../print-fonts-fs";

const HOST = "qr.example.com";
/**
 * Names reaching low (g y, sara uu set lower under ฎ, Arabic ي, Devanagari's u signs and
 * conjuncts below, the stacked consonants of Khmer, Myanmar and the Indic scripts) and high (Å,
 * a raised tone, Devanagari's reph with a candrabindu and i signs, Lao's tone over a vowel).
 */
const NAMES = [
  "Ågypsy Şişli",
  "ฎู ปั้ ที่ น้ำ",
  "يجي مخبز",
  "ÅÇ gjpqy 渋谷",
  "क्कू हृदय ट्ठ",
  "ऊँ र्किँ अर्द्धं",
  "ស្ត្រី ក្សត្រ ញ៉ុំ",
  "ကျွန်ုပ် သင်္ချိုင်း ဥက္ကဋ္ဌ ကျွှ",
  "ශ්‍රී ක්‍ෂේත්‍ර ද්‍ධ",
  "ക്ഷ്മ സ്ത്രീ ന്റു",
  "ಕ್ಷ್ಮ್ಯ ಸ್ತ್ರೀ ರ್ಕೃ",
  "తెలుగు క్ష్మ్య స్త్రీ",
  "ଓଡ଼ିଆ କ୍ଷ୍ମ୍ୟ ର୍ତ୍ତ୍ୟ",
  "ক্ষ্ম্য র্ত্রু গ্লু",
  "ਪ੍ਰੀਤ ਦ੍ਰੂ",
  "ગુજરાતી ક્ષ્મ્ય",
  "க்ஷ்ம ஸ்ரீ கூ",
  "ຫຼູ້ ກີ່ ຢູ່",
];
const SIZES = [15, 20, 25, 30, 40, 50, 80, 120, 200];

/** A text mark's ink, top and bottom (mm, y down), from its glyphs' outline boxes. */
function ink(store: GlyphStore, m: TextMark): { top: number; bottom: number } {
  const shaped = shapeText(store, m.text, m.style ?? "regular", m.region ?? "sc")!;
  let [top, bottom] = [m.y, m.y];
  for (const run of shaped.runs) {
    const k = m.size / store.face(run.face)!.unitsPerEm;
    for (const g of run.glyphs) {
      if (g.outline.length < 10) continue; // an empty glyph (a space)
      const dv = new DataView(g.outline.buffer, g.outline.byteOffset, g.outline.byteLength);
      const dy = g.offset?.[1] ?? 0; // a shaped mark's GPOS offset
      top = Math.min(top, m.y - (dv.getInt16(8) + dy) * k);
      bottom = Math.max(bottom, m.y - (dv.getInt16(4) + dy) * k);
    }
  }
  return { top, bottom };
}

/** The card's marks top to bottom as ink bands: each text's, the QR with its quiet zone. */
function bands(store: GlyphStore, marks: PrintMark[]) {
  return marks.flatMap((m) => {
    if (m.kind === "text") return [{ what: `text ${m.style ?? ""} ${m.text}`, ...ink(store, m) }];
    if (m.kind === "qr") {
      const side = m.moduleMm * (m.matrix.size + 8);
      return [{ what: "qr", top: m.y, bottom: m.y + side }];
    }
    return [];
  });
}

async function fontsFor(items: PrintItem[], lang: PrintLang): Promise<GlyphStore> {
  const store = await loadPrintFonts(fsFetcher(), printTexts(items, { host: HOST, lang }));
  expect(store, "glyph packs missing: run node scripts/build-fonts.mjs").not.toBeNull();
  return store as GlyphStore;
}

const measureWith =
  (store: GlyphStore) =>
  (s: string, style: TextStyle, region: Region): number =>
    shapeText(store, s, style, region)?.width ?? s.length;

describe("the ink of a card's lines", () => {
  it("never reaches the QR's quiet zone or another line, at every size and language", async () => {
    const overlaps: string[] = [];
    for (const lang of PRINT_LANGS) {
      const items = NAMES.map((storeName, i) => ({
        url: `HTTPS://QR.EXAMPLE.COM/P/7K2M9QX4A${i}`,
        displayCode: "7K2M9-QX4AB",
        storeName,
        label: `${storeName} gjpqy ฎู`,
      }));
      const store = await fontsFor(items, lang);
      for (const item of items)
        for (const sizeMm of SIZES) {
          const card = layoutCard(item, { host: HOST, lang, sizeMm, measure: measureWith(store) });
          const b = bands(store, card.marks);
          for (let i = 1; i < b.length; i++)
            if (b[i]!.top < b[i - 1]!.bottom)
              overlaps.push(
                `${lang} ${sizeMm}mm: ${b[i - 1]!.what} (to ${b[i - 1]!.bottom.toFixed(2)}) over ${b[i]!.what} (from ${b[i]!.top.toFixed(2)})`,
              );
          expect(b.at(-1)!.bottom, `${lang} ${sizeMm} last line inside the card`).toBeLessThan(
            card.height,
          );
        }
    }
    expect(overlaps).toEqual([]);
    // Every language × size × name is shaped: 7–9 s alone, past 30 s with full test runs beside
    // it. The limit only catches a hang.
  }, 120_000);

  it("on sheets too, every card's lines inside its own cell", async () => {
    for (const lang of ["en", "th", "ar"] as const) {
      const items = NAMES.map((storeName, i) => ({
        url: `HTTPS://QR.EXAMPLE.COM/P/7K2M9QX4A${i}`,
        displayCode: "7K2M9-QX4AB",
        storeName,
        label: `${storeName} gjpqy ฎู`,
      }));
      const store = await fontsFor(items, lang);
      const sheet = layoutSheet(
        items,
        { host: HOST, lang, measure: measureWith(store) },
        { page: 1, pages: 1 },
      );
      const cellH = (A4.height - 2 * A4.margin) / A4.rows;
      for (const [c, card] of sheet.cards.entries()) {
        const b = bands(store, card);
        const cellBottom = A4.margin + (Math.floor(c / A4.cols) + 1) * cellH;
        expect(b.at(-1)!.bottom, `${lang}: card ${c} inside its cell`).toBeLessThan(cellBottom);
        for (let i = 1; i < b.length; i++)
          expect(b[i]!.top, `${lang}: ${b[i - 1]!.what} / ${b[i]!.what}`).toBeGreaterThanOrEqual(
            b[i - 1]!.bottom,
          );
      }
    }
  });
});
