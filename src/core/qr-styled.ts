/**
 * Styled QR codes: shaped modules and finders (core/qr-shapes.ts), a finder colour, and a
 * centre logo (core/qr-logo.ts: error correction H, the modules under it cleared). Part of
 * the print kit module (src/print-kit.ts): the scan path's bundle draws plain codes only
 * (core/qr.ts), and a styled image is drawn once, then cached.
 */
import { encodeIndexedPng, encodeRgbaPng } from "./png";
import {
  pngScale,
  type QrMatrix,
  QrOptionError,
  type QrOptions,
  qrMatrix,
  type ResolvedQrOptions,
  renderPng,
  renderSvg,
  resolveQrOptions,
  svgDocument,
  svgFill,
} from "./qr";
import {
  clearUnderLogo,
  DEFAULT_LOGO_SIZE,
  LOGO_SIZE_RULE,
  logoBox,
  logoImageRect,
  logoPixels,
  logoSvg,
  MAX_LOGO_SIZE,
  MIN_LOGO_SIZE,
  type ModuleRect,
  type QrLogo,
} from "./qr-logo";
import { shapeAt, shapesSvg } from "./qr-shapes";

/** Renderer options with, optionally, a centre logo. */
export interface StyledQrOptions extends QrOptions {
  logo?: QrLogo;
  /** The logo's longer side as a share of the symbol's side (default {@link DEFAULT_LOGO_SIZE}). */
  logoSize?: number;
}

/** The matrix to draw and the logo's box: at error correction H, cleared under a logo. */
function styledMatrix(
  input: string | QrMatrix,
  o: ResolvedQrOptions,
  opts: StyledQrOptions,
): { m: QrMatrix; box: ModuleRect | null } {
  if (!opts.logo) return { m: typeof input === "string" ? qrMatrix(input, o) : input, box: null };
  const share = opts.logoSize ?? DEFAULT_LOGO_SIZE;
  if (!(share >= MIN_LOGO_SIZE && share <= MAX_LOGO_SIZE))
    throw new QrOptionError("logo_size", LOGO_SIZE_RULE);
  // A logo hides modules: only the highest error correction restores them.
  const full = typeof input === "string" ? qrMatrix(input, { ecLevel: "H" }) : input;
  if (full.ecLevel !== "H") throw new QrOptionError("logo", "a logo needs error correction H");
  const box = logoBox(full.size, opts.logo, share);
  return { m: clearUnderLogo(full, box), box };
}

/**
 * A QR code as SVG in any accepted style: shaped modules and finders as even-odd paths in
 * their colours, a logo as a `data:` image (at error correction H). Plain options draw exactly
 * what core/qr.ts's `renderSvg` draws.
 *
 * @example
 * const svg = renderStyledSvg(url, { fg: "#1a237e", modules: "dots", logo, logoSize: 0.25 });
 */
export function renderStyledSvg(input: string | QrMatrix, opts: StyledQrOptions = {}): string {
  const o = resolveQrOptions(opts, "svg");
  if (!o.styled && !opts.logo) return renderSvg(input, opts);
  const { m, box } = styledMatrix(input, o, opts);
  const overlay = box && opts.logo ? logoSvg(opts.logo, box, o.margin) : "";
  if (!o.styled) return svgDocument(m, o, undefined, overlay);
  const shapes = shapesSvg(m, o, o.margin);
  const body = `<path${svgFill(o.fg)} fill-rule="evenodd" d="${shapes.data}"/><path${svgFill(o.finderColor)} fill-rule="evenodd" d="${shapes.finders}"/>`;
  return svgDocument(m, o, body, overlay);
}

/**
 * Widest styled PNG, px. A styled pixel is a shape test (and with a logo 4 bytes, twice over
 * while encoding), and anyone may ask `/qr/…` for a new colour: at the plain PNG's 4,096 px
 * limit one request cost ~140 ms of CPU and, with a logo, ~45 MB, so a few at once could
 * exhaust an isolate's memory. 1,024 px is 24 px a module for a poster code, plenty on screen
 * (print uses the SVG and PDF files).
 */
export const MAX_STYLED_PNG_SIDE = 1024;

/**
 * A QR code as PNG in any accepted style: each pixel the shape its centre falls on (a
 * palette PNG), or with a logo an RGBA PNG with the logo's pixels (resampled, laid over the
 * background; the logo's `rgba` needed). Plain options draw what `renderPng` draws. At most
 * {@link MAX_STYLED_PNG_SIDE} px wide (a {@link QrOptionError} naming `scale` or `size`).
 *
 * @example
 * const png = await renderStyledPng(url, { modules: "rounded", logo: { ...logo, rgba } });
 */
export async function renderStyledPng(
  input: string | QrMatrix,
  opts: StyledQrOptions = {},
): Promise<Uint8Array> {
  const o = resolveQrOptions(opts, "png");
  if (!o.styled && !opts.logo) return renderPng(input, opts);
  const logo = opts.logo;
  if (logo && !logo.rgba) throw new QrOptionError("logo", "the logo's pixels are needed for a PNG");
  const { m, box } = styledMatrix(input, o, opts);
  const { scale, width } = pngScale(m, o, opts);
  if (width > MAX_STYLED_PNG_SIDE)
    throw new QrOptionError(
      opts.scale === undefined ? "size" : "scale",
      `a styled image would be ${width} px wide (max ${MAX_STYLED_PNG_SIDE}): ask for a smaller scale or margin, or the SVG`,
    );
  const colours = [o.bg, o.fg, o.finderColor];
  const shape = (x: number, y: number) =>
    shapeAt(m, o, (x + 0.5) / scale - o.margin, (y + 0.5) / scale - o.margin);
  if (!box || !logo?.rgba) {
    const px = new Uint8Array(width * width);
    for (let y = 0; y < width; y++) for (let x = 0; x < width; x++) px[y * width + x] = shape(x, y);
    return encodeIndexedPng(width, width, px, colours);
  }
  const r = logoImageRect(box, logo);
  const at = (v: number) => Math.round((v + o.margin) * scale);
  const [x0, y0, x1, y1] = [at(r.x), at(r.y), at(r.x + r.w), at(r.y + r.h)];
  // The logo lies on the background as a reader sees it: over white paper if translucent.
  const paper = [0, 1, 2].map((k) =>
    Math.round(o.bg[k]! * (o.bg[3] / 255) + 255 * (1 - o.bg[3] / 255)),
  );
  const pixels = logoPixels({ ...logo, rgba: logo.rgba }, x1 - x0, y1 - y0, paper);
  const out = new Uint8Array(width * width * 4);
  for (let y = 0; y < width; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (x >= x0 && x < x1 && y >= y0 && y < y1) {
        const p = ((y - y0) * (x1 - x0) + x - x0) * 3;
        out.set(pixels.subarray(p, p + 3), i);
        out[i + 3] = 255;
      } else out.set(colours[shape(x, y)]!, i);
    }
  return encodeRgbaPng(width, width, out);
}
