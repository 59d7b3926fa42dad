/**
 * Thai marks placed without GPOS or GSUB. Noto Sans Thai draws its vowel and tone marks with a
 * zero advance and a negative left side bearing, so drawn at the pen position each lands on
 * the letter before it: a single mark on most letters needs nothing. The cases that do, which
 * the font's GPOS (mark to mark, mark to base) and GSUB would handle:
 * - a tone mark (or thanthakhat) over an upper vowel (`ที่`, sara ii + mai ek) or before sara am
 *   (`น้ำ`, whose nikhahit sits where the tone mark is drawn) is drawn at the height of the
 *   vowel and collides with it: it takes a raised form;
 * - an upper mark on a tall letter (ป ฝ ฟ ฬ, whose stem rises on the right) is drawn across
 *   the stem: it takes a form moved to the left;
 * - a vowel below yo ying or tho than (ญ ฐ) collides with their tail: the letter takes the
 *   font's form without it; below do chada or to patak (ฎ ฏ) the letter takes its form with a
 *   shorter tail and the vowel its form set lower.
 * The moved forms are the mark's own outline moved, the others the font's own alternate glyphs,
 * built into the Thai face's pack at Private Use code points (scripts/thai-forms.mjs, same
 * numbering as {@link thaiForm} and {@link thaiAlternate}); a glyph keeps its character as its
 * text, so PDFs give the text back as written.
 */
import type { ShapedChar } from "./arabic-shaping";

/** Vowels and signs drawn above the letter. */
const UPPER_VOWEL = new Set([0x0e31, 0x0e34, 0x0e35, 0x0e36, 0x0e37, 0x0e47]);
/** Tone marks (mai ek, mai tho, mai tri, mai chattawa) and thanthakhat. */
const TONE = new Set([0x0e48, 0x0e49, 0x0e4a, 0x0e4b, 0x0e4c]);
/** Every mark drawn above: the upper vowels, tone marks, nikhahit and yamakkan. */
const ABOVE = new Set([...UPPER_VOWEL, ...TONE, 0x0e4d, 0x0e4e]);
/** Marks below (sara u, sara uu, phinthu). */
const BELOW = new Set([0x0e38, 0x0e39, 0x0e3a]);
/** Letters whose stem rises above the others' height, on their right. */
const TALL = new Set([0x0e1b, 0x0e1d, 0x0e1f, 0x0e2c]);
/** Letters that drop their tail above a vowel below (yo ying, tho than). */
const TAILLESS = new Set([0x0e0d, 0x0e10]);
/** Letters that shorten their tail above a vowel below, set lower (do chada, to patak). */
const SHORT_TAIL = new Set([0x0e0e, 0x0e0f]);
const SARA_AM = 0x0e33;

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
 * The Private Use code point of the font's alternate form of a Thai letter or lower vowel
 * (U+F600 + its offset in the Thai block): ญ ฐ without their tail, ฎ ฏ with a shorter one,
 * sara u, sara uu and phinthu set lower.
 *
 * @example
 * thaiAlternate(0x0e0d) // 0xf60d (yo ying without its tail)
 */
export function thaiAlternate(cp: number): number {
  return 0xf600 + (cp - 0x0e00);
}

/**
 * Every form {@link placeThaiMarks} may pick, with the character it stands for and how it
 * differs: what the Thai face's pack must hold (checked by a unit test against the built pack).
 *
 * @example
 * thaiForms().find((f) => f.cp === 0xf748) // { cp: 0xf748, mark: 0x0e48, raise: true, left: false, alternate: false }
 */
export function thaiForms(): {
  cp: number;
  mark: number;
  raise: boolean;
  left: boolean;
  alternate: boolean;
}[] {
  const out = [];
  for (const mark of ABOVE)
    for (const [raise, left] of [
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      if (raise && !TONE.has(mark)) continue;
      out.push({ cp: thaiForm(mark, { raise, left }), mark, raise, left, alternate: false });
    }
  for (const mark of [...TAILLESS, ...SHORT_TAIL, ...BELOW])
    out.push({ cp: thaiAlternate(mark), mark, raise: false, left: false, alternate: true });
  return out;
}

/** The index of the letter the mark at `i` stands on: the nearest glyph before it that is no mark. */
function baseOf(chars: ShapedChar[], i: number): number {
  let j = i - 1;
  while (j >= 0 && (ABOVE.has(chars[j]!.cp) || BELOW.has(chars[j]!.cp))) j--;
  return j;
}

/** Whether a vowel below follows the letter at `i`, among the marks right after it. */
function vowelBelow(chars: ShapedChar[], i: number): boolean {
  for (let j = i + 1; j < chars.length; j++) {
    if (BELOW.has(chars[j]!.cp)) return true;
    if (!ABOVE.has(chars[j]!.cp)) return false;
  }
  return false;
}

/**
 * `chars` (glyphs to draw, logical order within a left-to-right run) with each Thai mark or
 * letter that would collide replaced by its moved or alternate form; its text stays the
 * character. Other glyphs pass through as they are.
 *
 * @example
 * placeThaiMarks([..."ที่"].map((c, at) => ({ cp: c.codePointAt(0)!, text: c, at })))
 * // [{ cp: 0x0e17, … }, { cp: 0x0e35, … }, { cp: 0xf748, text: "่", … }]
 */
export function placeThaiMarks<T extends ShapedChar>(chars: T[]): T[] {
  const swap = (c: T, cp: number): T => (cp === c.cp ? c : { ...c, cp });
  return chars.map((c, i) => {
    if (TAILLESS.has(c.cp) || SHORT_TAIL.has(c.cp))
      return vowelBelow(chars, i) ? swap(c, thaiAlternate(c.cp)) : c;
    if (BELOW.has(c.cp)) {
      const base = chars[baseOf(chars, i)]?.cp;
      return base !== undefined && SHORT_TAIL.has(base) ? swap(c, thaiAlternate(c.cp)) : c;
    }
    if (!ABOVE.has(c.cp)) return c;
    const before = chars[i - 1]?.cp;
    const raise =
      TONE.has(c.cp) &&
      ((before !== undefined && UPPER_VOWEL.has(before)) || chars[i + 1]?.cp === SARA_AM);
    const left = TALL.has(chars[baseOf(chars, i)]?.cp ?? 0);
    return swap(c, thaiForm(c.cp, { raise, left }));
  });
}
