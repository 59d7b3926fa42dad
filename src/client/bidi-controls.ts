/**
 * Explicit bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), dropped from
 * a value before it is put into a sentence: a name's stray U+2069 would close the isolate around
 * it and a U+202E then turn the rest of the sentence round. Shared by the widget's texts
 * (i18n.ts) and the console's words (console/page-lang.js); the Worker's pages do the same in
 * pages/i18n.ts (browser code imports nothing from the Worker).
 */

const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * `value` without its explicit bidi controls (left-to-right and right-to-left marks stay).
 *
 * @example
 * withoutBidiControls("Main St.\u2069\u202e") // "Main St."
 */
export function withoutBidiControls(value: string): string {
  return value.replace(BIDI_CONTROLS, "");
}
