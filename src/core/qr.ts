/**
 * QR matrix → SVG / PNG. Pure (no bindings): runs in workerd and Node.
 *
 * The matrix comes from `qrcode`'s core only (its renderers need Buffer/canvas). `create` picks
 * the segment modes itself, so an uppercase bridge URL (`HTTPS://HOST/H/<CROCKFORD-TOKEN>`)
 * is encoded in alphanumeric mode (11 bits per 2 chars instead of 16): a smaller version.
 * Nothing the caller passes is written raw into the SVG: colours and sizes are validated and
 * re-serialised (core/qr-options.ts), the title is XML-escaped.
 */
import QRCodeCore from "qrcode/lib/core/qrcode.js";
import { encodeBilevelPng, type Rgba } from "./png";
import {
  checkEc,
  type EcLevel,
  QrOptionError,
  type QrOptions,
  type ResolvedQrOptions,
  resolveQrOptions,
} from "./qr-options";

// The options live in core/qr-options.ts; they are re-exported here, where callers import the
// QR API from.
export {
  type EcLevel,
  parseColour,
  parseQrOptions,
  QrOptionError,
  type QrOptions,
  type ResolvedQrOptions,
  resolveQrOptions,
} from "./qr-options";

export type QrMode = "numeric" | "alphanumeric" | "byte" | "kanji";

/** The module matrix of one QR symbol. */
export interface QrMatrix {
  /** Modules per side, without quiet zone. */
  size: number;
  version: number;
  ecLevel: EcLevel;
  /** Segment modes, in order, as chosen by `qrcode`. */
  modes: QrMode[];
  /** Row-major, `data[row * size + col]` is 1 for a dark module. */
  data: Uint8Array;
  /** 1 where a module belongs to a function pattern (finder, timing, alignment, format). */
  reserved: Uint8Array;
  isDark(row: number, col: number): boolean;
}

const MAX_PNG_SIDE = 4096;
const MIN_SHAPED_SCALE = 6;

/**
 * Build the QR matrix of `text` (segments chosen by `qrcode`, smallest version that fits).
 *
 * @example
 * const m = qrMatrix("HTTPS://QR.EXAMPLE.COM/H/0123ABCD", { ecLevel: "M" });
 * m.modes; // ["alphanumeric"]
 * m.isDark(0, 0); // true (finder pattern)
 */
export function qrMatrix(text: string, opts: Pick<QrOptions, "ecLevel"> = {}): QrMatrix {
  const ecLevel = checkEc(opts.ecLevel ?? "M", "ecLevel");
  if (typeof text !== "string" || text === "")
    throw new QrOptionError("text", "must be a non-empty string");
  let sym: ReturnType<typeof QRCodeCore.create>;
  try {
    sym = QRCodeCore.create(text, { errorCorrectionLevel: ecLevel });
  } catch (err) {
    throw new QrOptionError(
      "text",
      err instanceof Error ? err.message.trim() : "cannot be encoded",
    );
  }
  const { size, data, reservedBit } = sym.modules;
  return {
    size,
    version: sym.version,
    ecLevel,
    modes: sym.segments.map((s) => s.mode.id.toLowerCase() as QrMode),
    data,
    reserved: reservedBit,
    isDark: (r, c) => r >= 0 && c >= 0 && r < size && c < size && data[r * size + c] === 1,
  };
}

/**
 * Render a QR code as SVG: one `<path>` of run-length rows, `viewBox` including the quiet zone,
 * `shape-rendering="crispEdges"`. Accepts the text or a matrix from {@link qrMatrix}. Square
 * modules in one colour only: shapes, finder colours and logos are core/qr-styled.ts's (in
 * the print kit module, off the scan path's bundle).
 *
 * @example
 * const svg = renderSvg("HTTPS://QR.EXAMPLE.COM/H/0123ABCD", { ecLevel: "H", size: "30mm", title: "Scan me" });
 */
export function renderSvg(input: string | QrMatrix, opts: QrOptions = {}): string {
  const o = resolveQrOptions(opts, "svg");
  plainOnly(o);
  return svgDocument(typeof input === "string" ? qrMatrix(input, o) : input, o);
}

/** Shaped modules, finder colours and logos are drawn by core/qr-styled.ts (the print kit). */
function plainOnly(o: ResolvedQrOptions): void {
  if (o.styled) throw new Error("a styled code: draw it with core/qr-styled.ts");
}

