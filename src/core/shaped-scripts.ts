/**
 * The scripts HarfBuzz shapes for the print kit (Devanagari, the other Indic scripts, Sinhala,
 * Khmer, Lao, Myanmar, Tibetan, and right to left Thaana, Syriac and N'Ko), each with a face of
 * its own whose pack holds glyphs by id (core/glyph-pack.ts `GLYPH_ID_BASE`): which script a
 * character is, and which face sets it.
 */
import type { FaceId, TextStyle } from "./glyph-pack";

/**
 * The scripts HarfBuzz shapes, by their ISO 15924 codes (the face ids' prefix): each has a face
 * of its own (Noto Sans Devanagari, Bengali…, Noto Serif Tibetan) whose pack holds glyphs by id.
 * The right-to-left ones match their own letters only (`sc`, not `scx`): the Arabic comma,
 * harakat and digits they share are Arabic's too, and must not pull an Arabic name's into a
 * Thaana run (a mark after one of their letters still joins its text: core/arabic-shaping.ts).
 */
export const SHAPED_SCRIPTS = {
  deva: /\p{scx=Devanagari}/u,
  beng: /\p{scx=Bengali}/u,
  guru: /\p{scx=Gurmukhi}/u,
  gujr: /\p{scx=Gujarati}/u,
  orya: /\p{scx=Oriya}/u,
  taml: /\p{scx=Tamil}/u,
  telu: /\p{scx=Telugu}/u,
  knda: /\p{scx=Kannada}/u,
  mlym: /\p{scx=Malayalam}/u,
  sinh: /\p{scx=Sinhala}/u,
  khmr: /\p{scx=Khmer}/u,
  laoo: /\p{scx=Lao}/u,
  mymr: /\p{scx=Myanmar}/u,
  tibt: /\p{scx=Tibetan}/u,
  thaa: /\p{sc=Thaana}/u,
  syrc: /\p{sc=Syriac}/u,
  nkoo: /\p{sc=Nko}/u,
} as const;

/** A script HarfBuzz shapes (`deva` Devanagari, `beng` Bengali, `khmr` Khmer…). */
export type ShapedScript = keyof typeof SHAPED_SCRIPTS;

const SHAPED_LIST = Object.entries(SHAPED_SCRIPTS) as [ShapedScript, RegExp][];

/** The shaped scripts written right to left: their runs are laid out so (core/bidi.ts). */
const RIGHT_TO_LEFT = new Set<ShapedScript>(["thaa", "syrc", "nkoo"]);

/**
 * Whether a shaped script is written right to left (Thaana, Syriac, N'Ko).
 *
 * @example
 * rightToLeft("syrc") // true
 * rightToLeft("deva") // false
 */
export function rightToLeft(script: ShapedScript): boolean {
  return RIGHT_TO_LEFT.has(script);
}

/** Scripts whose Noto face has one weight (N'Ko's: regular), which sets their bold text too. */
const ONE_WEIGHT = new Set<ShapedScript>(["nkoo"]);

/**
 * Characters of the scripts HarfBuzz shapes (with the dandas, Vedic signs and digits they
 * share), in runs: pages/print-text.ts shapes each run of one script as one text.
 */
export const SHAPED_SCRIPT = new RegExp(SHAPED_LIST.map(([, re]) => re.source).join("|"), "u");

/**
 * The shaped script a character belongs to: `current` (the run it follows) when the character
 * is also of that script (a danda, shared by Devanagari, Bengali and the others, stays in a
 * Bengali run), else the first that has it; null for a character of none.
 *
 * @example
 * shapedScriptOf("ক") // "beng"
 * shapedScriptOf("।", "beng") // "beng"
 * shapedScriptOf("A") // null
 */
export function shapedScriptOf(ch: string, current?: ShapedScript | null): ShapedScript | null {
  if (current && SHAPED_SCRIPTS[current].test(ch)) return current;
  for (const [script, re] of SHAPED_LIST) if (re.test(ch)) return script;
  return null;
}

/**
 * The shaped face that sets a style's run of `script`: bold for store names, regular for labels
 * and the rest (codes are ASCII); regular for both when the script's face has no bold (N'Ko).
 *
 * @example
 * shapedFace("bold", "deva") // "deva-700"
 * shapedFace("regular", "khmr") // "khmr-400"
 * shapedFace("bold", "nkoo") // "nkoo-400"
 */
export function shapedFace(style: TextStyle, script: ShapedScript): FaceId {
  return `${script}-${style === "regular" || ONE_WEIGHT.has(script) ? 400 : 700}`;
}
