/**
 * A line's glyphs to draw split into the runs HarfBuzz shapes (Devanagari) and the characters
 * the print kit draws one by one (every other script). Pure: shared by the loader, which must
 * know which glyphs a file needs (store/print-fonts.ts), and the layout (pages/print-text.ts).
 */
import type { ShapedChar } from "./arabic-shaping";
import { SHAPED_SCRIPT } from "./glyph-pack";

/** A run to shape: its text as written, and the characters it came from. */
export interface ShapedRun<T> {
  run: string;
  chars: T[];
}

const shaped = (c: ShapedChar & { rtl?: boolean }) =>
  !c.rtl && SHAPED_SCRIPT.test(String.fromCodePoint(c.text.codePointAt(0)!));

/**
 * `chars` (a line's glyphs in visual order, core/bidi.ts visualLine) with each stretch of
 * Devanagari characters gathered into one run: its text is theirs as written, marks and joiners
 * included (core/arabic-shaping.ts keeps a combining mark and a zero-width joiner in the text
 * of the character before it). Other characters pass through as they are, and so does one laid
 * out right to left (a lone vowel sign at the start of a Hebrew line takes its direction): it
 * is drawn as a box, as no face of the chains has Devanagari.
 *
 * @example
 * shapedRuns([..."श्री 24"].map((c, at) => ({ cp: c.codePointAt(0)!, text: c, at })))
 * // [{ run: "श्री", chars: [4 chars] }, { cp: 0x20, … }, { cp: 0x32, … }, { cp: 0x34, … }]
 */
export function shapedRuns<T extends ShapedChar & { rtl?: boolean }>(
  chars: T[],
): (T | ShapedRun<T>)[] {
  const out: (T | ShapedRun<T>)[] = [];
  let current: ShapedRun<T> | null = null;
  for (const c of chars) {
    if (!c.text || !shaped(c)) {
      current = null;
      out.push(c);
      continue;
    }
    if (!current) {
      current = { run: "", chars: [] };
      out.push(current);
    }
    current.run += c.text;
    current.chars.push(c);
  }
  return out;
}
