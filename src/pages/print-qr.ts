/**
 * A poster's QR on a print file, in the poster's style: its colours, module and finder shapes
 * and centre logo, as SVG (`qrSvg`) and as PDF operators (`qrPdf`). Both draw in module units
 * from the quiet zone's corner, scaled to the mark's module size; modules under a logo are
 * cleared by the layout (print-layout.ts), which also chose error correction H for it. In the
 * PDF colours are DeviceCMYK (black stays black ink alone), the logo an opaque CMYK image laid
 * over the background (PDF/X-1a allows no transparency).
 */
import { cmyk, cmykFill, num, type PdfForm, type PdfImage } from "../core/pdf";
import { parseColour } from "../core/qr";
import { logoImageRect, logoSvg, type QrLogo } from "../core/qr-logo";
import { inFinder, type QrShapes, shapesSvg } from "../core/qr-shapes";
import { type QrMark, QUIET_MODULES, qrRuns } from "./print-marks";

const mm = (n: number) => String(Math.round(n * 100) / 100);

/** The mark's colours and shapes, defaults filled in. */
function look(mark: QrMark) {
  const s = mark.style ?? {};
  const shapes: QrShapes = { modules: s.modules ?? "square", finder: s.finder ?? "square" };
  const fg = s.fg ?? "#000";
  return {
    shapes,
    fg,
    bg: s.bg ?? "#fff",
    finder: s.finder_color ?? fg,
    plain: shapes.modules === "square" && shapes.finder === "square" && !s.finder_color,
  };
}

/**
 * A QR mark as an SVG group: translated to its corner and scaled to its module size, a square
 * of the background for the quiet zone, the modules (one path of runs, or the style's shapes)
 * and the logo.
 *
 * @example
 * const svg = qrSvg({ kind: "qr", matrix: qrMatrix(url), x: 10, y: 10, moduleMm: 1.2 });
 */
export function qrSvg(mark: QrMark): string {
  const m = mark.matrix;
  const side = m.size + 2 * QUIET_MODULES;
  const l = look(mark);
  let body: string;
  if (l.plain) {
    let d = "";
    for (const [x, y, w] of qrRuns(m)) d += `M${x} ${y}h${w}v1h-${w}z`;
    body = `<path fill="${l.fg}" d="${d}"/>`;
  } else {
    const shapes = shapesSvg(m, l.shapes, QUIET_MODULES);
    body =
      `<path fill="${l.fg}" fill-rule="evenodd" d="${shapes.data}"/>` +
      `<path fill="${l.finder}" fill-rule="evenodd" d="${shapes.finders}"/>`;
  }
  const logo = mark.logo && mark.logoBox ? logoSvg(mark.logo, mark.logoBox, QUIET_MODULES) : "";
  const smooth = l.plain ? "" : ' shape-rendering="geometricPrecision"';
  return (
    `<g class="qr" data-modules="${m.size}" data-quiet="${QUIET_MODULES}"${smooth} transform="translate(${mm(mark.x)} ${mm(mark.y)}) scale(${mark.moduleMm.toFixed(5)})">` +
    `<rect width="${side}" height="${side}" fill="${l.bg}"/>${body}${logo}</g>`
  );
}

/** Bézier handle length of a quarter circle, as a share of its radius. */
const KAPPA = 0.5523;

/** A rectangle with rounded corners (radius r, 0 for square) as PDF path operators. */
function roundRect(x: number, y: number, w: number, h: number, r: number): string {
  if (r <= 0) return `${num(x)} ${num(y)} ${num(w)} ${num(h)} re `;
  const k = r * (1 - KAPPA);
  const [x1, y1] = [x + w, y + h];
  const p = (...v: number[]) => v.map(num).join(" ");
  return (
    `${p(x + r, y)} m ${p(x1 - r, y)} l ${p(x1 - k, y, x1, y + k, x1, y + r)} c ` +
    `${p(x1, y1 - r)} l ${p(x1, y1 - k, x1 - k, y1, x1 - r, y1)} c ` +
    `${p(x + r, y1)} l ${p(x + k, y1, x, y1 - k, x, y1 - r)} c ` +
    `${p(x, y + r)} l ${p(x, y + k, x + k, y, x + r, y)} c h `
  );
}

const ROUND = 0.35; // as core/qr-shapes.ts
const DOT = 0.45;

/**
 * The style's shapes in module units: timing and alignment modules as one path of squares,
 * every other dark module as its shape's form placed by a translation (a form is written once
 * per file: a dot as a path is ~10 times the bytes, and the PDF's deflate time with it), and
 * the finders as one path (even-odd: rings).
 */
