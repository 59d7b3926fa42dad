/**
 * What the print kit draws, format-free: the items and options a layout is made from, the marks
 * it yields (texts, QR symbols, crop lines, in millimetres from the top left), and the page
 * geometry. `print-layout.ts` places the marks; `print.ts` (SVG) and `print-pdf.ts` draw them.
 */
import type { Region, TextStyle } from "../core/glyph-pack";
import type { QrMatrix } from "../core/qr";
import type { ModuleRect, QrLogo } from "../core/qr-logo";
import type { QrStyle } from "../core/qr-style";

import { PER_SHEET as CARDS_PER_SHEET, type PrintLang } from "./print-constants";

/** One code to print. */
export interface PrintItem {
  /** The bridge link the QR carries (uppercase, alphanumeric mode). */
  url: string;
  /** "7K2M9-QX4AB". */
  displayCode: string;
  storeName?: string | null;
  /** A line printed small under the card (the poster's `label`), only when the poster has one. */
  label?: string | null;
  /** The poster's QR style (colours, shapes; its `logo` drawn only when `logo` is given). */
  style?: QrStyle | null;
  /** The style's logo, loaded (with its pixels for a PDF). */
  logo?: QrLogo;
}

export interface CardOptions {
  /** Printed width of the QR symbol without its quiet zone, mm (15–200). Default 40. */
  sizeMm?: number;
  /** Call to action above the code (default: "Scan with your phone camera"). */
  cta?: string | null;
  /** Host (and path) shown in "Or enter the code at <host>/c". */
  host: string;
  lang?: PrintLang;
  /**
   * The language the texts are written in (a BCP 47 tag: `mr`, `ne`…), for the letter forms a
   * font gives that language (HarfBuzz's `locl`: Marathi's ल and श, Nepali's झ and digits).
   */
  textLang?: string;
  /**
   * Width of a text at size 1 (em) as it will be set (in `textLang`); the embedded fonts' own
   * advances when they are loaded, else a rough estimate (CJK 1 em, anything else 0.55).
   */
  measure?: (text: string, style: TextStyle, region: Region) => number;
}

/**
 * A text centred on `x` with its baseline at `y`; `style` "bold" is the store name, "code" the
 * manual code (monospace, bold, spaced); `fill` a grey as `#rgb`.
 */
export interface TextMark {
  kind: "text";
  x: number;
  y: number;
  size: number;
  text: string;
  style?: "bold" | "code";
  fill?: string;
  /** Whose glyph forms (decided on the whole text, so a cut text keeps them). */
  region?: Region;
  /** The language it is written in (CardOptions.textLang), for its shaped runs' letter forms. */
  lang?: string;
}
/**
 * A QR symbol plus its quiet zone, the zone's top-left corner at (`x`, `y`), drawn in `style`;
 * with a logo, the modules under `logoBox` are already cleared from `matrix`.
 */
export interface QrMark {
  kind: "qr";
  matrix: QrMatrix;
  x: number;
  y: number;
  moduleMm: number;
  style?: QrStyle | null;
  logo?: QrLogo;
  logoBox?: ModuleRect;
}
/** A crop mark: a line from (`x`, `y`) by (`dx`, `dy`). */
export interface LineMark {
  kind: "line";
  x: number;
  y: number;
  dx: number;
  dy: number;
}
/** One thing to draw. */
export type PrintMark = TextMark | QrMark | LineMark;

/**
 * The dark modules of a QR as horizontal runs `[column, row, length]`, in modules from the
 * quiet zone's corner: what both formats draw, one rectangle per run.
 *
 * @example
 * for (const [x, y, w] of qrRuns(mark.matrix)) path += `M${x} ${y}h${w}v1h-${w}z`;
 */
export function qrRuns(m: QrMatrix): [number, number, number][] {
  const runs: [number, number, number][] = [];
  for (let r = 0; r < m.size; r++) {
    for (let c = 0; c < m.size; ) {
      if (m.data[r * m.size + c] !== 1) {
        c++;
        continue;
      }
      const start = c;
      while (c < m.size && m.data[r * m.size + c] === 1) c++;
      runs.push([start + QUIET_MODULES, r + QUIET_MODULES, c - start]);
    }
  }
  return runs;
}

/** How far artwork may run past a cut, mm (the PDFs' bleed box). */
export const BLEED_MM = 3;
/** Modules of white around every printed QR. */
export const QUIET_MODULES = 4;
export const A4 = { width: 210, height: 297, margin: 10, cols: 3, rows: 4 } as const;
/** Cards on one A4 sheet. */
export const PER_SHEET = CARDS_PER_SHEET; // A4.cols × A4.rows
