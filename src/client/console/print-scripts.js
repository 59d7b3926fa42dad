// What the print fonts can draw of a store name, without the page (unit-tested in Node): the
// console warns before printing a name that would print as empty boxes, and says how emoji
// sequences print.

/**
 * Letters of a script the print fonts do not draw: any letter outside Latin, Greek, Cyrillic,
 * Han, kana, Hangul, Bopomofo, Hebrew, Arabic, Thai, Armenian, Georgian, Ethiopic, the scripts
 * HarfBuzz shapes (Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada,
 * Malayalam, Sinhala, Khmer, Lao, Myanmar: core/shaped-scripts.ts), and the Common and Inherited
 * ones (digits, punctuation, symbols, combining marks), so Syriac, Thaana, N'Ko, Tibetan,
 * Mongolian… all warn, not only the ones listed once. The print fonts' letters are docs/posters.md "Fonts"; a unit test checks
 * this against the built packs, block by block.
 */
const OTHER_SCRIPT =
  /(?=\p{L})[^\p{sc=Latin}\p{sc=Greek}\p{sc=Cyrillic}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Bopomofo}\p{sc=Hebrew}\p{sc=Arabic}\p{sc=Thai}\p{sc=Armenian}\p{sc=Georgian}\p{sc=Ethiopic}\p{sc=Devanagari}\p{sc=Bengali}\p{sc=Gurmukhi}\p{sc=Gujarati}\p{sc=Oriya}\p{sc=Tamil}\p{sc=Telugu}\p{sc=Kannada}\p{sc=Malayalam}\p{sc=Sinhala}\p{sc=Khmer}\p{sc=Lao}\p{sc=Myanmar}\p{sc=Common}\p{sc=Inherited}]/u;

/**
 * Blocks of those scripts no print font has: Arabic Supplement and Extended (Arabic-script
 * letters of other languages), Cyrillic Extended, phonetic small capitals and modifier letters
 * (ᴄᴀꜰᴇ), Greek Extended (polytonic ἀ), Latin Extended-E, a few lone letters (Ↄ ↄ ⸯ), the
 * North Korean compatibility ideographs (U+FA70–FAD9), the mathematical letters
 * (𝐁𝐚𝐫, 𝓒𝓪𝓯𝓮) that "fancy text" generators make names of, and the nakaara pollu of Telugu
 * and Kannada (U+0C5C, U+0CDC, Unicode 17: newer than their Noto faces).
 */
const MISSING_BLOCK =
  /[\u0c5c\u0cdc\u0750-\u077f\u0870-\u08ff\u1c80-\u1c8f\u1d00-\u1dbf\u1f00-\u1fff\u2de0-\u2dff\ua640-\ua69f\uab30-\uab6f\u2183\u2184\u2e2f\ufa70-\ufad9\u{1d400}-\u{1d7ff}]/u;

/**
 * Scripts (or blocks) the print fonts cannot draw, their marks too: Syriac, Thaana, N'Ko,
 * Samaritan, Mandaic (U+0700–U+08FF); the Indic scripts after it, Lao, Khmer and Myanmar are
 * shaped by HarfBuzz.
 */
const UNPRINTABLE = /[\u0700-\u08ff]/u;

/**
 * Emoji sequences, which print as their parts (no font shaping joins them): a zero-width
 * joiner after an emoji (or its variation selector or skin tone), a skin tone, regional
 * indicator letters (flags), a keycap, tag characters (the flags of England, Scotland, Wales).
 * A joiner between letters (Arabic, Persian names use one to keep a letter's joined form) is no
 * emoji sequence: it draws nothing on the cards.
 */
const EMOJI_SEQUENCE =
  /\p{Extended_Pictographic}[\ufe0f\u{1f3fb}-\u{1f3ff}]?\u200d|[\u{1f3fb}-\u{1f3ff}\u{1f1e6}-\u{1f1ff}\u20e3\u{e0020}-\u{e007f}]/u;

/**
 * The first letter of `name` the print fonts cannot draw, for the notice to show which one
 * prints as a box ("ܫ" in "ܫܠܡܐ"); a lone combining mark comes on a dotted circle. Null when
 * every letter prints.
 *
 * @example
 * unprintableLetter("Café ܫܠܡܐ") // "ܫ"
 * unprintableLetter("Café") // null
 */
export function unprintableLetter(name) {
  if (!name) return null;
  let first = null;
  for (const pattern of [UNPRINTABLE, OTHER_SCRIPT, MISSING_BLOCK]) {
    const match = pattern.exec(name);
    if (match && (first === null || match.index < first.index)) first = match;
  }
  if (!first) return null;
  return /^\p{M}/u.test(first[0]) ? `\u25cc${first[0]}` : first[0];
}

/**
 * How `name` prints on the cards: "unprintable" when it holds a script the print fonts lack
 * (those letters print as empty boxes), "emoji-parts" when it holds an emoji sequence (printed
 * as its parts), else null.
 *
 * @example
 * printIssue("ร้านกาแฟ ☕") // null
 * printIssue("ལྷ་ས") // "unprintable" (Tibetan)
 * printIssue("Family 👨‍👩‍👧") // "emoji-parts"
 */
export function printIssue(name) {
  if (!name) return null;
  if (unprintableLetter(name)) return "unprintable";
  if (EMOJI_SEQUENCE.test(name)) return "emoji-parts";
  return null;
}
