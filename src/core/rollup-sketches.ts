/**
 * A rollup row's unique-scanner sketches as a funnel reads them, and as the cron compacts them.
 * A row holds them in two parts whose union (register-wise max) is its sketch:
 *
 * - JSON `scanners`, `{"p:<platform>:<register>": rank, "i:<in-app>:<register>": rank, …}`
 *   (core/rollup.ts): what the queue consumer merges in SQL while a day is open, and late hops
 *   after. Only the last two days' rows hold much of it (the cron compacts finished days), so it
 *   is read with `JSON.parse` into one list of packed entries (core/hll.ts `packEntry`) per
 *   folded dimension.
 * - compact `sketch_all` / `sketch_dims` (core/compact-sketch.ts): a finished day's sketches,
 *   written by the cron ({@link compactSketches}) and read straight into dense registers.
 */
import {
  decodeDimensions,
  eachDimension,
  encodeDimensions,
  encodeSketch,
  mergeCompact,
} from "./compact-sketch";
import {
  mergePacked,
  mergeRegisters,
  newRegisters,
  packEntry,
  SKETCH_REGISTERS,
  type SketchRegisters,
} from "./hll";

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
  const out: RowSketches = new Map();
  if (text === "{}") return out;
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
  for (const row of rows) {
    if (row.sketch_all) mergeCompact(all, row.sketch_all);
    decodeDimensions(row.sketch_dims, dims);
    if (row.scanners)
      for (const [name, entries] of parseRowSketches(row.scanners))
        dims.set(name, mergePacked(dims.get(name) ?? newRegisters(), entries));
  }
  for (const [name, registers] of dims) if (name.startsWith("p:")) mergeRegisters(all, registers);
  return { sketch_all: encodeSketch(all), sketch_dims: encodeDimensions(dims) };
}
