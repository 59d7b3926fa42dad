/**
 * The print kit's layout, pure and format-free: where each text, QR and crop mark of a poster
 * card or an A4 sheet goes, in millimetres from the top left. `pages/print.ts` draws the marks
 * as SVG, `pages/print-pdf.ts` as PDF; both get the same positions.
 */
import { type Region, regionFor, type TextStyle } from "../core/glyph-pack";
import { type QrMatrix, qrMatrix } from "../core/qr";
import { clearUnderLogo, DEFAULT_LOGO_SIZE, logoBox, type ModuleRect } from "../core/qr-logo";
import { SHAPED_SCRIPTS } from "../core/shaped-scripts";
import { fitFont, type Measure, printable, truncateToWidth } from "./print-fit";
import {
  A4,
  BLEED_MM,
  type CardOptions,
  type LineMark,
  PER_SHEET,
  type PrintItem,
  type PrintMark,
  QUIET_MODULES,
  type TextMark,
} from "./print-marks";
import { CARD_WORDS } from "./print-words";

/** The QR's printed width on sheets, mm. */
const SHEET_QR_MM = 32;

/**
 * Rough text width (em): CJK and other wide glyphs count 1, combining marks (Thai vowels and
 * tones above and below a letter) and invisible characters 0, the rest 0.55 (sans average,
 * rounded up).
 *
 * @example
 * ems("Café 渋谷") // 4.75 (four letters and a space at 0.55, two Han at 1)
 * ems("ที่") // 0.55 (the vowel and tone mark above add nothing)
 */
