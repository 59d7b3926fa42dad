// Strings for the right-to-left properties (bidi-properties.test.ts): any string a shop could type
// or a CSV import could bring, biased to what the bidi and Arabic shaping code treats specially.
import fc from "fast-check";
import { arabicForms, isInvisible, joiningType } from "../../src/core/arabic-shaping";

export const cps = (s: string) => [...s].map((c) => c.codePointAt(0)!);
export const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));

const HEBREW = range(0x05d0, 0x05ea);
const HEBREW_POINTS = range(0x05b0, 0x05bc);
const ARABIC = [...arabicForms().keys()]
  .map((cp) => String.fromCodePoint(cp))
  .concat(
    "\u0621", // hamza: Arabic, not joined
    "\u0640", // tatweel
    "\u06c0", // heh with yeh above: outside the table, drawn isolated
  );
const HARAKAT = [...range(0x064b, 0x0652), "\u0670"];
const OTHER_MARKS = ["\u0301", "\u0308", "\u20dd", "\u0e31", "\u093f", "\ufe0f"];
const CONTROLS = [
  "\u200e",
  "\u200f",
  ...range(0x202a, 0x202e),
  ...range(0x2066, 0x2069),
  "\u200c",
  "\u200d",
  "\u061c",
  "\ufeff",
];
const DIGITS = [...range(0x30, 0x39), ...range(0x0660, 0x0669), ...range(0x06f0, 0x06f9)];
export const BRACKETS = [..."()[]{}<>«»"];
const PUNCT = [..." .,:/-!?&'\"\t\n\u2028\u2029\u00a0"];
/** Default-ignorable characters besides the controls: variation selectors, tags, soft hyphen. */
const IGNORABLE = [
  "\ufe0f",
  "\ufe0e",
  "\u{e0001}",
  "\u{e0067}",
  "\u{e0100}",
  "\u00ad",
  "\u034f",
  "\u180b",
];
const LATIN = [..."aZé"];
const OTHER_SCRIPTS = [
  "ก",
  "ข",
  "क",
  "ि",
  "渋",
  "한",
  "😀",
  "👩‍👩‍👧",
  "\u{1F3F3}\uFE0F\u200D\u{1F308}",
  "©️",
  "1️⃣",
];

/** A lone high or low surrogate (a UTF-16 string no UTF-8 source would give). */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u));

/** Strings biased to what the right-to-left code treats specially. */
const rtlish = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...HEBREW, ...ARABIC) },
      { weight: 2, arbitrary: fc.constantFrom(...HEBREW_POINTS, ...HARAKAT, ...OTHER_MARKS) },
      { weight: 2, arbitrary: fc.constantFrom(...CONTROLS, ...IGNORABLE) },
      { weight: 2, arbitrary: fc.constantFrom(...DIGITS) },
      { weight: 1, arbitrary: fc.constantFrom(...BRACKETS, ...PUNCT, ...LATIN) },
      { weight: 1, arbitrary: fc.constantFrom(...OTHER_SCRIPTS) },
      { weight: 1, arbitrary: loneSurrogate },
    ),
    { maxLength: 80, size: "max" },
  )
  .map((parts) => parts.join(""));

// `size: "max"`: fast-check's default size keeps arrays and strings to about ten items, too
// short for runs of several levels or a medial letter between two joining ones.
/** Any string: full Unicode code points, raw UTF-16 code units (lone surrogates), or biased. */
export const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80, size: "max" }),
  fc.string({
    unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)),
    maxLength: 80,
    size: "max",
  }),
  rtlish,
  rtlish,
);

/** Whether a code point is drawn at all (marks of the shaper's table and controls are not). */
export const drawn = (cp: number) => joiningType(cp) !== "T" && !isInvisible(cp);