/**
 * The SVG of matrix `m` in resolved options `o`: the modules as one path of runs, or `body`
 * (paths drawn by the caller: shaped modules), and `overlay` (e.g. a centre logo's `<image>`:
 * the root then declares `xmlns:xlink`) drawn over them.
 *
 * @example
 * svgDocument(m, resolveQrOptions({}, "svg"), undefined, logoSvg(logo, box, 4));
 */
export function svgDocument(
  m: QrMatrix,
  o: ResolvedQrOptions,
  body?: string,
  overlay = "",
): string {
  const side = m.size + 2 * o.margin;
  const dim = o.size ?? String(side * o.scale);
  const xlink = overlay ? ' xmlns:xlink="http://www.w3.org/1999/xlink"' : "";
  let svg = `<svg xmlns="http://www.w3.org/2000/svg"${xlink} viewBox="0 0 ${side} ${side}" width="${dim}" height="${dim}"${o.styled ? "" : ' shape-rendering="crispEdges"'}`;
  svg += o.title === undefined ? ">" : ` role="img"><title>${escapeXml(o.title)}</title>`;
  if (o.bg[3] > 0) svg += `<rect width="${side}" height="${side}"${svgFill(o.bg)}/>`;
  if (body !== undefined) return `${svg}${body}${overlay}</svg>`;
  let d = "";
  const { size, data } = m;
  for (let r = 0; r < size; r++) {
    const row = r * size;
    for (let c = 0; c < size; ) {
      if (data[row + c] !== 1) {
        c++;
        continue;
      }
      const start = c;
      while (c < size && data[row + c] === 1) c++;
      const w = c - start;
      d += `M${start + o.margin} ${r + o.margin}h${w}v1h-${w}z`;
    }
  }
  return `${svg}<path${svgFill(o.fg)} d="${d}"/>${overlay}</svg>`;
}

/**
 * Render a QR code as a 1-bit PNG (greyscale for black on white, else a 2-colour palette).
 *
 * @example
 * const png = await renderPng("HTTPS://QR.EXAMPLE.COM/H/0123ABCD", { scale: 10, margin: 2 });
 * new Response(png, { headers: { "content-type": "image/png" } });
 */
export async function renderPng(
  input: string | QrMatrix,
  opts: QrOptions = {},
): Promise<Uint8Array> {
  const o = resolveQrOptions(opts, "png");
  const m = typeof input === "string" ? qrMatrix(input, o) : input;
  plainOnly(o);
  const { scale } = pngScale(m, o, opts);
  const img = { width: m.size, height: m.size, bits: m.data, scale, margin: o.margin };
  return encodeBilevelPng(img, o.fg, o.bg);
}

/**
 * The pixels per module and side of a PNG of `m`: `scale`, or what fits `size` px; shaped
 * modules need at least {@link MIN_SHAPED_SCALE}.
 *
 * @example
 * const { scale, width } = pngScale(m, o, opts);
 */
export function pngScale(
  m: QrMatrix,
  o: ResolvedQrOptions,
  opts: QrOptions,
): { scale: number; width: number } {
  const side = m.size + 2 * o.margin;
  let scale = o.scale;
  if (o.size !== undefined && opts.scale === undefined) {
    scale = Math.min(32, Math.max(1, Math.floor(Number.parseInt(o.size, 10) / side)));
  }
  const width = side * scale;
  if (width > MAX_PNG_SIDE)
    throw new QrOptionError("scale", `image would be ${width} px wide (max ${MAX_PNG_SIDE})`);
  // Round shapes need pixels to be round: below 6 px a module, a dot is a blot some
  // decoders cannot tell from its neighbours (found by the property test).
  if (scale < MIN_SHAPED_SCALE && (o.modules !== "square" || o.finder !== "square"))
    throw new QrOptionError(
      opts.scale === undefined ? "size" : "scale",
      `rounded or dotted shapes need at least ${MIN_SHAPED_SCALE} px per module (got ${scale})`,
    );
  return { scale, width };
}

export function svgFill([r, g, b, a]: Rgba): string {
  const hex = `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;
  return a === 255
    ? ` fill="${hex}"`
    : ` fill="${hex}" fill-opacity="${Math.round((a / 255) * 1000) / 1000}"`;
}

/** XML-escape text content, dropping characters XML 1.0 forbids (controls, lone surrogates). */
function escapeXml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