export function ems(text: string): number {
  let w = 0;
  for (const ch of text) {
    if (/[\p{Mn}\p{Me}\p{Default_Ignorable_Code_Point}]/u.test(ch)) continue;
    w += /[\u1100-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 1 : 0.55;
  }
  return w;
}

/**
 * Scripts whose stacked consonants and signs below reach deeper than 0.5 em (HarfBuzz-shaped,
 * Devanagari aside: its deepest, `क्कू`, stays within it).
 */
const DEEP_STACKS = new RegExp(
  Object.entries(SHAPED_SCRIPTS)
    .filter(([script]) => script !== "deva")
    .map(([, re]) => re.source)
    .join("|"),
  "u",
);

/**
 * The symbol of an item and its logo's box: at error correction H with the modules under the
 * logo cleared when it has one, else M (a smaller symbol, larger modules).
 */
function itemQr(item: PrintItem): { m: QrMatrix; box?: ModuleRect } {
  if (!item.logo) return { m: qrMatrix(item.url, { ecLevel: "M" }) };
  const full = qrMatrix(item.url, { ecLevel: "H" });
  const box = logoBox(full.size, item.logo, item.style?.logo_size ?? DEFAULT_LOGO_SIZE);
  return { m: clearUnderLogo(full, box), box };
}

/** The side of the printed QR with its quiet zone, mm. */
const qrSideMm = (m: QrMatrix, sizeMm: number) => (sizeMm * (m.size + 2 * QUIET_MODULES)) / m.size;

/** One card laid out in a box `width` mm wide from (x, y): its marks and height. */
function cardMarks(
  item: PrintItem,
  { m, box }: { m: QrMatrix; box?: ModuleRect },
  x: number,
  y: number,
  width: number,
  sizeMm: number,
  o: CardOptions,
): { marks: PrintMark[]; height: number } {
  const t = CARD_WORDS[o.lang ?? "en"];
  const measureAs =
    (style: TextStyle, source: string): Measure =>
    (s) =>
      o.measure ? o.measure(s, style, regionFor(source, o.lang)) : ems(s);
  const marks: PrintMark[] = [];
  const cx = x + width / 2;
  const inner = width - 6;
  const font = Math.min(6, Math.max(3, sizeMm * 0.1));
  const text = (
    y: number,
    size: number,
    text: string,
    more: Pick<TextMark, "style" | "fill"> & { source?: string } = {},
  ) => {
    const { source = text, ...rest } = more;
    const region = regionFor(source, o.lang);
    marks.push({ kind: "text", x: cx, y, size, text, region, lang: o.textLang, ...rest });
  };
  let cursor = y + 4;
  // Names as printed (composed): their region and the blocks loaded for them (printTexts) are
  // those of the characters drawn, not of a decomposed form (Hangul jamo, o + horn + hook).
  const storeName = printable(item.storeName ?? "");
  if (storeName) {
    cursor += font;
    const bold = measureAs("bold", storeName);
    const name = truncateToWidth(storeName, inner, font, bold);
    text(cursor, font, name, { style: "bold", source: storeName });
    // Room for the descenders (Latin g y, Thai sara u reach 0.27 em, sara uu set lower under
    // ฎ's tail 0.45 em, Arabic yeh's dots in the bold face 0.47 em; stacked consonants deeper:
    // Khmer's ស្ត្រី 0.50, Kannada's ಕ್ಷ್ಮ್ಯ 0.52, Myanmar's ကျွန်ုပ် 0.54): the QR's quiet zone,
    // painted in its background, would cover them.
    cursor += Math.max(1, font * (DEEP_STACKS.test(storeName) ? 0.6 : 0.5));
  }
  const side = qrSideMm(m, sizeMm);
  marks.push({
    kind: "qr",
    matrix: m,
    x: cx - side / 2,
    y: cursor,
    moduleMm: sizeMm / m.size,
    style: item.style,
    logo: item.logo,
    logoBox: box,
  });
  cursor += side + font * 0.9;
  const cta = printable(o.cta ?? "") || t.cta;
  // Shrink a long call to action down to the small-print size, then cut it.
  const ctaMeasure = measureAs("regular", cta);
  const ctaFont = Math.max(font * 0.55, fitFont(cta, inner, font * 0.8, ctaMeasure));
  text(cursor, ctaFont, truncateToWidth(cta, inner, ctaFont, ctaMeasure), { source: cta });
  const codeFont = Math.min(sizeMm * 0.15, inner / (ems(item.displayCode) * 1.1));
  cursor += codeFont * 1.25;
  text(cursor, codeFont, item.displayCode, { style: "code" });
  // Below the code, its Q's tail (0.2 em of a code up to 30 mm tall on large cards) and then
  // the manual line's ascent (under 0.9 em of its size, ≤ 0.55 × font).
  cursor += Math.max(font * 0.9, codeFont * 0.22 + font * 0.55);
  const manual = t.manual.replace("{host}", `${o.host}/c`);
  text(cursor, fitFont(manual, inner, font * 0.55, measureAs("regular", manual)), manual, {
    fill: "#333",
  });
  const labelText = printable(item.label ?? "");
  if (labelText) {
    // The manual line's descenders (Arabic, 0.5 of its em) over the label's tallest marks (a
    // Thai tone raised over a vowel, 1.1 of its em).
    cursor += font * 0.8;
    const label = truncateToWidth(labelText, inner, font * 0.45, measureAs("regular", labelText));
    text(cursor, font * 0.45, label, { fill: "#666", source: labelText });
  }
  return { marks, height: cursor + 4 - y };
}

/**
 * A single poster card, sized in mm around the QR: its width, height and marks.
 *
 * @example
 * const card = layoutCard({ url, displayCode: "7K2M9-QX4AB", storeName: "Shibuya" }, { sizeMm: 50, host: "qr.example.com" });
 */
export function layoutCard(
  item: PrintItem,
  o: CardOptions,
): { width: number; height: number; marks: PrintMark[] } {
  const sizeMm = o.sizeMm ?? 40;
  const qr = itemQr(item);
  const width = Math.max(qrSideMm(qr.m, sizeMm) + 8, 60);
  const body = cardMarks(item, qr, 0, 0, width, sizeMm, o);
  return { width, height: body.height, marks: body.marks };
}

/**
 * One A4 sheet of up to {@link PER_SHEET} cards in a 3 × 4 grid: each card's marks, the crop
 * marks (short lines in the margin on every cut) and the page footer.
 *
 * @example
 * const sheet = layoutSheet(items.slice(0, 12), { host: "qr.example.com" }, { page: 1, pages: 1 });
 */
export function layoutSheet(
  items: PrintItem[],
  o: Omit<CardOptions, "sizeMm">,
  pageInfo: { page: number; pages: number },
): { cards: PrintMark[][]; crops: LineMark[]; footer: TextMark } {
  const { width, height, margin, cols, rows } = A4;
  const cellW = (width - 2 * margin) / cols;
  const cellH = (height - 2 * margin) / rows;
  const cards = items.slice(0, PER_SHEET).map((item, i) => {
    const x = margin + (i % cols) * cellW;
    const y = margin + Math.floor(i / cols) * cellH;
    return cardMarks(item, itemQr(item), x, y, cellW, SHEET_QR_MM, o).marks;
  });
  // Crop marks stay in the margin outside the bleed (BLEED_MM past the cards' area).
  const crops: LineMark[] = [];
  const len = margin - BLEED_MM - 2;
  for (let c = 0; c <= cols; c++) {
    const x = margin + c * cellW;
    crops.push({ kind: "line", x, y: 1, dx: 0, dy: len });
    crops.push({ kind: "line", x, y: height - 1 - len, dx: 0, dy: len });
  }
  for (let r = 0; r <= rows; r++) {
    const y = margin + r * cellH;
    crops.push({ kind: "line", x: 1, y, dx: len, dy: 0 });
    crops.push({ kind: "line", x: width - 1 - len, y, dx: len, dy: 0 });
  }
  const footer: TextMark = {
    kind: "text",
    x: width / 2,
    y: height - 3,
    size: 2.5,
    text: `${pageInfo.page} / ${pageInfo.pages}`,
    fill: "#666",
    region: regionFor("0123456789 /", o.lang),
    lang: o.textLang,
  };
  return { cards, crops, footer };
}

/**
 * Every text the cards of `items` may print, with its style and language: what the fonts must
 * cover before the layout measures them (cut texts are prefixes of these plus "…"; page
 * footers are digits and "/").
 *
 * @example
 * const store = await loadPrintFonts(c.env.PRINT_FONTS, printTexts(items, { host, lang: "ja" }));
 */
export function printTexts(
  items: PrintItem[],
  o: Omit<CardOptions, "sizeMm" | "measure">,
): { text: string; style: TextStyle; region: Region; lang?: string }[] {
  const t = CARD_WORDS[o.lang ?? "en"];
  const need = (text: string, style: TextStyle) => ({
    text: `${text}…`,
    style,
    region: regionFor(text, o.lang),
    lang: o.textLang,
  });
  const out = [
    need(printable(o.cta ?? "") || t.cta, "regular"),
    need(t.manual.replace("{host}", `${o.host}/c`), "regular"),
    need("0123456789 /", "regular"),
  ];
  for (const item of items) {
    out.push(need(item.displayCode, "code"));
    // Composed as the cards print them: a name typed decomposed draws characters of other
    // blocks (jamo U+1100… compose to syllables U+AC00…), whose blocks must be loaded.
    const storeName = printable(item.storeName ?? "");
    const label = printable(item.label ?? "");
    if (storeName) out.push(need(storeName, "bold"));
    if (label) out.push(need(label, "regular"));
  }
  return out;
}
