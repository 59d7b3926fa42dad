/**
 * Unique-scanner sketches: a sparse HyperLogLog (Flajolet et al. 2007) with 2^12 registers.
 * Each rollup row keeps one sketch; sketches merge by taking the larger value of each register,
 * so the scanners of any range and grouping are counted from rollups alone, never from a row
 * per person. A sketch is stored as a JSON object `{register: rank}` holding only the registers
 * that are set, so a row with few scanners stays a few bytes, and D1 merges two sketches in SQL
 * (store/hop-rollups.ts) with the same rule as {@link mergeSketches}.
 *
 * The input is a hop's `ip_hash` (64 bits, hex): its first 12 bits choose the register, the
 * next 52 give the rank (1 + leading zero bits). The standard error is 1.04/√4096 ≈ 1.6 %;
 * below ~10,000 scanners the linear-counting branch is nearly exact.
 */

/** Registers: 2^12. */
export const SKETCH_REGISTERS = 4096;
/** The standard error of an estimate, as a fraction (1.04 / √registers). */
export const SKETCH_STANDARD_ERROR = 1.04 / Math.sqrt(SKETCH_REGISTERS);

/** A sparse sketch: register index (decimal string) → rank (1–53). */
export type Sketch = Record<string, number>;

const HEX = /^[0-9a-f]{16}$/;

/**
 * The register and rank a 64-bit hex hash sets, or null when the text is not 16 hex digits.
 *
 * @example
 * sketchEntry("fff8000000000000") // [4095, 1]
 * sketchEntry("0000000000000001") // [0, 52]
 */
export function sketchEntry(hash: string): [number, number] | null {
  if (!HEX.test(hash)) return null;
  const register = Number.parseInt(hash.slice(0, 3), 16);
  let rank = 1;
  for (const digit of hash.slice(3)) {
    const v = Number.parseInt(digit, 16);
    if (v === 0) {
      rank += 4;
      continue;
    }
    rank += v >= 8 ? 0 : v >= 4 ? 1 : v >= 2 ? 2 : 3;
    return [register, rank];
  }
  return [register, rank];
}

/**
 * Add a hash to a sketch (in place); returns the sketch.
 *
 * @example
 * addToSketch({}, "fff8000000000000") // { "4095": 1 }
 */
export function addToSketch(sketch: Sketch, hash: string): Sketch {
  const entry = sketchEntry(hash);
  if (entry) {
    const key = String(entry[0]);
    if ((sketch[key] ?? 0) < entry[1]) sketch[key] = entry[1];
  }
  return sketch;
}

/**
 * Merge `from` into `into` (in place): each register keeps the larger rank.
 *
 * @example
 * mergeSketches({ "1": 2 }, { "1": 5, "7": 1 }) // { "1": 5, "7": 1 }
 */
export function mergeSketches(into: Sketch, from: Sketch): Sketch {
  for (const [key, rank] of Object.entries(from)) {
    if (typeof rank === "number" && (into[key] ?? 0) < rank) into[key] = rank;
  }
  return into;
}

/**
 * The estimated number of distinct hashes a sketch has seen, rounded.
 *
 * @example
 * estimateDistinct({}) // 0
 * estimateDistinct({ "0": 1, "9": 3 }) // 2
 */
export function estimateDistinct(sketch: Sketch): number {
  const m = SKETCH_REGISTERS;
  let sum = 0;
  let set = 0;
  for (const rank of Object.values(sketch)) {
    sum += 2 ** -rank;
    set++;
  }
  const zeros = m - set;
  sum += zeros; // every empty register adds 2^0
  const alpha = 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / sum;
  // Small range: linear counting on the empty registers is the better estimate.
  if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
  return Math.round(raw);
}
