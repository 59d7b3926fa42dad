/**
 * Branded QR styles that always scan: colours, module and finder shapes, checked so that every
 * style the API accepts decodes (test/unit/qr-style.test.ts renders random accepted styles and
 * decodes each with jsQR). A style is refused, naming the field, when its colours have too
 * little luminance contrast, when the code would be light on dark without `invert: true`, or
 * when a logo would cover too much.
 */
import { DEFAULT_LOGO_SIZE, LOGO_SIZE_RULE, MAX_LOGO_SIZE, MIN_LOGO_SIZE } from "./qr-logo";
import { parseColour, QrOptionError, type QrOptions } from "./qr-options";

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
  /** A centre logo uploaded with `POST /v1/logos` (`lg_…`); forces error correction H. */
  logo?: string;
  /** The logo's longer side as a share of the code's side, 0.1–0.33 (default 0.22). */
  logo_size?: number;
}

/** A logo's id: `lg_` and 24 hex digits of its PNG's SHA-256 (the same file, the same id). */
export const LOGO_ID = /^lg_[0-9a-f]{24}$/;

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
  if (style.logo !== undefined) {
    if (typeof style.logo !== "string" || !LOGO_ID.test(style.logo))
      throw new QrOptionError("logo", "must be an id from POST /v1/logos");
    out.logo = style.logo;
  }
  if (style.logo_size !== undefined) {
    const size = style.logo_size;
    if (!out.logo) throw new QrOptionError("logo_size", "needs a logo");
    if (typeof size !== "number" || !(size >= MIN_LOGO_SIZE && size <= MAX_LOGO_SIZE))
      throw new QrOptionError("logo_size", LOGO_SIZE_RULE);
    if (size !== DEFAULT_LOGO_SIZE) out.logo_size = size;
  }
  const fg = out.fg ?? "#000000";
  const bg = out.bg ?? "#ffffff";
  checkContrast(fg, bg, !!out.invert, "fg");
  if (out.finder_color) checkContrast(out.finder_color, bg, !!out.invert, "finder_color");
  return out;
}

/**
 * A stored style as renderer options (`logo` is the caller's to load: pass the loaded logo).
 *
 * @example
 * renderSvg(url, styleOptions({ fg: "#1a237e", modules: "dots" }));
 */
export function styleOptions(style: QrStyle | null | undefined): QrOptions & { logoSize?: number } {
  if (!style) return {};
  const o: QrOptions & { logoSize?: number } = {};
  if (style.fg) o.fg = style.fg;
  if (style.bg) o.bg = style.bg;
  if (style.modules) o.modules = style.modules;
  if (style.finder) o.finder = style.finder;
  if (style.finder_color) o.finderColor = style.finder_color;
  if (style.invert) o.invert = true;
  if (style.logo_size !== undefined) o.logoSize = style.logo_size;
  return o;
}

/**
 * A short tag that changes whenever the style does: put in the QR image URLs (`?v=`) and
 * their cache keys and ETags, so a changed style is a new URL and no cache serves the old one
 * as current. Not a secret, not a MAC: 53 bits of a fast string hash (cyrb53).
 *
 * @example
 * styleTag({ fg: "#1a237e" }) // "1k3v9x0q2m" (base 36)
 * styleTag(null) // null (black on white: the plain URL)
 */
export function styleTag(style: QrStyle | null | undefined): string | null {
  if (!style || Object.keys(style).length === 0) return null;
  const text = JSON.stringify(style, Object.keys(style).sort());
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
