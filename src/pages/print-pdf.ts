/**
 * The print kit as PDF: the same layouts as the SVGs (`print-layout.ts`), drawn with PDF
 * operators. One file holds a whole batch, an A4 page per 12 cards, which is what print shops
 * ask for. Drawn in millimetres from the top left: each page starts by scaling mm to points and
 * flipping the y axis, and each text flips its glyphs back upright.
 */
import {
  isWinAnsi,
  num,
  type PdfFont,
  PT_PER_MM,
  pdfDocument,
  pdfString,
  textWidth,
} from "../core/pdf";
import {
  A4,
  type CardOptions,
  layoutCard,
  layoutSheet,
  PER_SHEET,
  type PrintItem,
  type PrintMark,
  QUIET_MODULES,
  qrRuns,
} from "./print-layout";

/** Extra space after each character of the manual code, mm (the SVG's letter-spacing). */
const CODE_SPACING = 0.2;

/** A `#rgb` grey as a PDF grey level (0 black, 1 white). */
const grey = (hex: string) => num(Number.parseInt(hex.slice(1, 2), 16) / 15);

function markPdf(mark: PrintMark): string {
  if (mark.kind === "line") {
    return `0.2 w ${num(mark.x)} ${num(mark.y)} m ${num(mark.x + mark.dx)} ${num(mark.y + mark.dy)} l S`;
  }
  if (mark.kind === "qr") {
    // In module units: a white square for the quiet zone, then one rectangle per dark run.
    const side = mark.matrix.size + 2 * QUIET_MODULES;
    let runs = "";
    for (const [x, y, w] of qrRuns(mark.matrix)) runs += `${x} ${y} ${w} 1 re\n`;
    const m = mark.moduleMm.toFixed(5);
    return `q ${m} 0 0 ${m} ${num(mark.x)} ${num(mark.y)} cm 1 g 0 0 ${side} ${side} re f 0 g\n${runs}f Q`;
  }
  const font: PdfFont = !isWinAnsi(mark.text)
    ? "F4"
    : mark.style === "code"
      ? "F3"
      : mark.style === "bold"
        ? "F2"
        : "F1";
  const spacing = mark.style === "code" ? CODE_SPACING : 0;
  const width = textWidth(mark.text, font) * mark.size + spacing * (mark.text.length - 1);
  const fill = mark.fill ? `${grey(mark.fill)} g ` : "";
  return (
    `${fill}BT /${font} ${num(mark.size)} Tf ${num(spacing)} Tc ` +
    `1 0 0 -1 ${num(mark.x - width / 2)} ${num(mark.y)} Tm ${pdfString(mark.text, font)} Tj ET` +
    (fill ? " 0 g" : "")
  );
}

/** A page `widthMm` × `heightMm` drawing `marks`. */
function page(widthMm: number, heightMm: number, marks: PrintMark[]) {
  const [width, height] = [widthMm * PT_PER_MM, heightMm * PT_PER_MM];
  const flip = `${num(PT_PER_MM)} 0 0 ${num(-PT_PER_MM)} 0 ${num(height)} cm`;
  return { width, height, content: `${flip}\n${marks.map(markPdf).join("\n")}\n` };
}

/**
 * A print-ready card for one poster as a one-page PDF, sized in mm around the QR.
 *
 * @example
 * const pdf = await renderPosterCardPdf({ url, displayCode: "7K2M9-QX4AB" }, { sizeMm: 50, host: "qr.example.com" });
 */
export async function renderPosterCardPdf(
  item: PrintItem,
  o: CardOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const card = layoutCard(item, o);
  const title = `${item.storeName ? `${item.storeName} · ` : ""}${item.displayCode}`;
  return pdfDocument([page(card.width, card.height, card.marks)], title);
}

/**
 * All `items` on A4 pages of {@link PER_SHEET} cards with crop marks, in one PDF.
 *
 * @example
 * const pdf = await renderPrintSheetsPdf(items, { host: "qr.example.com" });
 */
export async function renderPrintSheetsPdf(
  items: PrintItem[],
  o: Omit<CardOptions, "sizeMm">,
): Promise<Uint8Array<ArrayBuffer>> {
  const pages = Math.max(1, Math.ceil(items.length / PER_SHEET));
  const out = [];
  for (let p = 0; p < pages; p++) {
    const chunk = items.slice(p * PER_SHEET, (p + 1) * PER_SHEET);
    const sheet = layoutSheet(chunk, o, { page: p + 1, pages });
    out.push(page(A4.width, A4.height, [...sheet.crops, ...sheet.cards.flat(), sheet.footer]));
  }
  return pdfDocument(out, "qrbridge poster sheets");
}
