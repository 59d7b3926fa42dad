/**
 * The print kit, pure: a print-ready poster card (the QR at a physical size with its quiet
 * zone, the store name, a call to action and the dashed manual code) and an A4 sheet of cards
 * with crop marks for a batch. SVG in millimetres (`width="…mm"`, `viewBox` in mm), black on
 * white, fonts named generically so any print shop's RIP can render it. Every text is
 * XML-escaped; nothing from a request reaches an attribute unvalidated.
 */
import { type QrMatrix, qrMatrix } from "../core/qr";

export type PrintLang = "en" | "zh";

/** One code to print. */
export interface PrintItem {
  /** The bridge link the QR carries (uppercase, alphanumeric mode). */
  url: string;
  /** "7K2M9-QX4AB". */
  displayCode: string;
  storeName?: string | null;
  /** The poster's own name, printed small on sheets so the cut cards can be told apart. */
  label?: string | null;
}

export interface CardOptions {
  /** Printed width of the QR symbol without its quiet zone, mm (15–200). Default 40. */
  sizeMm?: number;
  /** Call to action above the code (default: "Scan with your phone camera"). */
  cta?: string | null;
  /** Host (and path) shown in "Or enter the code at <host>/c". */
  host: string;
  lang?: PrintLang;
}

const TEXT = {
  en: { cta: "Scan with your phone camera", manual: "No camera? Enter the code at {host}" },
  zh: { cta: "用手机相机扫码", manual: "无法扫码？请在 {host} 输入代码" },
} as const;

const QUIET_MODULES = 4;
const SANS = "Helvetica, Arial, 'Noto Sans', 'PingFang SC', sans-serif";
const MONO = "'DejaVu Sans Mono', Menlo, Consolas, 'Courier New', monospace";
export const A4 = { width: 210, height: 297, margin: 10, cols: 3, rows: 4 } as const;
/** Cards on one A4 sheet. */
export const PER_SHEET = A4.cols * A4.rows;

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

