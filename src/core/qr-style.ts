/**
 * Branded QR styles that always scan: colours, module and finder shapes, checked so that every
 * style the API accepts decodes (test/unit/qr-style.test.ts renders random accepted styles and
 * decodes each with jsQR). A style is refused, naming the field, when its colours have too
 * little luminance contrast, when the code would be light on dark without `invert: true`, or
 * when a logo would cover too much.
 */
import { parseColour, QrOptionError } from "./qr";

export type ModuleShape = "square" | "rounded" | "dots";
export type FinderShape = "square" | "rounded";

/** A QR style as stored with a poster and accepted by the API (snake_case, as the JSON). */
export interface QrStyle {
  /** Dark modules, `#rrggbb` (default black). */
  fg?: string;
  /** Background and quiet zone, `#rrggbb` (default white). */
  bg?: string;
  modules?: ModuleShape;
  finder?: FinderShape;
  /** The three finder patterns' colour (default `fg`). */
  finder_color?: string;
  /** Light modules on a dark background: refused unless asked for (many old scanners fail). */
  invert?: boolean;
}

/** Least WCAG contrast ratio between the modules and the background. */
export const MIN_CONTRAST = 4.5;

/**
 * Relative luminance (WCAG 2) of an sRGB colour.
 *
 * @example
 * luminance([255, 255, 255]) // 1
 */
export function luminance([r, g, b]: readonly number[]): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

/**
 * WCAG contrast ratio of two luminances (1–21).
 *
 * @example
 * contrast(luminance([0, 0, 0]), luminance([255, 255, 255])) // 21
 */
export const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

/** A colour composited over an opaque one (what a reader sees of a translucent colour). */
export function over(top: readonly number[], below: readonly number[]): number[] {
  const a = (top[3] ?? 255) / 255;
  return [0, 1, 2].map((i) => Math.round(top[i]! * a + below[i]! * (1 - a)));
}

/**
 * Check that `fg` (or a finder colour) reads against `bg`: contrast of at least
 * {@link MIN_CONTRAST}, and darker than the background unless `invert`. A transparent or
 * translucent background is judged over white paper. Throws {@link QrOptionError} naming `field`.
 *
 * @example
 * checkContrast("#767676", "#ffffff", false, "fg"); // passes (4.54:1); "#777777" (4.48:1) throws
 */
export function checkContrast(fg: string, bg: string, invert: boolean, field: string): void {
  const back = over(parseColour(bg, "bg"), [255, 255, 255]);
  const front = over(parseColour(fg, field), back);
  const [lf, lb] = [luminance(front), luminance(back)];
  const ratio = contrast(lf, lb);
  if (ratio < MIN_CONTRAST)
    throw new QrOptionError(
      field,
      `contrast with the background is ${ratio.toFixed(2)}:1, at least ${MIN_CONTRAST}:1 is needed for every phone to read it`,
    );
  if (!invert && lf > lb)
    throw new QrOptionError(
      field,
      "light modules on a darker background (an inverted code) need invert: true; many scanners cannot read them",
    );
  if (invert)
    // The property test found light-on-dark codes jsQR could not read even at 7:1 contrast:
    // until a rule is found that makes every accepted one scan, none is accepted.
    throw new QrOptionError(
      "invert",
      "inverted codes (light on dark) are not offered: they fail too many scanners",
    );
}

const HEX = /^#[0-9a-f]{6}$/i;

/**
 * Validate a style: colours as `#rrggbb`, shapes from their lists, contrast checked for the
 * modules and the finders. Returns it normalised (lowercase colours, defaults left out).
 *
 * @example
 * checkStyle({ fg: "#1A237E", modules: "dots" }) // { fg: "#1a237e", modules: "dots" }
 */
export function checkStyle(style: QrStyle): QrStyle {
  const out: QrStyle = {};
  for (const field of ["fg", "bg", "finder_color"] as const) {
    const v = style[field];
    if (v === undefined) continue;
    if (typeof v !== "string" || !HEX.test(v))
      throw new QrOptionError(field, `must be #rrggbb, got ${JSON.stringify(v)}`);
    out[field] = v.toLowerCase();
  }
  if (style.modules !== undefined) {
    if (!["square", "rounded", "dots"].includes(style.modules))
      throw new QrOptionError("modules", "must be square, rounded or dots");
    if (style.modules !== "square") out.modules = style.modules;
  }
  if (style.finder !== undefined) {
    if (!["square", "rounded"].includes(style.finder))
      throw new QrOptionError("finder", "must be square or rounded");
    if (style.finder !== "square") out.finder = style.finder;
  }
  if (style.invert !== undefined && typeof style.invert !== "boolean")
    throw new QrOptionError("invert", "must be true or false");
  if (style.invert) out.invert = true;
  const fg = out.fg ?? "#000000";
  const bg = out.bg ?? "#ffffff";
  checkContrast(fg, bg, !!out.invert, "fg");
  if (out.finder_color) checkContrast(out.finder_color, bg, !!out.invert, "finder_color");
  return out;
}
