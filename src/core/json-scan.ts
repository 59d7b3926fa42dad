/**
 * What the two hand-written scanners of rollup text share (core/flat-json.ts for counts and
 * delays, core/rollup-sketches.ts for sketches): character codes and the frame of a flat JSON
 * object of integers. They exist because a year of rollup rows holds millions of keys that
 * `JSON.parse` would each make a string and a property of (bench/funnel-read.mjs measures it);
 * both fall back to `JSON.parse` on any text they do not expect.
 */

export const QUOTE = 34;
export const COMMA = 44;
export const COLON = 58;
export const OPEN = 123;
export const CLOSE = 125;
export const MINUS = 45;
export const ZERO = 48;
export const NINE = 57;

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * The index of the first character at or after `i` that is not JSON whitespace.
 *
 * @example
 * skipSpace('{ "a": 1}', 1) // 2
 */
export function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Where an object's first key starts (`"`), `"empty"` for `{}`, or null when `text` is not an
 * object.
 *
 * @example
 * firstKey('{"a":1}') // 1
 * firstKey(" {} ") // "empty"
 */
export function firstKey(text: string): number | "empty" | null {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN) return null;
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) !== CLOSE) return i;
  return skipSpace(text, i + 1) === text.length ? "empty" : null;
}

/**
 * After a value ending at `i`: where the next key starts, `"end"` when the object closes and
 * nothing follows it, or null when the text is not what a flat object holds there.
 *
 * @example
 * nextKey('{"a":1, "b":2}', 6) // 8
 * nextKey('{"a":1}', 6) // "end"
 */
export function nextKey(text: string, i: number): number | "end" | null {
  i = skipSpace(text, i);
  const next = text.charCodeAt(i);
  if (next === COMMA) return skipSpace(text, i + 1);
  if (next !== CLOSE) return null;
  return skipSpace(text, i + 1) === text.length ? "end" : null;
}
