// What the print fonts can draw of a store name, without the page (unit-tested in Node): the
// console warns before printing a name that would print as empty boxes, and says how emoji
// sequences print.

/**
 * The scripts the print fonts draw, by their ISO 15924 codes: Latin, Greek, Cyrillic, Han, kana,
 * Hangul, Bopomofo, Hebrew, Arabic, Thai, Armenian, Georgian, Ethiopic and the scripts HarfBuzz
 * shapes (core/shaped-scripts.ts SHAPED_SCRIPTS: Devanagari… Myanmar, Tibetan, Thaana, Syriac,
 * N'Ko). The one list both the notice's check and its advice come from: a letter of any other
 * script warns (Mongolian, Cherokee, Tai Tham…, not only the ones listed once), and the advice
 * names these scripts in the console's language (printedScriptNames). A unit test checks it
 * against the built packs, block by block, and against SHAPED_SCRIPTS; the print fonts' letters
 * are docs/posters.md "Fonts".
 */
export const PRINTED_SCRIPTS = [
  "Latn",
  "Grek",
  "Cyrl",
  "Hani",
  "Hira",
  "Kana",
  "Hang",
  "Bopo",
  "Hebr",
  "Arab",
  "Thai",
  "Armn",
  "Geor",
  "Ethi",
  "Deva",
  "Beng",
  "Guru",
  "Gujr",
  "Orya",
  "Taml",
  "Telu",
  "Knda",
  "Mlym",
  "Sinh",
  "Khmr",
  "Laoo",
  "Mymr",
  "Tibt",
  "Thaa",
  "Syrc",
  "Nkoo",
];

/**
 * A letter or combining mark of none of those scripts (nor Common or Inherited: digits,
 * punctuation, symbols, the combining accents every script shares), by Script_Extensions as
 * core/shaped-scripts.ts takes the Indic runs (a Grantha sign Tamil shares prints from the Tamil
 * face): a lone Javanese or Tai Tham vowel sign after a Latin letter prints as a box too, while
 * one of Syriac or Thaana prints from its script's face (core/shaped-runs.ts).
 */
const OTHER_SCRIPT = new RegExp(
  `(?=[\\p{L}\\p{M}])[^${PRINTED_SCRIPTS.map((code) => `\\p{scx=${code}}`).join("")}\\p{sc=Zyyy}\\p{sc=Zinh}]`,
  "u",
);

/**
 * Blocks of those scripts no print font has: Arabic Supplement and Extended (Arabic-script
 * letters of other languages), Syriac Supplement (Suriyani Malayalam), Cyrillic Extended,
 * phonetic small capitals and modifier letters (ᴄᴀꜰᴇ), Greek Extended (polytonic ἀ), Latin
 * Extended-E, a few lone letters (Ↄ ↄ ⸯ), the North Korean compatibility ideographs
 * (U+FA70–FAD9), the mathematical letters (𝐁𝐚𝐫, 𝓒𝓪𝓯𝓮) that "fancy text" generators make names
 * of, and the nakaara pollu of Telugu and Kannada (U+0C5C, U+0CDC, Unicode 17: newer than their
 * Noto faces).
 */
const MISSING_BLOCK =
  /[\u0c5c\u0cdc\u0750-\u077f\u0860-\u08ff\u1c80-\u1c8f\u1d00-\u1dbf\u1f00-\u1fff\u2de0-\u2dff\ua640-\ua69f\uab30-\uab6f\u2183\u2184\u2e2f\ufa70-\ufad9\u{1d400}-\u{1d7ff}]/u;

/**
 * Combining marks every script shares (Inherited) that no print face draws, so a name holding
 * one prints a box on its letter: Combining Diacritical Marks Extended and Supplement, most
 * marks for symbols (U+20D0–U+20EF; the enclosing circle, square and keycap print from Noto
 * Emoji), half marks, and the few beyond the BMP (Arabic's U+10EFA–U+10EFF, musical and
 * Znamenny marks).
 */
const UNDRAWN_MARK =
  /[\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20dc\u20df-\u20e2\u20e4-\u20ef\ufe20-\ufe2f\u{101fd}\u{102e0}\u{10efa}-\u{10eff}\u{16ff0}\u{16ff1}\u{1cf00}-\u{1cf46}\u{1d165}-\u{1d169}\u{1d16d}-\u{1d172}\u{1d17b}-\u{1d182}\u{1d185}-\u{1d18b}\u{1d1aa}-\u{1d1ad}\u{1d242}-\u{1d244}\u{1e08f}]/u;

/**
 * Blocks the print fonts cannot draw, their marks too: Samaritan and Mandaic (U+0800–U+085F).
 */
const UNPRINTABLE = /[\u0800-\u085f]/u;

/**
 * The names of the scripts the print fonts draw in `lang` (Intl.DisplayNames), one list joined
 * as that language joins alternatives: what the notice advises a store's name be written in.
 *
 * @example
 * printedScriptNames("en") // "Latin, Greek, Cyrillic, Han, …, Syriac, or N’Ko"
 */
export function printedScriptNames(lang) {
  const names = new Intl.DisplayNames([lang, "en"], { type: "script", fallback: "code" });
  return new Intl.ListFormat([lang, "en"], { type: "disjunction" }).format(
    PRINTED_SCRIPTS.map((code) => names.of(code)),
  );
}

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
 * prints as a box ("ᠮ" in "ᠮᠣᠩᠭᠣᠯ"); a lone combining mark comes on a dotted circle. Null when
 * every letter prints.
 *
 * @example
 * unprintableLetter("Café ᠮᠣᠩᠭᠣᠯ") // "ᠮ"
 * unprintableLetter("Café") // null
 */
export function unprintableLetter(name) {
  if (!name) return null;
  let first = null;
  for (const pattern of [UNPRINTABLE, OTHER_SCRIPT, MISSING_BLOCK, UNDRAWN_MARK]) {
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
 * printIssue("ᠮᠣᠩᠭᠣᠯ") // "unprintable" (Mongolian)
 * printIssue("Family 👨‍👩‍👧") // "emoji-parts"
 */
export function printIssue(name) {
  if (!name) return null;
  if (unprintableLetter(name)) return "unprintable";
  if (EMOJI_SEQUENCE.test(name)) return "emoji-parts";
  return null;
}
