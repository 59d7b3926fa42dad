/**
 * A rollup row's unique-scanner sketches as a funnel reads them. The row stores them as one
 * JSON object `{"p:<platform>:<register>": rank, "i:<in-app>:<register>": rank, …}`
 * (core/rollup.ts); a year's rows hold millions of such keys, and making a string and an object
 * property of each is where a long funnel spent its time. So the stored text is scanned once,
 * without building the object, into one list of packed entries (core/hll.ts `packEntry`) per
 * folded dimension, which a funnel merges into dense registers. Text this scanner does not
 * expect (an escape, a non-integer rank) is read with `JSON.parse` instead, with the same result.
 */
import { packEntry, SKETCH_REGISTERS } from "./hll";
import { COLON, firstKey, NINE, nextKey, QUOTE, skipSpace, ZERO } from "./json-scan";

/** Packed sketch entries by folded dimension prefix (`p:ios`, `i:wechat`, `p:` for none). */
export type RowSketches = Map<string, number[]>;

/** Add an entry to its dimension's list, unless the key is not `<dim>:<register>` with a rank. */
function add(out: RowSketches, key: string, rank: unknown): void {
  const colon = key.lastIndexOf(":");
  const digits = key.slice(colon + 1);
  const register = Number(digits);
  if (colon < 0 || String(register) !== digits || register >= SKETCH_REGISTERS) return;
  if (typeof rank !== "number" || !Number.isInteger(rank) || rank < 1 || rank > 63) return;
  const dim = key.slice(0, colon);
  const list = out.get(dim) ?? [];
  out.set(dim, list);
  list.push(packEntry(register, rank));
}

/** Whether `text` holds `name` at `at` (char by char: `startsWith` with a position is slower here). */
function matchesAt(text: string, at: number, name: string): boolean {
  for (let k = 0; k < name.length; k++)
    if (text.charCodeAt(at + k) !== name.charCodeAt(k)) return false;
  return true;
}

/** Skip one `"key": value` whose value is a number: to its comma, or to the closing brace. */
function skipEntry(text: string, from: number): number {
  const comma = text.indexOf(",", from);
  return comma < 0 ? text.lastIndexOf("}") : comma;
}

/** The fast path: compact or spaced JSON of string keys and integer values, no escapes. */
function scan(text: string, only: string): RowSketches | null {
  if (text.includes("\\")) return null;
  const out: RowSketches = new Map();
  // The few dimensions a row holds, compared in place so a key's prefix is never sliced twice.
  const names: string[] = [];
  const lists: number[][] = [];
  const first = firstKey(text);
  if (first === null) return null;
  if (first === "empty") return out;
  let i = first;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return null;
    const start = i + 1;
    const end = text.indexOf('"', start);
    if (end < 0) return null;
    if (!matchesAt(text, start, only)) {
      i = skipEntry(text, end + 1);
    } else {
      let register = 0;
      let scale = 1;
      let j = end - 1;
      for (; j >= start; j--) {
        const c = text.charCodeAt(j);
        if (c < ZERO || c > NINE) break;
        register += (c - ZERO) * scale;
        scale *= 10;
      }
      // Registers are written as plain decimals: a leading zero or a long run is not one of ours.
      const digits = end - 1 - j;
      if (j < start || text.charCodeAt(j) !== COLON || digits === 0 || digits > 4) return null;
      if ((digits > 1 && text.charCodeAt(j + 1) === ZERO) || register >= SKETCH_REGISTERS)
        return null;
      let list: number[] | undefined;
      for (let d = 0; d < names.length; d++) {
        const name = names[d]!;
        if (name.length === j - start && matchesAt(text, start, name)) {
          list = lists[d];
          break;
        }
      }
      if (!list) {
        const name = text.slice(start, j);
        list = out.get(name) ?? [];
        out.set(name, list);
        names.push(name);
        lists.push(list);
      }
      i = skipSpace(text, end + 1);
      if (text.charCodeAt(i) !== COLON) return null;
      i = skipSpace(text, i + 1);
      let rank = 0;
      const rankStart = i;
      for (let c = text.charCodeAt(i); c >= ZERO && c <= NINE; c = text.charCodeAt(++i))
        rank = rank * 10 + (c - ZERO);
      if (i === rankStart || rank < 1 || rank > 63) return null;
      list.push(packEntry(register, rank));
    }
    const next = nextKey(text, i);
    if (next === null) return null;
    if (next === "end") return out;
    i = next;
  }
}

/**
 * A rollup row's `scanners` text, read into packed entries by dimension; with `only` (say
 * `"p:"`), only the dimensions that start with it, since a funnel not grouped by in-app browser
 * never merges the `i:` half. Entries that are not `<dim>:<register>` with a rank of 1–63 are
 * left out.
 *
 * @example
 * parseRowSketches('{"p:ios:7":3,"i::7":3}') // Map { "p:ios" => [451], "i:" => [451] }
 * parseRowSketches('{"p:ios:7":3,"i::7":3}', "p:") // Map { "p:ios" => [451] }
 */
export function parseRowSketches(text: string, only = ""): RowSketches {
  const fast = scan(text, only);
  if (fast) return fast;
  const out: RowSketches = new Map();
  const parsed: unknown = JSON.parse(text);
  if (parsed && typeof parsed === "object")
    for (const [key, rank] of Object.entries(parsed)) if (key.startsWith(only)) add(out, key, rank);
  return out;
}
