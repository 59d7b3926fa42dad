/**
 * A centre logo on a QR code. The logo takes a box of whole modules in the middle of the
 * symbol; every module under the box is left undrawn (a decoder sees one block of background
 * with the logo on it, never half-covered modules), and the code is encoded at error
 * correction H so the lost modules are corrected. How big a box every code still decodes with
 * was measured by the property test (test/unit/qr-logo.test.ts): {@link MAX_LOGO_SIZE}.
 *
 * Codes with a logo are drawn by core/qr-styled.ts; this module and that one are reached
 * through the print kit module (src/print-kit.ts), as is the upload check
 * ({@link checkLogoFile}): none of it weighs on the scan path's bundle.
 */
import { decodePng, PngError, pngChunks, pngInfo } from "./png-decode";
import type { QrMatrix } from "./qr";

/** A logo as the renderers take it: the PNG file (for SVG) and, for PNG and PDF, its pixels. */
export interface QrLogo {
  /** The uploaded PNG, embedded as is in SVG (`data:` URI). */
  png: Uint8Array;
  width: number;
  height: number;
  /** 8-bit RGBA pixels (core/png-decode.ts); needed to draw it into a PNG or a PDF. */
  rgba?: Uint8Array;
}

/** The logo's longer side as a share of the symbol's side, by default. */
export const DEFAULT_LOGO_SIZE = 0.22;
/** The largest share accepted: above it some codes stopped decoding (found by the property test). */
export const MAX_LOGO_SIZE = 0.33;
/** The smallest share worth drawing. */
export const MIN_LOGO_SIZE = 0.1;
/** Why a larger logo is refused (a larger one hides too much of the code to read). */
export const LOGO_SIZE_RULE = `must be ${MIN_LOGO_SIZE}–${MAX_LOGO_SIZE} of the code's side`;
/** Background left around the image inside its box, in modules. */
const PAD = 0.5;

/** A rectangle in modules from the symbol's top-left corner (quiet zone not included). */
export interface ModuleRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The largest odd whole number not above `v`, at least `min` (a QR's side is odd: odd boxes
 * centre; never rounded up, so a box never exceeds the share that was checked).
 */
const odd = (v: number, min: number) => Math.max(min, 2 * Math.floor((v - 1) / 2) + 1);

/**
 * The box of whole modules cleared for a logo `width` × `height` whose longer side is `share`
 * of the symbol's side, centred, its shape the logo's.
 *
 * @example
 * logoBox(33, { width: 200, height: 100 }, 0.25) // { x: 12, y: 14, w: 9, h: 5 }
 */
export function logoBox(
  size: number,
  logo: { width: number; height: number },
  share: number,
): ModuleRect {
  const long = odd(share * size, 3);
  const ratio = Math.min(logo.width, logo.height) / Math.max(logo.width, logo.height);
  const short = Math.min(long, odd(long * ratio, 3));
  const [w, h] = logo.width >= logo.height ? [long, short] : [short, long];
  return { x: (size - w) / 2, y: (size - h) / 2, w, h };
}

/**
 * Where the image goes inside its box: the box less {@link PAD} on every side, the image
 * fitted in it keeping its proportions, centred.
 *
 * @example
 * logoImageRect({ x: 12, y: 12, w: 9, h: 9 }, { width: 100, height: 100 }) // { x: 12.5, y: 12.5, w: 8, h: 8 }
 */
export function logoImageRect(
  box: ModuleRect,
  logo: { width: number; height: number },
): ModuleRect {
  const [bw, bh] = [box.w - 2 * PAD, box.h - 2 * PAD];
  const k = Math.min(bw / logo.width, bh / logo.height);
  const [w, h] = [logo.width * k, logo.height * k];
  return { x: box.x + (box.w - w) / 2, y: box.y + (box.h - h) / 2, w, h };
}

/**
 * A copy of the matrix with every module under `box` light: what the renderers draw, so no
 * module is half hidden by the logo.
 *
 * @example
 * const drawn = clearUnderLogo(m, logoBox(m.size, logo, 0.22));
 */
export function clearUnderLogo(m: QrMatrix, box: ModuleRect): QrMatrix {
  const data = m.data.slice();
  for (let r = box.y; r < box.y + box.h; r++)
    data.fill(0, r * m.size + box.x, r * m.size + box.x + box.w);
  return {
    ...m,
    data,
    isDark: (r, c) => r >= 0 && c >= 0 && r < m.size && c < m.size && data[r * m.size + c] === 1,
  };
}

