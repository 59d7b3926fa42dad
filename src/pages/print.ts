/**
 * The print kit as SVG: a print-ready poster card (the QR at a physical size with its quiet
 * zone, the store name, a call to action and the dashed manual code) and an A4 sheet of cards
 * with crop marks for a batch, drawn from the layout in `print-layout.ts`. SVG in millimetres
 * (`width="…mm"`, `viewBox` in mm), black on white, fonts named generically so any print
 * shop's RIP can render it. Every text is XML-escaped; nothing from a request reaches an
 * attribute unvalidated. The same layouts as PDF: `print-pdf.ts`.
 */
import type { QrMatrix } from "../core/qr";
import {
  A4,
  type CardOptions,
  layoutCard,
  layoutSheet,
  type PrintItem,
  type PrintMark,
  QUIET_MODULES,
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
 * The QR of `url` as a group centred on `centerX` mm with its top at `top` mm, the symbol
 * `sizeMm` wide and its quiet zone (4 modules) drawn white around it. One path of
 * `M x y h w v1 h-w z` runs, in module units.
 *
 * @example
 * const { svg, sideMm } = qrGroup(qrMatrix("HTTPS://QR.EXAMPLE.COM/P/7K2M9QX4AB"), 35, 10, 40);
 */
export function qrGroup(
  m: QrMatrix,
  centerX: number,
  top: number,
  sizeMm: number,
): { svg: string; sideMm: number } {
  const moduleMm = sizeMm / m.size;
  const side = m.size + 2 * QUIET_MODULES;
  let d = "";
  for (let r = 0; r < m.size; r++) {
    for (let c = 0; c < m.size; ) {
      if (m.data[r * m.size + c] !== 1) {
        c++;
        continue;
      }
      const start = c;
      while (c < m.size && m.data[r * m.size + c] === 1) c++;
      d += `M${start + QUIET_MODULES} ${r + QUIET_MODULES}h${c - start}v1h-${c - start}z`;
    }
  }
  const sideMm = side * moduleMm;
  const svg =
    `<g class="qr" data-modules="${m.size}" data-quiet="${QUIET_MODULES}" transform="translate(${mm(centerX - sideMm / 2)} ${mm(top)}) scale(${moduleMm.toFixed(5)})">` +
    `<rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${d}"/></g>`;
  return { svg, sideMm };
}

const TEXT_STYLE = {
  bold: ' font-weight="bold"',
  code: ` class="code" font-family="${MONO}" font-weight="bold" letter-spacing="0.2"`,
} as const;

/** One layout mark as SVG (crop lines are drawn together, see renderPrintSheet). */
function markSvg(mark: PrintMark): string {
  if (mark.kind === "qr") {
    const sizeMm = mark.moduleMm * mark.matrix.size;
    const side = mark.matrix.size + 2 * QUIET_MODULES;
    return qrGroup(mark.matrix, mark.x + (side * mark.moduleMm) / 2, mark.y, sizeMm).svg;
  }
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
    .map((l) =>
      l.kind === "line" ? `M${mm(l.x)} ${mm(l.y)}${l.dx ? `h${mm(l.dx)}` : `v${mm(l.dy)}`}` : "",
    )
    .join("");
  const footer = sheet.footer.kind === "text" ? sheet.footer.text : "";
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
