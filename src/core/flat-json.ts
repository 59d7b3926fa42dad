/**
 * Flat JSON maps of integers (a rollup row's `counts` and `delays`, core/rollup.ts) read with
 * some keys left out. A funnel that is not grouped by platform or in-app browser never reads
 * the folded keys (`hop@p:ios`, `p:ios:<bucket>`), which are most of a row's keys; `JSON.parse`
 * would still make a property of each, and over a year of rows that was a good part of a
 * funnel's time. Text this scanner does not expect (an escape, a fraction) goes to `JSON.parse`.
 */
import { COLON, firstKey, MINUS, NINE, nextKey, QUOTE, skipSpace, ZERO } from "./json-scan";

function holds(text: string, start: number, end: number, char: number): boolean {
  for (let k = start; k < end; k++) if (text.charCodeAt(k) === char) return true;
  return false;
}

function scan(text: string, without: number): Record<string, number> | null {
  if (text.includes("\\")) return null;
  const out: Record<string, number> = {};
  const first = firstKey(text);
  if (first === null) return null;
  if (first === "empty") return out;
  let i = first;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return null;
    const start = i + 1;
    const end = text.indexOf('"', start);
    if (end < 0) return null;
    i = skipSpace(text, end + 1);
    if (text.charCodeAt(i) !== COLON) return null;
    i = skipSpace(text, i + 1);
    const negative = text.charCodeAt(i) === MINUS;
    if (negative) i++;
    let value = 0;
    const valueStart = i;
    for (let c = text.charCodeAt(i); c >= ZERO && c <= NINE; c = text.charCodeAt(++i))
      value = value * 10 + (c - ZERO);
    if (i === valueStart || i - valueStart > 15) return null;
    if (!without || !holds(text, start, end, without))
      out[text.slice(start, end)] = negative ? -value : value;
    const next = nextKey(text, i);
    if (next === null) return null;
    if (next === "end") return out;
    i = next;
  }
}

/**
 * A flat JSON object of integers, without the keys that contain `without` (one character;
 * `""` keeps every key).
 *
 * @example
 * parseFlatCounts('{"scanned":3,"scanned@p:ios":2}', "@") // { scanned: 3 }
 * parseFlatCounts('{"scanned":3,"scanned@p:ios":2}') // { scanned: 3, "scanned@p:ios": 2 }
 */
export function parseFlatCounts(text: string, without = ""): Record<string, number> {
  const fast = scan(text, without ? without.charCodeAt(0) : 0);
  if (fast) return fast;
  const parsed = JSON.parse(text) as Record<string, number>;
  if (!without) return parsed;
  for (const key of Object.keys(parsed)) if (key.includes(without)) delete parsed[key];
  return parsed;
}