/** Standard base64 of bytes (no Buffer in workerd). */
export function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const n = (v: number) => String(Math.round(v * 1000) / 1000);

/**
 * The logo as an SVG `<image>` (a `data:` URI of its PNG) in module units, the quiet zone
 * `margin` included in the coordinates; the SVG root must declare `xmlns:xlink`.
 *
 * @example
 * svg += logoSvg(logo, logoBox(m.size, logo, 0.22), 4);
 */
export function logoSvg(logo: QrLogo, box: ModuleRect, margin: number): string {
  const r = logoImageRect(box, logo);
  return `<image x="${n(r.x + margin)}" y="${n(r.y + margin)}" width="${n(r.w)}" height="${n(r.h)}" preserveAspectRatio="none" xlink:href="data:image/png;base64,${base64(logo.png)}"/>`;
}

/**
 * The logo's pixels resampled to a `w` × `h` pixel area and laid over an opaque `bg`: RGB, 3
 * bytes a pixel. Each target pixel averages the source pixels it covers (a box filter), so a
 * large logo shrinks without aliasing.
 *
 * @example
 * const rgb = logoPixels(logo, 64, 64, [255, 255, 255]);
 */
export function logoPixels(
  logo: QrLogo & { rgba: Uint8Array },
  w: number,
  h: number,
  bg: readonly number[],
): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  const [sx, sy] = [logo.width / w, logo.height / h];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [x0, x1] = [
        Math.floor(x * sx),
        Math.max(Math.floor(x * sx) + 1, Math.floor((x + 1) * sx)),
      ];
      const [y0, y1] = [
        Math.floor(y * sy),
        Math.max(Math.floor(y * sy) + 1, Math.floor((y + 1) * sy)),
      ];
      const sum = [0, 0, 0];
      let count = 0;
      for (let v = y0; v < Math.min(y1, logo.height); v++)
        for (let u = x0; u < Math.min(x1, logo.width); u++) {
          const i = (v * logo.width + u) * 4;
          const a = logo.rgba[i + 3]! / 255;
          for (let k = 0; k < 3; k++) sum[k]! += logo.rgba[i + k]! * a + bg[k]! * (1 - a);
          count++;
        }
      for (let k = 0; k < 3; k++)
        out[(y * w + x) * 3 + k] = Math.round(sum[k]! / Math.max(1, count));
    }
  return out;
}

/** Largest logo file, bytes: its base64 fits the 64 KiB JSON body limit. */
export const MAX_LOGO_BYTES = 40 * 1024;
/** A logo's sides, px: enough for a sharp print at any QR size, small enough to draw fast. */
export const LOGO_SIDES = { min: 16, max: 512, aspect: 4 };

/**
 * Check an uploaded logo file (base64): at most {@link MAX_LOGO_BYTES}, a PNG
 * ({@link pngInfo}), {@link LOGO_SIDES}, every pixel decodable (a corrupt file is refused now,
 * not when drawn). Throws {@link PngError} saying why.
 *
 * @example
 * const { png, width, height } = await checkLogoFile(body.png);
 */
export async function checkLogoFile(
  base64: string,
): Promise<{ png: Uint8Array; width: number; height: number }> {
  let png: Uint8Array;
  try {
    png = Uint8Array.from(atob(base64.replace(/\s+/g, "")), (ch) => ch.charCodeAt(0));
  } catch {
    throw new PngError("not base64");
  }
  if (png.length > MAX_LOGO_BYTES)
    throw new PngError(`the file is ${png.length} bytes, at most ${MAX_LOGO_BYTES}`);
  const { width, height } = pngInfo(png);
  const { min, max, aspect } = LOGO_SIDES;
  if (Math.min(width, height) < min || Math.max(width, height) > max)
    throw new PngError(`${width} × ${height} px: each side must be ${min}–${max} px`);
  if (Math.max(width, height) > aspect * Math.min(width, height))
    throw new PngError(
      `${width} × ${height} px: at most ${aspect} times as wide as high, or high as wide`,
    );
  if (isAnimated(png))
    throw new PngError("animated PNGs (APNG) are not supported: save the logo as a still image");
  await decodePng(png);
  return { png, width, height };
}

/**
 * Whether a PNG is animated (an `acTL` chunk before its image data). Browsers play an APNG in
 * the SVG images and landing page while the PNG and PDF renderers draw one still: the code on a
 * screen could show other frames (another code, other words) than the code that is printed.
 */
function isAnimated(png: Uint8Array): boolean {
  for (const { type } of pngChunks(png)) {
    if (type === "acTL") return true;
    if (type === "IDAT") return false;
  }
  return false;
}
