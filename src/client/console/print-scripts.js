// What the print fonts can draw of a store name, without the page (unit-tested in Node): the
// console warns before printing a name that would print as empty boxes, and says how emoji
// sequences print.

/**
 * Scripts the print fonts cannot draw: Syriac, Arabic Supplement and Extended, Thaana, N'Ko,
 * Samaritan, Mandaic, the Indic scripts and Lao. Latin (with Vietnamese), Cyrillic, CJK,
 * Hebrew, Arabic (U+0590–U+06FF and the presentation forms), Thai and emoji (one code point
 * each, monochrome) are drawn (docs/posters.md "Fonts").
 */
const UNPRINTABLE = /[\u0700-\u08ff\u0900-\u0dff\u0e80-\u0eff]/u;

/**
 * Emoji sequences, which print as their parts (no font shaping joins them): a zero-width
 * joiner between emoji, a skin tone, regional indicator letters (flags), a keycap, tag
 * characters (the flags of England, Scotland, Wales).
 */
const EMOJI_SEQUENCE = /\u200d|[\u{1f3fb}-\u{1f3ff}\u{1f1e6}-\u{1f1ff}\u20e3\u{e0020}-\u{e007f}]/u;

/**
 * How `name` prints on the cards: "unprintable" when it holds a script the print fonts lack
 * (those letters print as empty boxes), "emoji-parts" when it holds an emoji sequence (printed
 * as its parts), else null.
 *
 * @example
 * printIssue("ร้านกาแฟ ☕") // null
 * printIssue("चाय की दुकान") // "unprintable"
 * printIssue("Family 👨‍👩‍👧") // "emoji-parts"
 */
export function printIssue(name) {
  if (!name) return null;
  if (UNPRINTABLE.test(name)) return "unprintable";
  if (EMOJI_SEQUENCE.test(name)) return "emoji-parts";
  return null;
}
