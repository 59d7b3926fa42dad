/**
 * A run of a shaped script (core/shaped-runs.ts) shaped without the combining marks of other
 * scripts its face lacks: core/arabic-shaping.ts keeps a mark in the text of the letter before
 * it, so an Arabic subscript alef (U+0656) on a Syriac letter, or a fatha on a Thaana one, is in
 * that script's run, and HarfBuzz would give it the face's .notdef box, with the box's advance
 * in the word. Such a mark is not drawn, as harakat in an Arabic name are not; the text keeps it
 * (its letter's cluster stands for it). Pure: the loader (store/print-fonts.ts), which must know
 * the glyphs a file draws, and the layout (pages/print-shaped-glyphs.ts) shape alike through it.
 */
import type { ShapedGlyph, Shaper } from "./harfbuzz";
import { SHAPED_SCRIPTS, type ShapedScript } from "./shaped-scripts";

const MARK = /\p{M}/u;

/**
 * Per shaping font, whether it lacks a mark, asked once (a name can carry ~90 distinct harakat
 * and points, and a card measures it ~10 times: asked each time, a 1,200-card file would shape
 * a million single marks). At most the few thousand marks of Unicode a font: bounded.
 */
const lacks = new WeakMap<Shaper, Map<string, boolean>>();

/**
 * `run` shaped by `shape` (a face's shaper) in `lang`, the combining marks of other scripts than
 * `script` that the face lacks left out, each glyph's cluster an index (UTF-16) into `run` as
 * given: a mark left out is in its letter's cluster (the first cluster's, at the run's start). A
 * mark of another script the face has (the Arabic harakat Noto Sans Syriac carries) is shaped
 * and placed as its own.
 *
 * @example
 * shapeRun(shape, "ܫ\u0656ܠܡܐ", "syrc") // the glyphs of "ܫܠܡܐ", clusters 0 (ܫ and U+0656), 2, 3, 4
 */
export function shapeRun(
  shape: Shaper,
  run: string,
  script: ShapedScript,
  lang?: string,
): ShapedGlyph[] {
  const own = SHAPED_SCRIPTS[script];
  const known = lacks.get(shape) ?? new Map<string, boolean>();
  lacks.set(shape, known);
  const lacked = new Set<string>();
  for (const ch of run) {
    if (!MARK.test(ch) || own.test(ch)) continue;
    if (!known.has(ch))
      known.set(
        ch,
        shape(ch).some((g) => g.gid === 0),
      );
    if (known.get(ch)) lacked.add(ch);
  }
  if (lacked.size === 0) return shape(run, lang);
  // The text without them, and where each of its UTF-16 units stands in `run`.
  let text = "";
  const origin: number[] = [];
  let at = 0;
  for (const ch of run) {
    if (!lacked.has(ch)) {
      for (let i = 0; i < ch.length; i++) origin.push(text.length === 0 ? 0 : at + i);
      text += ch;
    }
    at += ch.length;
  }
  if (text === "") return [];
  return shape(text, lang).map((g) => ({ ...g, cluster: origin[g.cluster]! }));
}
