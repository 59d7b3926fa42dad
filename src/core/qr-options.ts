/**
 * QR options: what a caller (a route's query string, a poster's style, a library user) may ask
 * of a code, validated and defaulted before anything is drawn. Pure (no bindings). Colours and
 * sizes are re-serialised from what was parsed, so nothing the caller passes reaches an SVG raw.
 */
import type { Rgba } from "./png";
import { checkContrast, type FinderShape, type ModuleShape } from "./qr-style";

export type EcLevel = "L" | "M" | "Q" | "H";

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

const EC_LEVELS: readonly EcLevel[] = ["L", "M", "Q", "H"];
const MM_PER_UNIT: Record<string, number> = { mm: 1, cm: 10, in: 25.4, pt: 25.4 / 72 };

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

/**
 * `value` as an error-correction level, or a {@link QrOptionError} naming `field`.
 *
 * @example
 * checkEc("H", "ec"); // "H"
 */
export function checkEc(value: string, field: string): EcLevel {
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

function colourString(c: Rgba): string {
  if (c[3] === 0) return "transparent";
  const hex = c.map((v) => v.toString(16).padStart(2, "0")).join("");
  return `#${c[3] === 255 ? hex.slice(0, 6) : hex}`;
}

function quote(value: unknown): string {
  const s = String(value);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}
