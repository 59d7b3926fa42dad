/**
 * Thai marks placed without GPOS. Noto Sans Thai draws its vowel and tone marks with a zero
 * advance and a negative left side bearing, so drawn at the pen position each lands on the
 * letter before it: a single mark needs nothing. Two cases do, which the font's GPOS (mark to
 * mark, and its left-shifted forms) would handle:
 * - a tone mark (or thanthakhat) over an upper vowel (`ที่`, sara ii + mai ek) or before sara am
 *   (`น้ำ`, whose nikhahit sits where the tone mark is drawn) is drawn at the height of the
 *   vowel and collides with it: it takes a raised form;
 * - an upper mark on a tall letter (ป ฝ ฟ ฬ, whose stem rises on the right) is drawn across
 *   the stem: it takes a form moved to the left.
 * The forms are the mark's own outline moved, built into the Thai face's pack at Private Use
 * code points (scripts/build-fonts.mjs `THAI_FORMS`, same numbering as {@link thaiForm}); the
 * glyph keeps the mark as its text, so PDFs give the text back as written.
 */
import type { ShapedChar } from "./arabic-shaping";

/** Vowels and signs drawn above the letter. */
const UPPER_VOWEL = new Set([0x0e31, 0x0e34, 0x0e35, 0x0e36, 0x0e37, 0x0e47]);
/** Tone marks (mai ek, mai tho, mai tri, mai chattawa) and thanthakhat. */
const TONE = new Set([0x0e48, 0x0e49, 0x0e4a, 0x0e4b, 0x0e4c]);
/** Every mark drawn above: the upper vowels, tone marks, nikhahit and yamakkan. */
const ABOVE = new Set([...UPPER_VOWEL, ...TONE, 0x0e4d, 0x0e4e]);
/** Letters whose stem rises above the others' height, on their right. */
const TALL = new Set([0x0e1b, 0x0e1d, 0x0e1f, 0x0e2c]);
const SARA_AM = 0x0e33;
/** Marks below (sara u, sara uu, phinthu): skipped when looking for a mark's letter. */
const BELOW = new Set([0x0e38, 0x0e39, 0x0e3a]);

/**
 * The Private Use code point of a Thai upper mark's moved form: U+F700 + its offset in the Thai
 * block raised, U+F680 + offset moved left, U+F780 + offset both. `cp` itself when neither.
 *
 * @example
 * thaiForm(0x0e48, { raise: true, left: false }) // 0xf748 (mai ek, raised)
 * thaiForm(0x0e34, { raise: false, left: true }) // 0xf6b4 (sara i, moved left)
 */
export function thaiForm(cp: number, { raise, left }: { raise: boolean; left: boolean }): number {
  if (!raise && !left) return cp;
  return 0xf600 + (raise ? 0x100 : 0) + (left ? 0x80 : 0) + (cp - 0x0e00);
}

/**
 * Every moved form {@link placeThaiMarks} may pick, with the mark it comes from and how it is
 * moved: what the Thai face's pack must hold (checked by a unit test against the built pack).
 *
 * @example
 * thaiForms().find((f) => f.cp === 0xf748) // { cp: 0xf748, mark: 0x0e48, raise: true, left: false }
 */
export function thaiForms(): { cp: number; mark: number; raise: boolean; left: boolean }[] {
  const out = [];
  for (const mark of ABOVE)
    for (const [raise, left] of [
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      if (raise && !TONE.has(mark)) continue;
      out.push({ cp: thaiForm(mark, { raise, left }), mark, raise, left });
    }
  return out;
}

/**
 * `chars` (glyphs to draw, logical order within a left-to-right run) with each Thai upper mark
 * that would collide replaced by its moved form; its text stays the mark. Other glyphs pass
 * through as they are.
 *
 * @example
 * placeThaiMarks([..."ที่"].map((c, at) => ({ cp: c.codePointAt(0)!, text: c, at })))
 * // [{ cp: 0x0e17, … }, { cp: 0x0e35, … }, { cp: 0xf748, text: "่", … }]
 */
export function placeThaiMarks<T extends ShapedChar>(chars: T[]): T[] {
  return chars.map((c, i) => {
    if (!ABOVE.has(c.cp)) return c;
    const before = chars[i - 1]?.cp;
    const raise =
      TONE.has(c.cp) &&
      ((before !== undefined && UPPER_VOWEL.has(before)) || chars[i + 1]?.cp === SARA_AM);
    // The letter the mark sits on: the nearest glyph before it that is no mark.
    let j = i - 1;
    while (j >= 0 && (ABOVE.has(chars[j]!.cp) || BELOW.has(chars[j]!.cp))) j--;
    const left = j >= 0 && TALL.has(chars[j]!.cp);
    const cp = thaiForm(c.cp, { raise, left });
    return cp === c.cp ? c : { ...c, cp };
  });
}
