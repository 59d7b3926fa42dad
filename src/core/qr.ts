/**
 * QR matrix → SVG / PNG. Pure (no bindings): runs in workerd and Node.
 *
 * The matrix comes from `qrcode`'s core only (its renderers need Buffer/canvas). `create` picks
 * the segment modes itself, so an uppercase bridge URL (`HTTPS://HOST/H/<CROCKFORD-TOKEN>`)
 * is encoded in alphanumeric mode (11 bits per 2 chars instead of 16): a smaller version.
 * Nothing the caller passes is written raw into the SVG: colours and sizes are validated and
 * re-serialised, the title is XML-escaped.
 */
import QRCodeCore from "qrcode/lib/core/qrcode.js";
import { encodeBilevelPng, type Rgba } from "./png";
import { checkContrast, type FinderShape, type ModuleShape } from "./qr-style";

export type EcLevel = "L" | "M" | "Q" | "H";
export type QrMode = "numeric" | "alphanumeric" | "byte" | "kanji";

/** Rendering options. Every field is optional and validated; see {@link parseQrOptions}. */
export interface QrOptions {
  /** Error-correction level, default `M`. */
  ecLevel?: EcLevel;
  /** Quiet zone in modules, 0..16, default 4. */
  margin?: number;
  /** Dark colour: `#rgb`, `#rrggbb` or `#rrggbbaa`; default `#000000`. */
  fg?: string;
  /** Light colour: as `fg`, or `transparent`; default `#ffffff`. */
  bg?: string;
  /** SVG: width/height, px 64..2048 (number or "256px") or physical ("25mm", "2.5cm", "1in", "72pt", 5..1000 mm). PNG: px only, picks the scale. */
  size?: number | string;
  /** Pixels per module, 1..32, default 8 (PNG; also the default SVG px size). */
  scale?: number;
  /** Accessible name (SVG `<title>`), at most 200 characters. */
  title?: string;
  /** Module shape, default square. */
  modules?: ModuleShape;
  /** Finder pattern shape, default square. */
  finder?: FinderShape;
  /** Finder patterns' colour (default `fg`). */
  finderColor?: string;
  /** Light modules on a dark background, refused unless true (see core/qr-style.ts). */
  invert?: boolean;
}

/** A bad option (or text that cannot be encoded); `field` names the option or query parameter. */
export class QrOptionError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "QrOptionError";
    this.field = field;
  }
}

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

const EC_LEVELS: readonly EcLevel[] = ["L", "M", "Q", "H"];
const MM_PER_UNIT: Record<string, number> = { mm: 1, cm: 10, in: 25.4, pt: 25.4 / 72 };
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

/**
 * Read and validate QR options from a query string: `ec` (L/M/Q/H), `margin`, `fg`, `bg`
 * (`%23rrggbb`; a bare `rrggbb` is accepted too), `size`, `scale`. Unknown parameters are
 * ignored. Throws {@link QrOptionError} whose `field` is the parameter name.
 *
 * @example
 * parseQrOptions(new URL("https://x/qr/A.svg?ec=H&margin=2&fg=%23000000&scale=10").searchParams);
 * // { ecLevel: "H", margin: 2, fg: "#000000", scale: 10 }
 */
export function parseQrOptions(
  searchParams: URLSearchParams,
  format: "svg" | "png" = "svg",
): QrOptions {
  const out: QrOptions = {};
  const ec = searchParams.get("ec");
  if (ec !== null) out.ecLevel = checkEc(ec.toUpperCase(), "ec");
  for (const field of ["margin", "scale"] as const) {
    const raw = searchParams.get(field);
    if (raw === null) continue;
    if (!/^\d{1,4}$/.test(raw))
      throw new QrOptionError(field, `must be a whole number, got ${quote(raw)}`);
    out[field] = Number(raw);
  }
  for (const field of ["fg", "bg"] as const) {
    const raw = searchParams.get(field);
    if (raw !== null) out[field] = /^[0-9a-f]{3,8}$/i.test(raw) ? `#${raw}` : raw;
  }
  const size = searchParams.get("size");
  if (size !== null) out.size = /^\d+$/.test(size) ? Number(size) : size;
  const modules = searchParams.get("modules");
  if (modules !== null) out.modules = modules as ModuleShape;
  const finder = searchParams.get("finder");
  if (finder !== null) out.finder = finder as FinderShape;
  const finderColor = searchParams.get("finder_color");
  if (finderColor !== null)
    out.finderColor = /^[0-9a-f]{3,8}$/i.test(finderColor) ? `#${finderColor}` : finderColor;
  const invert = searchParams.get("invert");
  if (invert !== null) {
    if (!/^(1|true|0|false)$/.test(invert))
      throw new QrOptionError("invert", "must be true or false");
    out.invert = invert === "1" || invert === "true";
  }
  const o = resolveQrOptions(out, format);
  if (out.fg !== undefined) out.fg = colourString(o.fg);
  if (out.bg !== undefined) out.bg = colourString(o.bg);
  if (out.finderColor !== undefined) out.finderColor = colourString(o.finderColor);
  if (o.size !== undefined) out.size = /^\d+$/.test(o.size) ? Number(o.size) : o.size;
  return out;
}

