// The Thai face's extra glyphs for scripts/build-fonts.mjs, at Private Use code points that
// src/core/thai-marks.ts picks (same numbering as its `thaiForm` and `thaiAlternate`): what
// Noto Sans Thai's GPOS and GSUB would do, which the print kit does not read.
import { movedGlyph, plainGlyph } from "./glyf-flatten.mjs";

/**
 * Moved forms of the upper marks: U+F700 + the mark's offset in the Thai block raised above an
 * upper vowel or sara am's nikhahit, U+F680 + offset moved left off a tall letter's stem,
 * U+F780 + offset both. Amounts in font units (1000 per em), measured on Noto Sans Thai and
 * checked on rasterised cards: its upper vowels reach 706–800 and its tone marks start at 635,
 * so 210 up clears them with a small gap; the tall letters' stems start about 240 left of the
 * end of their advance (where the marks are drawn from), so a mark moves 210 left, more when
 * its right edge reaches further (mai han akat) to keep 20 clear of the stem.
 */
const RAISE = 210;
const LEFT = -210;
const STEM = -260;
const UPPER_VOWELS = [0x0e31, 0x0e34, 0x0e35, 0x0e36, 0x0e37, 0x0e47];
const TONES = [0x0e48, 0x0e49, 0x0e4a, 0x0e4b, 0x0e4c];

/**
 * The font's own alternates, by glyph name, at U+F600 + the character's offset: yo ying and tho
 * than without their tails (`.less`) and do chada and to patak with a shorter one (`.short`),
 * for when a vowel stands below them, and the lower vowels set lower (`.small`), under do chada
 * and to patak's tail.
 */
const ALTERNATES = new Map([
  [0x0e0d, "uni0E0D.less"],
  [0x0e10, "uni0E10.less"],
  [0x0e0e, "uni0E0E.short"],
  [0x0e0f, "uni0E0F.short"],
  [0x0e38, "uni0E38.small"],
  [0x0e39, "uni0E39.small"],
  [0x0e3a, "uni0E3A.small"],
]);

/** Glyph names from a TrueType `post` table of format 2 (Noto's), by glyph id. */
function glyphNames(buf) {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let post;
  for (let i = 0; i < dv.getUint16(4); i++)
    if (buf.toString("latin1", 12 + 16 * i, 16 + 16 * i) === "post")
      post = dv.getUint32(12 + 16 * i + 8);
  if (post === undefined || dv.getUint32(post) !== 0x00020000) throw new Error("no post table 2");
  const count = dv.getUint16(post + 32);
  const own = [];
  for (let at = post + 34 + 2 * count; own.length < count && at < buf.length; at += 1 + buf[at])
    own.push(buf.toString("latin1", at + 1, at + 1 + buf[at]));
  const names = new Map();
  for (let g = 0; g < count; g++) {
    const index = dv.getUint16(post + 34 + 2 * g);
    if (index >= 258) names.set(own[index - 258], g);
  }
  return names;
}

/**
 * Every extra glyph of a Thai face: `{cp, g, glyph}` (the Private Use code point, the glyph id
 * whose advance it takes, its outline as the packs store it).
 *
 * @example
 * for (const form of thaiForms(font, bytes)) add(form.cp, font.advance(form.g), form.glyph);
 */
export function thaiForms(font, buf) {
  const out = [];
  for (const mark of [...UPPER_VOWELS, ...TONES, 0x0e4d, 0x0e4e]) {
    const g = font.cmap.get(mark);
    const left = Math.min(LEFT, STEM - font.glyph(g).readInt16BE(6));
    const forms = [[0x80, 0, left]];
    if (TONES.includes(mark)) forms.push([0x100, RAISE, 0], [0x180, RAISE, left]);
    for (const [bits, dy, dx] of forms)
      out.push({ cp: 0xf600 + bits + (mark - 0x0e00), g, glyph: movedGlyph(font, g, dx, dy) });
  }
  const names = glyphNames(buf);
  for (const [cp, name] of ALTERNATES) {
    const g = names.get(name);
    if (g === undefined) throw new Error(`Thai face: no glyph ${name}`);
    out.push({ cp: 0xf600 + (cp - 0x0e00), g, glyph: plainGlyph(font, g) });
  }
  return out;
}
