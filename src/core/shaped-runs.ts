/**
 * A line's glyphs to draw split into the runs HarfBuzz shapes (Devanagari, Bengali, Tamil…,
 * Khmer, Lao, Myanmar, Tibetan, Thaana, Syriac, N'Ko: shaped-scripts.ts SHAPED_SCRIPTS), one
 * script each, and the characters the print kit draws one by one (every other script). Pure:
 * shared by the loader, which must know which glyphs a file needs (store/print-fonts.ts), and
 * the layout (pages/print-text.ts).
 */
import type { ShapedChar } from "./arabic-shaping";
import { rightToLeft, type ShapedScript, shapedScriptOf } from "./shaped-scripts";

/**
 * A run to shape: its text as written (logical order, also for a right-to-left run, whose
 * `chars` are in visual order), its script, the characters it came from, and whether they are
 * laid out right to left (the script's direction, or the line's for a lone mark: see below).
 */
export interface ShapedRun<T> {
  run: string;
  script: ShapedScript;
  chars: T[];
  rtl: boolean;
}

/**
 * `chars` (a line's glyphs in visual order, core/bidi.ts visualLine) with each stretch of
 * characters of one shaped script gathered into one run (a Bengali name beside a Devanagari one
 * is two runs, each shaped with its own face): its text is theirs as written, marks and joiners
 * included (core/arabic-shaping.ts keeps a combining mark and a zero-width joiner in the text
 * of the character before it). A right-to-left script's run (Thaana, Syriac, N'Ko) stands in the
 * line reversed, so its text is its characters' read backwards: HarfBuzz shapes it as written
 * and gives its glyphs back in visual order. Other characters pass through as they are. One
 * laid out against its script's direction (a combining mark takes the direction of the letter
 * before it: a lone Syriac or Thaana vowel sign after Latin, a Devanagari vowel sign at the start
 * of a Hebrew line) is a run of its own in the line's direction, shaped with its script's face,
 * which has its glyph (no other face does): it prints as browsers show it, not as a box.
 *
 * @example
 * shapedRuns([..."श्री 24"].map((c, at) => ({ cp: c.codePointAt(0)!, text: c, at })))
 * // [{ run: "श्री", script: "deva", chars: [4 chars], rtl: false }, { cp: 0x20, … }, { cp: 0x32, … }, { cp: 0x34, … }]
 */
export function shapedRuns<T extends ShapedChar & { rtl?: boolean }>(
  chars: T[],
): (T | ShapedRun<T>)[] {
  const out: (T | ShapedRun<T>)[] = [];
  let current = null as ShapedRun<T> | null;
  for (const c of chars) {
    const found = c.text
      ? shapedScriptOf(String.fromCodePoint(c.text.codePointAt(0)!), current?.script)
      : null;
    if (!found) {
      current = null;
      out.push(c);
      continue;
    }
    const rtl = Boolean(c.rtl);
    if (rightToLeft(found) !== rtl) {
      current = null;
      out.push({ run: c.text, script: found, chars: [c], rtl });
      continue;
    }
    let run: ShapedRun<T> | null = current?.script === found ? current : null;
    if (!run) {
      run = { run: "", script: found, chars: [], rtl };
      out.push(run);
      current = run;
    }
    run.run = c.rtl ? c.text + run.run : run.run + c.text;
    run.chars.push(c);
  }
  return out;
}