/**
 * Parse a colour: `#rgb`, `#rrggbb`, `#rrggbbaa` or `transparent` → RGBA. Anything else throws.
 *
 * @example
 * parseColour("#0a0", "fg"); // [0, 170, 0, 255]
 * parseColour('red;"><script>', "fg"); // throws QrOptionError (field "fg")
 */
export function parseColour(value: string, field = "colour"): Rgba {
  if (value === "transparent") return [0, 0, 0, 0];
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(
    typeof value === "string" ? value : "",
  );
  if (!m)
    throw new QrOptionError(
      field,
      `must be #rgb, #rrggbb, #rrggbbaa or transparent, got ${quote(value)}`,
    );
  let hex = m[1]!;
  if (hex.length === 3) hex = hex.replace(/./g, "$&$&");
  const n = (i: number) => Number.parseInt(hex.slice(i, i + 2), 16);
  return [n(0), n(2), n(4), hex.length === 8 ? n(6) : 255];
}

export interface ResolvedQrOptions {
  ecLevel: EcLevel;
  margin: number;
  scale: number;
  fg: Rgba;
  bg: Rgba;
  size: string | undefined;
  title: string | undefined;
  modules: ModuleShape;
  finder: FinderShape;
  finderColor: Rgba;
  /** Not plain squares in one colour: drawn by core/qr-shapes.ts. */
  styled: boolean;
}

/**
 * Options checked and defaulted (colours parsed, contrast checked): what the renderers draw with.
 *
 * @example
 * const o = resolveQrOptions({ fg: "#1a237e" }, "svg");
 */
export function resolveQrOptions(opts: QrOptions, format: "svg" | "png"): ResolvedQrOptions {
  const fg = parseColour(opts.fg ?? "#000000", "fg");
  const bg = parseColour(opts.bg ?? "#ffffff", "bg");
  if (fg[3] === 0) throw new QrOptionError("fg", "must not be transparent");
  if (fg.every((v, i) => v === bg[i])) throw new QrOptionError("bg", "must differ from fg");
  const finderColor =
    opts.finderColor === undefined ? fg : parseColour(opts.finderColor, "finder_color");
  // Every style must scan: enough contrast, dark on light unless inverted on purpose.
  checkContrast(colourString(fg), colourString(bg), !!opts.invert, "fg");
  if (opts.finderColor !== undefined)
    checkContrast(colourString(finderColor), colourString(bg), !!opts.invert, "finder_color");
  const modules = opts.modules ?? "square";
  const finder = opts.finder ?? "square";
  if (!["square", "rounded", "dots"].includes(modules))
    throw new QrOptionError("modules", "must be square, rounded or dots");
  if (!["square", "rounded"].includes(finder))
    throw new QrOptionError("finder", "must be square or rounded");
  const title = opts.title;
  if (title !== undefined && (typeof title !== "string" || title.length > 200)) {
    throw new QrOptionError("title", "must be a string of at most 200 characters");
  }
  return {
    ecLevel: checkEc(opts.ecLevel ?? "M", "ecLevel"),
    margin: checkInt(opts.margin ?? 4, 0, 16, "margin"),
    scale: checkInt(opts.scale ?? 8, 1, 32, "scale"),
    fg,
    bg,
    size: opts.size === undefined ? undefined : checkSize(opts.size, format),
    title,
    modules,
    finder,
    finderColor,
    styled: modules !== "square" || finder !== "square" || opts.finderColor !== undefined,
  };
}

function checkEc(value: string, field: string): EcLevel {
  if (!EC_LEVELS.includes(value as EcLevel))
    throw new QrOptionError(field, `must be one of L, M, Q, H, got ${quote(value)}`);
  return value as EcLevel;
}

function checkInt(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new QrOptionError(
      field,
      `must be a whole number from ${min} to ${max}, got ${quote(value)}`,
    );
  }
  return value;
}

function checkSize(value: number | string, format: "svg" | "png"): string {
  const m = /^(\d{1,4}(?:\.\d{1,2})?)(px|mm|cm|in|pt)?$/.exec(String(value));
  const n = m ? Number(m[1]) : Number.NaN;
  const unit = m?.[2] ?? "px";
  if (unit === "px") {
    if (!Number.isInteger(n) || n < 64 || n > 2048) {
      throw new QrOptionError(
        "size",
        `must be 64..2048 px or a physical size like 25mm or 1in, got ${quote(value)}`,
      );
    }
    return String(n);
  }
  if (format === "png")
    throw new QrOptionError("size", "physical units (mm, cm, in, pt) are for SVG only");
  const mm = n * MM_PER_UNIT[unit]!;
  if (!(mm >= 5 && mm <= 1000))
    throw new QrOptionError("size", `must be between 5mm and 1000mm, got ${quote(value)}`);
  return `${n}${unit}`;
}

export function svgFill([r, g, b, a]: Rgba): string {
  const hex = `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;
  return a === 255
    ? ` fill="${hex}"`
    : ` fill="${hex}" fill-opacity="${Math.round((a / 255) * 1000) / 1000}"`;
}

function colourString(c: Rgba): string {
  if (c[3] === 0) return "transparent";
  const hex = c.map((v) => v.toString(16).padStart(2, "0")).join("");
  return `#${c[3] === 255 ? hex.slice(0, 6) : hex}`;
}

/** XML-escape text content, dropping characters XML 1.0 forbids (controls, lone surrogates). */
function escapeXml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function quote(value: unknown): string {
  const s = String(value);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}
