/**
 * A card line's text as the print kit sets it, pure: made printable (composed, no control
 * characters or lone surrogates), and fitted to its width, cut between whole syllables with an
 * ellipsis or, for a line that must not be cut, set smaller. pages/print-layout.ts places the
 * lines; the measure is the fonts' (pages/print-text.ts measureWith) or a rough one.
 */
import { cutPoints } from "../core/cut-points";

/** A text's width in em, as the layout measures it (the fonts' advances, or ems()). */
export type Measure = (text: string) => number;

/**
 * `text` without control characters or line and paragraph separators (each becomes a space:
 * a card line is one line, and no face has a glyph for them) and without lone surrogates
 * (JSON can carry one; no face has a glyph for it, not even U+FFFD, and a PDF's ToUnicode
 * cannot map to one), composed (NFC: a name typed as "e" + a combining accent prints the
 * faces' "é", as no mark is positioned without GPOS), trimmed: what can be printed.
 *
 * @example
 * printable(" Cafe\u0301\nBar ") // "Café Bar"
 */
export function printable(text: string): string {
  return (
    text
      .normalize("NFC")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ")
      .replace(/\p{Cs}/gu, "")
      .trim()
  );
}

/**
 * Cut `text` to fit `widthMm` at `fontMm`, with an ellipsis when it had to. It cuts between
 * grapheme clusters, never inside one: a Thai letter keeps its vowel and tone marks (and sara
 * am), an emoji sequence (a family, a flag, a skin tone) is kept or cut whole; nor inside a
 * syllable HarfBuzz shapes as one (core/cut-points.ts): Khmer and Myanmar names, written with no
 * spaces, are cut between syllables. The longest
 * prefix that fits is found by bisection, measuring about log2(clusters) prefixes: measuring
 * each prefix in turn cost a number of characters shaped quadratic in the name's length (a
 * name of 190 zero-width characters before its wide ones shaped ~18,000 per card, 1,200
 * cards to a PDF). A prefix is never narrower than a shorter one (no advance is negative).
 *
 * @example
 * truncateToWidth("Shibuya Station", 20, 4, ems) // "Shibuya…" (cut between words and letters to fit)
 */
export function truncateToWidth(
  text: string,
  widthMm: number,
  fontMm: number,
  measure: Measure,
): string {
  const clean = printable(text);
  if (measure(clean) * fontMm <= widthMm) return clean;
  const ends = cutPoints(clean);
  const fits = (n: number) => measure(`${clean.slice(0, ends[n])}…`) * fontMm <= widthMm;
  // Invariant: the first `lo` clusters fit (none is "" + "…"), the first `hi` do not.
  let [lo, hi] = [0, ends.length - 1];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return `${clean.slice(0, ends[lo])}…`;
}

/**
 * A font size ≤ `maxFont` at which `text` fits `widthMm` (for lines that must not be cut).
 *
 * @example
 * fitFont("12345-67890", 20, 4, ems) // 3.31 (11 × 0.55 em at 3.31 mm is 20 mm)
 */
export const fitFont = (text: string, widthMm: number, maxFont: number, measure: Measure) =>
  Math.min(maxFont, widthMm / Math.max(1, measure(text)));
