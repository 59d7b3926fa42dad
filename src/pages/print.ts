/**
 * The print kit as SVG: a print-ready poster card (the QR at a physical size with its quiet
 * zone, the store name, a call to action and the dashed manual code) and an A4 sheet of cards
 * with crop marks for a batch, drawn from the layout in `print-layout.ts`. SVG in millimetres
 * (`width="…mm"`, `viewBox` in mm), black on white, fonts named generically so any print
 * shop's RIP can render it. Every text is XML-escaped; nothing from a request reaches an
 * attribute unvalidated. The same layouts as PDF: `print-pdf.ts`.
 */
import {
  A4,
  type CardOptions,
  layoutCard,
  layoutSheet,
  type PrintItem,
  type PrintMark,
  type QrMark,
  QUIET_MODULES,
  qrRuns,
} from "./print-layout";

export { A4, type CardOptions, PER_SHEET, type PrintItem, type PrintLang } from "./print-layout";

const SANS = "Helvetica, Arial, 'Noto Sans', 'PingFang SC', sans-serif";
const MONO = "'DejaVu Sans Mono', Menlo, Consolas, 'Courier New', monospace";

/**
 * Escape text for XML content and attribute values.
 *
 * @example
 * escapeXml(`<a href="x">&`) // "&lt;a href=&quot;x&quot;&gt;&amp;"
 */
export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[ch]!,
  );
}

const mm = (n: number) => String(Math.round(n * 100) / 100);

function textLine(x: number, y: number, fontMm: number, text: string, extra = ""): string {
  return `<text x="${mm(x)}" y="${mm(y)}" font-size="${mm(fontMm)}" text-anchor="middle"${extra}>${escapeXml(text)}</text>`;
}

/**
 * A QR mark as an SVG group: translated to its corner and scaled to its module size, a white
 * square for the quiet zone and one path of `M x y h w v1 h-w z` runs, in module units.
 *
 * @example
 * const svg = qrSvg({ kind: "qr", matrix: qrMatrix(url), x: 10, y: 10, moduleMm: 1.2 });
 */
export function qrSvg(mark: QrMark): string {
  const m = mark.matrix;
  const side = m.size + 2 * QUIET_MODULES;
  let d = "";
  for (const [x, y, w] of qrRuns(m)) d += `M${x} ${y}h${w}v1h-${w}z`;
  return (
    `<g class="qr" data-modules="${m.size}" data-quiet="${QUIET_MODULES}" transform="translate(${mm(mark.x)} ${mm(mark.y)}) scale(${mark.moduleMm.toFixed(5)})">` +
    `<rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${d}"/></g>`
  );
}

const TEXT_STYLE = {
  bold: ' font-weight="bold"',
  code: ` class="code" font-family="${MONO}" font-weight="bold" letter-spacing="0.2"`,
} as const;

/** One layout mark as SVG (crop lines are drawn together, see renderPrintSheet). */
function markSvg(mark: PrintMark): string {
  if (mark.kind === "qr") return qrSvg(mark);
  if (mark.kind === "line") return "";
  const extra =
    (mark.style ? TEXT_STYLE[mark.style] : "") + (mark.fill ? ` fill="${mark.fill}"` : "");
  return textLine(mark.x, mark.y, mark.size, mark.text, extra);
}

/**
 * A print-ready card for one poster, sized in mm around the QR.
 *
 * @example
 * const svg = renderPosterCard({ url, displayCode: "7K2M9-QX4AB", storeName: "Shibuya" }, { sizeMm: 50, host: "qr.example.com" });
 */
export function renderPosterCard(item: PrintItem, o: CardOptions): string {
  const card = layoutCard(item, o);
  const [w, h] = [mm(card.width), mm(card.height)];
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}mm" height="${h}mm" viewBox="0 0 ${w} ${h}" font-family="${SANS}" shape-rendering="crispEdges">` +
    `<title>${escapeXml(`${item.storeName ? `${item.storeName} · ` : ""}${item.displayCode}`)}</title>` +
    `<rect width="${w}" height="${h}" fill="#fff"/>${card.marks.map(markSvg).join("")}</svg>`
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
): string {
  const { width, height } = A4;
  const sheet = layoutSheet(items, o, pageInfo);
  const crops = sheet.crops
    .map((l) => `M${mm(l.x)} ${mm(l.y)}${l.dx ? `h${mm(l.dx)}` : `v${mm(l.dy)}`}`)
    .join("");
  const footer = sheet.footer.text;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}mm" height="${height}mm" viewBox="0 0 ${width} ${height}" font-family="${SANS}" shape-rendering="crispEdges">` +
    `<title>${escapeXml(`qrbridge poster sheet ${footer}`)}</title>` +
    `<rect width="${width}" height="${height}" fill="#fff"/>` +
    `<path class="crop-marks" d="${crops}" stroke="#000" stroke-width="0.2" fill="none"/>` +
    sheet.cards.map((card) => `<g class="card">${card.map(markSvg).join("")}</g>`).join("") +
    markSvg(sheet.footer) +
    "</svg>"
  );
}
