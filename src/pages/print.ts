/**
 * The print kit as SVG: a print-ready poster card (the QR at a physical size with its quiet
 * zone, the store name, a call to action and the dashed manual code) and an A4 sheet of cards
 * with crop marks for a batch, drawn from the layout in `print-layout.ts`. SVG in millimetres
 * (`width="…mm"`, `viewBox` in mm), black on white. With the print fonts loaded every text is
 * drawn as outlines of the same Noto Sans glyphs the PDFs embed (each glyph once in `<defs>`),
 * so it looks the same in any browser, RIP or design tool with no font installed; the text
 * stays readable to machines in `aria-label`. Without them, `<text>` with generic font names.
 * Every text is XML-escaped; nothing from a request reaches an attribute unvalidated. The same
 * layouts as PDF: `print-pdf.ts`.
 */
import type { GlyphStore } from "../core/glyph-store";
import { glyphPath } from "../core/truetype";
import { layoutCard, layoutSheet } from "./print-layout";
import { A4, type CardOptions, type PrintItem, type PrintMark, type TextMark } from "./print-marks";
import { qrSvg } from "./print-qr";
import { measureWith, shapeText } from "./print-text";

export type { PrintLang } from "./print-constants";
export { A4, type CardOptions, PER_SHEET, type PrintItem } from "./print-marks";

const SANS = "Helvetica, Arial, 'Noto Sans', 'PingFang SC', sans-serif";
const MONO = "'DejaVu Sans Mono', Menlo, Consolas, 'Courier New', monospace";

/**
 * Escape text for XML content and attribute values, dropping the characters XML 1.0 forbids
 * (controls, lone surrogates, U+FFFE/U+FFFF): valid UTF-8 and JSON, so a store name or label
 * may hold them, but one of them makes the whole SVG fail to parse.
 *
 * @example
 * escapeXml(`<a href="x">&`) // "&lt;a href=&quot;x&quot;&gt;&amp;"
 * escapeXml("A\uFFFEB\u0001") // "AB"
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(
      /[<>&"']/g,
      (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[ch]!,
    );
}

const mm = (n: number) => String(Math.round(n * 100) / 100);

function textLine(x: number, y: number, fontMm: number, text: string, extra = ""): string {
  return `<text x="${mm(x)}" y="${mm(y)}" font-size="${mm(fontMm)}" text-anchor="middle"${extra}>${escapeXml(text)}</text>`;
}

const TEXT_STYLE = {
  bold: ' font-weight="bold"',
  code: ` class="code" font-family="${MONO}" font-weight="bold" letter-spacing="0.2"`,
} as const;

/** Extra space after each character of the manual code, mm (as in the PDF). */
const CODE_SPACING = 0.2;

/**
 * Glyph outlines used by a file, each defined once (`<path id="gN">`) and placed by `<use>`.
 * Keyed by the outline itself (each glyph's bytes are one object in the store), not by face
 * and code point: a face's .notdef box stands for a code point the face also has a glyph at
 * (a name's own U+F748, drawn as a box, beside the Thai face's raised mai ek there).
 */
class GlyphDefs {
  private readonly ids = new Map<Uint8Array, string>();
  private defs = "";

  constructor(readonly fonts: GlyphStore) {}

  id(outline: Uint8Array): string {
    let id = this.ids.get(outline);
    if (!id) {
      id = `g${this.ids.size}`;
      this.ids.set(outline, id);
      this.defs += `<path id="${id}" d="${glyphPath(outline)}"/>`;
    }
    return id;
  }

  svg(): string {
    return this.defs ? `<defs>${this.defs}</defs>` : "";
  }
}

