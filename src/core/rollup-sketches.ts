/**
 * A rollup row's unique-scanner sketches as a funnel reads them, and as the cron compacts them.
 * A row holds them in two parts whose union (register-wise max) is its sketch:
 *
 * - JSON `scanners`, `{"p:<platform>:<register>": rank, "i:<in-app>:<register>": rank, …}`
 *   (core/rollup.ts): what the queue consumer merges in SQL while a day is open, and late hops
 *   after. A year's rows held millions of such keys, and making a string and an object property
 *   of each is where a long funnel spent its time, so the text is scanned once, without building
 *   the object, into one list of packed entries (core/hll.ts `packEntry`) per folded dimension.
 *   Text this scanner does not expect (an escape, a non-integer rank) is read with `JSON.parse`
 *   instead, with the same result.
 * - compact `sketch_all` / `sketch_dims` (core/compact-sketch.ts): a finished day's sketches,
 *   written by the cron ({@link compactSketches}) and read straight into dense registers.
 */
import { eachDimension, encodeDimensions, encodeSketch, mergeCompact } from "./compact-sketch";
import {
  mergePacked,
  mergeRegisters,
  newRegisters,
  packEntry,
  SKETCH_REGISTERS,
  type SketchRegisters,
} from "./hll";
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

/** A row's sketches as read: the JSON part by dimension, and the compact part that was selected. */
export interface RowScanners {
  /** Packed entries of the JSON `scanners` by dimension. */
  json: RowSketches;
  /** `sketch_all` (every scanner), when the funnel reads it. */
  all: string | null;
  /** `sketch_dims` by dimension (compact text of each), when the funnel reads them. */
  dims: Map<string, string> | null;
}

/**
 * A row's `sketch_dims` by dimension, only the dimensions that start with `only`.
 *
 * @example
 * compactDimensions("5:p:ios3:ABF", "p:") // Map { "p:ios" => "ABF" }
 */
export function compactDimensions(text: string | null, only = ""): Map<string, string> {
  const out = new Map<string, string>();
  if (text) eachDimension(text, only, (name, start, end) => out.set(name, text.slice(start, end)));
  return out;
}

/**
 * Merge every scanner of a row into dense registers (in place): its JSON platform sketches and
 * its compact `sketch_all` (or, when the funnel read `sketch_dims` instead, its compact platform
 * sketches). Every scan has exactly one platform, so the platforms together are every scanner.
 *
 * @example
 * mergeAllScanners(newRegisters(), { json: parseRowSketches(scanners, "p:"), all, dims: null });
 */
export function mergeAllScanners(into: SketchRegisters, row: RowScanners): SketchRegisters {
  for (const [dim, entries] of row.json) if (dim.startsWith("p:")) mergePacked(into, entries);
  if (row.all) mergeCompact(into, row.all);
  else if (row.dims)
    for (const [dim, sketch] of row.dims) if (dim.startsWith("p:")) mergeCompact(into, sketch);
  return into;
}

/**
 * Merge one dimension's scanners of a row (`p:ios`, `i:wechat`…) into dense registers (in place):
 * its JSON part and its compact part.
 *
 * @example
 * mergeDimension(registers, { json, all: null, dims: compactDimensions(sketchDims) }, "p:ios");
 */
export function mergeDimension(
  into: SketchRegisters,
  row: RowScanners,
  dim: string,
): SketchRegisters {
  const entries = row.json.get(dim);
  if (entries) mergePacked(into, entries);
  const sketch = row.dims?.get(dim);
  if (sketch) mergeCompact(into, sketch);
  return into;
}

/** A row's sketches in any of their stored forms, as the cron reads them. */
export interface StoredSketches {
  /** JSON `scanners` ('{}' once compacted). */
  scanners?: string;
  sketch_all: string | null;
  sketch_dims: string | null;
}

/**
 * The union of rows' sketches (JSON and compact parts alike) in compact form: what the cron
 * writes when it compacts a row (its two parts) or folds a day into a month (the day's compact
 * sketch and the month's). Register-wise max, so folding the same sketch again changes nothing;
 * the same registers always give the same text.
 *
 * @example
 * compactSketches([{ scanners: '{"p:ios:1":5}', sketch_all: null, sketch_dims: null }])
 * // { sketch_all: "ABF", sketch_dims: "5:p:ios3:ABF" }
 */
export function compactSketches(rows: readonly StoredSketches[]): {
  sketch_all: string | null;
  sketch_dims: string | null;
} {
  const dims = new Map<string, SketchRegisters>();
  const all = newRegisters();
  const dimension = (name: string) => {
    let registers = dims.get(name);
    if (!registers) {
      registers = newRegisters();
      dims.set(name, registers);
    }
    return registers;
  };
  for (const row of rows) {
    if (row.sketch_all) mergeCompact(all, row.sketch_all);
    const text = row.sketch_dims;
    if (text)
      eachDimension(text, "", (name, start, end) =>
        mergeCompact(dimension(name), text, start, end),
      );
    if (row.scanners && row.scanners !== "{}")
      for (const [name, entries] of parseRowSketches(row.scanners))
        mergePacked(dimension(name), entries);
  }
  for (const [name, registers] of dims) if (name.startsWith("p:")) mergeRegisters(all, registers);
  return { sketch_all: encodeSketch(all), sketch_dims: encodeDimensions(dims) };
}
