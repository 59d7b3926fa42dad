/**
 * The print kit as PDF: the same layouts as the SVGs (`print-layout.ts`), drawn with PDF
 * operators, every text in embedded subsets of the Noto Sans faces (print-text.ts), black as
 * black ink alone (`0 0 0 1 k`), trim and bleed boxes set and crop marks outside the bleed. One
 * file holds a whole batch, an A4 page per 12 cards, which is what print shops ask for. Drawn
 * in millimetres from the top left: each page starts by scaling mm to points and flipping the
 * y axis, and each text flips its glyphs back upright.
 */
import type { GlyphStore } from "../core/glyph-store";
import { cmykFill, num, type PdfBox, type PdfPage, PT_PER_MM, pdfDocument } from "../core/pdf";
import { layoutCard, layoutSheet } from "./print-layout";
import {
  A4,
  BLEED_MM,
  type CardOptions,
  PER_SHEET,
  type PrintItem,
  type PrintMark,
} from "./print-marks";
import { PdfQrResources, qrPdf } from "./print-qr";
import { FontSubsets, measureWith, shapeText } from "./print-text";

/** Extra space after each character of the manual code, mm (the SVG's letter-spacing). */
const CODE_SPACING = 0.2;
/** Room around a single card's trim for its crop marks, mm. */
const SLUG_MM = 10;

/** A `#rgb` grey as black ink (`#333` → 80 % K). */
const greyInk = (hex: string) => {
  const v = Number.parseInt(hex.slice(1, 2), 16) * 17;
  return cmykFill([v, v, v]);
};

/** A text mark could not be set (a face missing from the packs): the route answers 503. */
export class MissingFontError extends Error {}

function markPdf(
  mark: PrintMark,
  fonts: GlyphStore,
  subsets: FontSubsets,
  qr: PdfQrResources,
): string {
  if (mark.kind === "line") {
    return `${num(mark.x)} ${num(mark.y)} m ${num(mark.x + mark.dx)} ${num(mark.y + mark.dy)} l S`;
  }
  if (mark.kind === "qr") return qrPdf(mark, qr);
  const style = mark.style ?? "regular";
  const shaped = shapeText(fonts, mark.text, style, mark.region ?? "sc", mark.lang);
  if (!shaped) throw new MissingFontError(`no font for ${JSON.stringify(mark.text)}`);
  const spacing = mark.style === "code" ? CODE_SPACING : 0;
  const count = shaped.runs.reduce((n, r) => n + r.glyphs.length, 0);
  const width = shaped.width * mark.size + spacing * (count - 1);
  let shows = "";
  for (const run of shaped.runs)
    shows += `/${subsets.resource(run.face)} ${num(mark.size)} Tf ${subsets.show(run, mark.size)} `;
  const fill = mark.fill ? greyInk(mark.fill) : "0 0 0 1 k";
  // Right-to-left text is shown in visual order, each glyph mapped (ToUnicode) to the letters
  // it stands for, as most PDF writers do: readers put right-to-left runs back in written
  // order themselves. Not ActualText: poppler (pdftotext) reverses an ActualText span's text a
  // second time, giving the name back backwards.
  return `BT ${fill} ${num(spacing)} Tc 1 0 0 -1 ${num(mark.x - width / 2)} ${num(mark.y)} Tm ${shows}ET`;
}

const mmBox = (x0: number, y0: number, x1: number, y1: number): PdfBox => [
  x0 * PT_PER_MM,
  y0 * PT_PER_MM,
  x1 * PT_PER_MM,
  y1 * PT_PER_MM,
];

/**
 * A page `widthMm` × `heightMm` drawing `marks` (moved by `offsetMm`), its trim box the
 * rectangle `trim` (mm from the top left) and its bleed box BLEED_MM around it.
 */
function page(
  widthMm: number,
  heightMm: number,
  trim: [number, number, number, number],
  draw: string,
): PdfPage {
  const [width, height] = [widthMm * PT_PER_MM, heightMm * PT_PER_MM];
  const flip = `${num(PT_PER_MM)} 0 0 ${num(-PT_PER_MM)} 0 ${num(height)} cm`;
  const [x0, y0, x1, y1] = trim;
  return {
    width,
    height,
    content: `${flip}\n0.1 w 0 0 0 1 K\n${draw}\n`,
    trimBox: mmBox(x0, heightMm - y1, x1, heightMm - y0),
    bleedBox: mmBox(
      x0 - BLEED_MM,
      heightMm - y1 - BLEED_MM,
      x1 + BLEED_MM,
      heightMm - y0 + BLEED_MM,
    ),
  };
}