/** Rough text width (em): CJK and other wide glyphs count 1, the rest 0.55 (sans average, rounded up). */
function ems(text: string): number {
  let w = 0;
  for (const ch of text)
    w += /[\u1100-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 1 : 0.55;
  return w;
}

/** Cut `text` to fit `widthMm` at `fontMm`, with an ellipsis when it had to. */
function truncateToWidth(text: string, widthMm: number, fontMm: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  if (ems(clean) * fontMm <= widthMm) return clean;
  let out = "";
  for (const ch of clean) {
    if (ems(`${out + ch}…`) * fontMm > widthMm) break;
    out += ch;
  }
  return `${out}…`;
}

/** A font size ≤ `maxFont` at which `text` fits `widthMm` (for lines that must not be cut). */
const fitFont = (text: string, widthMm: number, maxFont: number) =>
  Math.min(maxFont, widthMm / Math.max(1, ems(text)));

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

/** The side of the printed QR with its quiet zone, mm. */
const qrSideMm = (m: QrMatrix, sizeMm: number) => (sizeMm * (m.size + 2 * QUIET_MODULES)) / m.size;

/** One card laid out in a box `width` mm wide from (x, y): its SVG and height. */
function cardBody(
  item: PrintItem,
  m: QrMatrix,
  x: number,
  y: number,
  width: number,
  sizeMm: number,
  o: CardOptions,
): { svg: string; height: number } {
  const t = TEXT[o.lang ?? "en"];
  const parts: string[] = [];
  const cx = x + width / 2;
  const inner = width - 6;
  const font = Math.min(6, Math.max(3, sizeMm * 0.1));
  let cursor = y + 4;
  if (item.storeName?.trim()) {
    cursor += font;
    parts.push(
      textLine(
        cx,
        cursor,
        font,
        truncateToWidth(item.storeName, inner, font),
        ' font-weight="bold"',
      ),
    );
    cursor += 1;
  }
  const qr = qrGroup(m, cx, cursor, sizeMm);
  parts.push(qr.svg);
  cursor += qr.sideMm + font * 0.9;
  const cta = o.cta?.trim() || t.cta;
  // Shrink a long call to action down to the small-print size, then cut it.
  const ctaFont = Math.max(font * 0.55, fitFont(cta, inner, font * 0.8));
  parts.push(textLine(cx, cursor, ctaFont, truncateToWidth(cta, inner, ctaFont)));
  const codeFont = Math.min(sizeMm * 0.15, inner / (ems(item.displayCode) * 1.1));
  cursor += codeFont * 1.25;
  parts.push(
    textLine(
      cx,
      cursor,
      codeFont,
      item.displayCode,
      ` class="code" font-family="${MONO}" font-weight="bold" letter-spacing="0.2"`,
    ),
  );
  cursor += font * 0.9;
  const manual = t.manual.replace("{host}", `${o.host}/c`);
  parts.push(textLine(cx, cursor, fitFont(manual, inner, font * 0.55), manual, ' fill="#333"'));
  if (item.label?.trim()) {
    cursor += font * 0.7;
    parts.push(
      textLine(
        cx,
        cursor,
        font * 0.45,
        truncateToWidth(item.label, inner, font * 0.45),
        ' fill="#666"',
      ),
    );
  }
  return { svg: parts.join(""), height: cursor + 4 - y };
}

/**
 * A print-ready card for one poster, sized in mm around the QR.
 *
 * @example
 * const svg = renderPosterCard({ url, displayCode: "7K2M9-QX4AB", storeName: "Shibuya" }, { sizeMm: 50, host: "qr.example.com" });
 */
export function renderPosterCard(item: PrintItem, o: CardOptions): string {
  const sizeMm = o.sizeMm ?? 40;
  const m = qrMatrix(item.url, { ecLevel: "M" });
  const width = Math.max(qrSideMm(m, sizeMm) + 8, 60);
  const body = cardBody(item, m, 0, 0, width, sizeMm, o);
  const [w, h] = [mm(width), mm(body.height)];
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}mm" height="${h}mm" viewBox="0 0 ${w} ${h}" font-family="${SANS}" shape-rendering="crispEdges">` +
    `<title>${escapeXml(`${item.storeName ? `${item.storeName} · ` : ""}${item.displayCode}`)}</title>` +
    `<rect width="${w}" height="${h}" fill="#fff"/>${body.svg}</svg>`
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
  const { width, height, margin, cols, rows } = A4;
  const cellW = (width - 2 * margin) / cols;
  const cellH = (height - 2 * margin) / rows;
  const sizeMm = 32;
  const parts: string[] = [];
  items.slice(0, PER_SHEET).forEach((item, i) => {
    const x = margin + (i % cols) * cellW;
    const y = margin + Math.floor(i / cols) * cellH;
    const m = qrMatrix(item.url, { ecLevel: "M" });
    parts.push(`<g class="card">${cardBody(item, m, x, y, cellW, sizeMm, o).svg}</g>`);
  });
  // Crop marks: short lines in the margin on every vertical and horizontal cut.
  const marks: string[] = [];
  for (let c = 0; c <= cols; c++) {
    const x = mm(margin + c * cellW);
    marks.push(`M${x} 1v${margin - 3}`, `M${x} ${height - margin + 2}v${margin - 3}`);
  }
  for (let r = 0; r <= rows; r++) {
    const y = mm(margin + r * cellH);
    marks.push(`M1 ${y}h${margin - 3}`, `M${width - margin + 2} ${y}h${margin - 3}`);
  }
  const footer = `${pageInfo.page} / ${pageInfo.pages}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}mm" height="${height}mm" viewBox="0 0 ${width} ${height}" font-family="${SANS}" shape-rendering="crispEdges">` +
    `<title>${escapeXml(`qrbridge poster sheet ${footer}`)}</title>` +
    `<rect width="${width}" height="${height}" fill="#fff"/>` +
    `<path class="crop-marks" d="${marks.join("")}" stroke="#000" stroke-width="0.2" fill="none"/>` +
    parts.join("") +
    textLine(width / 2, height - 3, 2.5, footer, ' fill="#666"') +
    "</svg>"
  );
}