function shapesPdf(
  mark: QrMark,
  s: QrShapes,
  res: PdfQrResources,
): { squares: string; placed: string; finders: string } {
  const m = mark.matrix;
  const q = QUIET_MODULES;
  const form = s.modules === "square" ? null : res.form(s.modules);
  let squares = "";
  let placed = "";
  for (let r = 0; r < m.size; r++)
    for (let c = 0; c < m.size; c++) {
      if (m.data[r * m.size + c] !== 1 || inFinder(m.size, r, c)) continue;
      // Timing and alignment patterns stay solid squares: decoders find the grid by them.
      if (m.reserved[r * m.size + c] || !form) squares += `${c + q} ${r + q} 1 1 re `;
      else placed += `q 1 0 0 1 ${c + q} ${r + q} cm /${form} Do Q `;
    }
  const round = s.finder === "rounded";
  let finders = "";
  for (const [fr, fc] of [
    [0, 0],
    [0, m.size - 7],
    [m.size - 7, 0],
  ] as const) {
    const [x, y] = [fc + q, fr + q];
    finders += roundRect(x, y, 7, 7, round ? 2 : 0);
    finders += roundRect(x + 1, y + 1, 5, 5, round ? 1.4 : 0);
    finders += roundRect(x + 2, y + 2, 3, 3, round ? 1 : 0);
  }
  return { squares, placed, finders };
}

/** A colour as printed on white paper: a translucent one (or `transparent`) mixed with it. */
const rgb = (hex: string) => {
  const [r, g, b, a] = parseColour(hex);
  return [r, g, b].map((v) => Math.round((v * a) / 255 + 255 * (1 - a / 255)));
};

/**
 * The shared resources of a file's QR codes: the module shapes as forms, and the logos as
 * images, each drawn once per background (the logo is composited over its code's background:
 * PDF/X-1a has no transparency), all shared by its pages.
 */
export class PdfQrResources {
  private readonly byLogo = new Map<QrLogo, Map<string, PdfImage>>();
  private readonly shapes = new Map<"dots" | "rounded", PdfForm>();
  private count = 0;

  /** The resource name of a module shape: a 1 × 1 form, filled in the current colour. */
  form(shape: "dots" | "rounded"): string {
    let form = this.shapes.get(shape);
    if (!form) {
      const path =
        shape === "dots"
          ? roundRect(0.5 - DOT, 0.5 - DOT, 2 * DOT, 2 * DOT, DOT)
          : roundRect(0, 0, 1, 1, ROUND);
      form = { resource: shape === "dots" ? "Qd" : "Qr", bbox: [0, 0, 1, 1], content: `${path}f` };
      this.shapes.set(shape, form);
    }
    return form.resource;
  }

  forms(): PdfForm[] {
    return [...this.shapes.values()];
  }

  /** The resource name of `logo` laid over `bg` (its RGBA pixels needed). */
  logo(logo: QrLogo, bg: string): string {
    const byBg = this.byLogo.get(logo) ?? new Map<string, PdfImage>();
    this.byLogo.set(logo, byBg);
    const known = byBg.get(bg);
    if (known) return known.resource;
    if (!logo.rgba) throw new Error("the logo's pixels are needed to print it");
    const back = rgb(bg);
    const px = new Uint8Array(logo.width * logo.height * 4);
    for (let i = 0; i < logo.width * logo.height; i++) {
      const a = logo.rgba[i * 4 + 3]! / 255;
      const c = [0, 1, 2].map((k) => Math.round(logo.rgba![i * 4 + k]! * a + back[k]! * (1 - a)));
      const ink = cmyk(c as [number, number, number]);
      for (let k = 0; k < 4; k++) px[i * 4 + k] = Math.round(ink[k]! * 255);
    }
    const image = {
      resource: `Im${this.count++}`,
      width: logo.width,
      height: logo.height,
      cmyk: px,
    };
    byBg.set(bg, image);
    return image.resource;
  }

  images(): PdfImage[] {
    return [...this.byLogo.values()].flatMap((byBg) => [...byBg.values()]);
  }
}

/**
 * A QR mark as PDF operators (in a y-down page, mm): the quiet zone in the background colour,
 * the modules in the style's colour and shapes (even-odd fill), the logo as an image.
 *
 * @example
 * content += qrPdf(mark, resources);
 */
export function qrPdf(mark: QrMark, res: PdfQrResources): string {
  const l = look(mark);
  const side = mark.matrix.size + 2 * QUIET_MODULES;
  let body: string;
  if (l.plain) {
    let runs = "";
    for (const [x, y, w] of qrRuns(mark.matrix)) runs += `${x} ${y} ${w} 1 re\n`;
    body = `${cmykFill(rgb(l.fg))}\n${runs}f`;
  } else {
    const s = shapesPdf(mark, l.shapes, res);
    const squares = s.squares ? `${s.squares}f ` : "";
    body = `${cmykFill(rgb(l.fg))} ${squares}${s.placed}${cmykFill(rgb(l.finder))} ${s.finders}f*`;
  }
  let logo = "";
  if (mark.logo && mark.logoBox) {
    const r = logoImageRect(mark.logoBox, mark.logo);
    const [x, y] = [r.x + QUIET_MODULES, r.y + QUIET_MODULES];
    // The image's first row is its top: flip it back in the y-down page.
    logo = ` q ${num(r.w)} 0 0 ${num(-r.h)} ${num(x)} ${num(y + r.h)} cm /${res.logo(mark.logo, l.bg)} Do Q`;
  }
  const m = mark.moduleMm.toFixed(5);
  return `q ${m} 0 0 ${m} ${num(mark.x)} ${num(mark.y)} cm ${cmykFill(rgb(l.bg))} 0 0 ${side} ${side} re f ${body}${logo} Q`;
}