/** Corner crop marks of a trim rectangle, outside its bleed, as PDF path operators. */
function cornerMarks(x0: number, y0: number, x1: number, y1: number): string {
  const [from, to] = [BLEED_MM + 1, SLUG_MM - 1];
  let out = "";
  for (const x of [x0, x1])
    for (const y of [y0, y1]) {
      const sx = x === x0 ? -1 : 1;
      const sy = y === y0 ? -1 : 1;
      out += `${num(x + sx * from)} ${num(y)} m ${num(x + sx * to)} ${num(y)} l S `;
      out += `${num(x)} ${num(y + sy * from)} m ${num(x)} ${num(y + sy * to)} l S `;
    }
  return out;
}

/**
 * A print-ready card for one poster as a one-page PDF: the card (sized in mm around the QR) is
 * the trim box, with room for corner crop marks around it.
 *
 * @example
 * const pdf = await renderPosterCardPdf({ url, displayCode: "7K2M9-QX4AB" }, { sizeMm: 50, host: "qr.example.com" }, fonts, Date.now());
 */
export async function renderPosterCardPdf(
  item: PrintItem,
  o: CardOptions,
  fonts: GlyphStore,
  now: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const card = layoutCard(item, { ...o, measure: measureWith(fonts, o.textLang) });
  const subsets = new FontSubsets(fonts);
  const qr = new PdfQrResources();
  const marks = card.marks.map((m) => markPdf(m, fonts, subsets, qr)).join("\n");
  const [w, h] = [card.width + 2 * SLUG_MM, card.height + 2 * SLUG_MM];
  const [x1, y1] = [SLUG_MM + card.width, SLUG_MM + card.height];
  const draw = `${cornerMarks(SLUG_MM, SLUG_MM, x1, y1)}\nq 1 0 0 1 ${SLUG_MM} ${SLUG_MM} cm\n${marks}\nQ`;
  const title = `${item.storeName ? `${item.storeName} · ` : ""}${item.displayCode}`;
  return pdfDocument([page(w, h, [SLUG_MM, SLUG_MM, x1, y1], draw)], {
    title,
    createdAt: now,
    fonts: subsets.fonts(),
    images: qr.images(),
    forms: qr.forms(),
  });
}

/**
 * All `items` on A4 pages of {@link PER_SHEET} cards with crop marks, in one PDF. Each page's
 * trim box is the grid of cards, the cuts between them marked in the margin.
 *
 * @example
 * const pdf = await renderPrintSheetsPdf(items, { host: "qr.example.com" }, fonts, Date.now());
 */
export async function renderPrintSheetsPdf(
  items: PrintItem[],
  o: Omit<CardOptions, "sizeMm">,
  fonts: GlyphStore,
  now: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const pages = Math.max(1, Math.ceil(items.length / PER_SHEET));
  const subsets = new FontSubsets(fonts);
  const qr = new PdfQrResources();
  const measured = { ...o, measure: measureWith(fonts, o.textLang) };
  const out: PdfPage[] = [];
  const trim: [number, number, number, number] = [
    A4.margin,
    A4.margin,
    A4.width - A4.margin,
    A4.height - A4.margin,
  ];
  for (let p = 0; p < pages; p++) {
    const chunk = items.slice(p * PER_SHEET, (p + 1) * PER_SHEET);
    const sheet = layoutSheet(chunk, measured, { page: p + 1, pages });
    const marks = [...sheet.crops, ...sheet.cards.flat(), sheet.footer];
    out.push(
      page(A4.width, A4.height, trim, marks.map((m) => markPdf(m, fonts, subsets, qr)).join("\n")),
    );
  }
  return pdfDocument(out, {
    title: "qrbridge poster sheets",
    createdAt: now,
    fonts: subsets.fonts(),
    images: qr.images(),
    forms: qr.forms(),
  });
}
