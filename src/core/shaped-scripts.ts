/**
 * The scripts HarfBuzz shapes for the print kit (Devanagari, the other Indic scripts, Sinhala,
 * Khmer, Lao, Myanmar), each with a face of its own whose pack holds glyphs by id
 * (core/glyph-pack.ts `GLYPH_ID_BASE`): which script a character is, and which face sets it.
 */
import type { FaceId, TextStyle } from "./glyph-pack";

/**
 * The scripts HarfBuzz shapes, by their ISO 15924 codes (the face ids' prefix): each has a face
 * of its own (Noto Sans Devanagari, Bengali…) whose pack holds glyphs by id.
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
} as const;

/** A script HarfBuzz shapes (`deva` Devanagari, `beng` Bengali, `khmr` Khmer…). */
export type ShapedScript = keyof typeof SHAPED_SCRIPTS;

const SHAPED_LIST = Object.entries(SHAPED_SCRIPTS) as [ShapedScript, RegExp][];

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
 * and the rest (codes are ASCII).
 *
 * @example
 * shapedFace("bold", "deva") // "deva-700"
 * shapedFace("regular", "khmr") // "khmr-400"
 */
export function shapedFace(style: TextStyle, script: ShapedScript): FaceId {
  return `${script}-${style === "regular" ? 400 : 700}`;
}