/** A text as glyph outlines (font units, y up), centred like `<text text-anchor="middle">`. */
function outlinedText(mark: TextMark, defs: GlyphDefs): string | null {
  const style = mark.style ?? "regular";
  const shaped = shapeText(defs.fonts, mark.text, style, mark.region ?? "sc", mark.lang);
  if (!shaped?.runs.length) return null;
  const upm = defs.fonts.face(shaped.runs[0]!.face)!.unitsPerEm;
  const k = mark.size / upm;
  const spacing = mark.style === "code" ? CODE_SPACING / k : 0;
  const count = shaped.runs.reduce((n, r) => n + r.glyphs.length, 0);
  const width = shaped.width * upm + spacing * (count - 1);
  let uses = "";
  let x = 0;
  for (const run of shaped.runs) {
    const scale = upm / defs.fonts.face(run.face)!.unitsPerEm;
    for (const g of run.glyphs) {
      // A shaped glyph's GPOS offset (font units, y up as the group's transform draws them).
      const [dx, dy] = g.offset ?? [0, 0];
      const y = dy ? ` y="${Math.round(dy * scale)}"` : "";
      if (g.outline.length)
        uses += `<use xlink:href="#${defs.id(g.outline)}" x="${Math.round(x + dx * scale)}"${y}/>`;
      x += g.advance * scale + spacing;
    }
  }
  const fill = mark.fill ?? "#000";
  const at = `${mm(mark.x - (width / 2) * k)} ${mm(mark.y)}`;
  return `<g class="text${mark.style ? ` ${mark.style}` : ""}" aria-label="${escapeXml(mark.text)}" fill="${fill}" transform="matrix(${k.toFixed(6)} 0 0 ${(-k).toFixed(6)} ${at})">${uses}</g>`;
}

/** One layout mark as SVG (crop lines are drawn together, see renderPrintSheet). */
function markSvg(mark: PrintMark, defs: GlyphDefs | null): string {
  if (mark.kind === "qr") return qrSvg(mark);
  if (mark.kind === "line") return "";
  const outlined = defs && outlinedText(mark, defs);
  if (outlined) return outlined;
  const extra =
    (mark.style ? TEXT_STYLE[mark.style] : "") + (mark.fill ? ` fill="${mark.fill}"` : "");
  return textLine(mark.x, mark.y, mark.size, mark.text, extra);
}

const SVG_OPEN = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"`;

/**
 * A print-ready card for one poster, sized in mm around the QR.
 *
 * @example
 * const svg = renderPosterCard({ url, displayCode: "7K2M9-QX4AB", storeName: "Shibuya" }, { sizeMm: 50, host: "qr.example.com" });
 */
export function renderPosterCard(
  item: PrintItem,
  o: CardOptions,
  fonts: GlyphStore | null = null,
): string {
  const card = layoutCard(item, fonts ? { ...o, measure: measureWith(fonts, o.textLang) } : o);
  const [w, h] = [mm(card.width), mm(card.height)];
  const defs = fonts && new GlyphDefs(fonts);
  const body = card.marks.map((m) => markSvg(m, defs)).join("");
  return (
    `${SVG_OPEN} width="${w}mm" height="${h}mm" viewBox="0 0 ${w} ${h}" font-family="${SANS}" shape-rendering="crispEdges">` +
    `<title>${escapeXml(`${item.storeName ? `${item.storeName} · ` : ""}${item.displayCode}`)}</title>` +
    `${defs?.svg() ?? ""}<rect width="${w}" height="${h}" fill="#fff"/>${body}</svg>`
  );
}

/**
 * One A4 sheet (210 × 297 mm) of up to {@link PER_SHEET} cards in a 3 × 4 grid, with crop marks
 * in the margin at every cut line.
 *
 * @example
 * const svg = renderPrintSheet(items.slice(0, 12), { host: "qr.example.com" }, { page: 1, pages: 1 });
 */
export function renderPrintSheet(
  items: PrintItem[],
  o: Omit<CardOptions, "sizeMm">,
  pageInfo: { page: number; pages: number },
  fonts: GlyphStore | null = null,
): string {
  const { width, height } = A4;
  const measured = fonts ? { ...o, measure: measureWith(fonts, o.textLang) } : o;
  const sheet = layoutSheet(items, measured, pageInfo);
  const defs = fonts && new GlyphDefs(fonts);
  const cards = sheet.cards
    .map((card) => `<g class="card">${card.map((m) => markSvg(m, defs)).join("")}</g>`)
    .join("");
  const footerSvg = markSvg(sheet.footer, defs);
  const crops = sheet.crops
    .map((l) => `M${mm(l.x)} ${mm(l.y)}${l.dx ? `h${mm(l.dx)}` : `v${mm(l.dy)}`}`)
    .join("");
  const footer = sheet.footer.text;
  return (
    `${SVG_OPEN} width="${width}mm" height="${height}mm" viewBox="0 0 ${width} ${height}" font-family="${SANS}" shape-rendering="crispEdges">` +
    `<title>${escapeXml(`qrbridge poster sheet ${footer}`)}</title>${defs?.svg() ?? ""}` +
    `<rect width="${width}" height="${height}" fill="#fff"/>` +
    `<path class="crop-marks" d="${crops}" stroke="#000" stroke-width="0.2" fill="none"/>` +
    cards +
    footerSvg +
    "</svg>"
  );
}
