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
 *
 * A funnel reads thousands of sketches of thousands of registers each, so it does not merge
 * them as objects: it merges packed entries ({@link packEntry}) into dense registers, one byte
 * per register ({@link mergePacked}), and estimates from those ({@link estimateRegisters}) with
 * exactly the arithmetic of {@link estimateDistinct}.
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

/** Dense registers: index = register, value = rank (0 = not set). */
export type SketchRegisters = Uint8Array;

/**
 * Empty dense registers.
 *
 * @example
 * mergePacked(newRegisters(), [packEntry(7, 3)])[7] // 3
 */
export function newRegisters(): SketchRegisters {
  return new Uint8Array(SKETCH_REGISTERS);
}

/**
 * A register and its rank in one small integer (register × 64 + rank; ranks are 1–53), so a
 * row's sketch is a plain array of numbers rather than an object of string keys.
 *
 * @example
 * packEntry(4095, 1) // 262081
 */
export function packEntry(register: number, rank: number): number {
  return register * 64 + rank;
}

/**
 * Merge packed entries into dense registers (in place): each register keeps the larger rank,
 * the rule of {@link mergeSketches}.
 *
 * @example
 * mergePacked(newRegisters(), [packEntry(1, 2), packEntry(1, 5)])[1] // 5
 */
export function mergePacked(into: SketchRegisters, entries: readonly number[]): SketchRegisters {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const register = entry >> 6;
    const rank = entry & 63;
    if (into[register]! < rank) into[register] = rank;
  }
  return into;
}

/**
 * Merge dense registers into others (in place): each register keeps the larger rank.
 *
 * @example
 * mergeRegisters(registersOf({ "1": 2 }), registersOf({ "1": 5 }))[1] // 5
 */
export function mergeRegisters(into: SketchRegisters, from: SketchRegisters): SketchRegisters {
  for (let i = 0; i < into.length; i++) if (into[i]! < from[i]!) into[i] = from[i]!;
  return into;
}

/**
 * Dense registers of a sparse sketch (keys that are not a register 0–4095 are ignored).
 *
 * @example
 * registersOf({ "9": 3 })[9] // 3
 */
export function registersOf(sketch: Sketch): SketchRegisters {
  const registers = newRegisters();
  for (const [key, rank] of Object.entries(sketch)) {
    const register = Number(key);
    if (String(register) !== key || register >= SKETCH_REGISTERS) continue;
    if (typeof rank === "number" && registers[register]! < rank) registers[register] = rank;
  }
  return registers;
}

/** 2^-rank for every rank a register can hold. */
const INVERSE_POWERS = Array.from({ length: 64 }, (_, rank) => 2 ** -rank);

/**
 * The estimated number of distinct hashes of dense registers, rounded: the same figure
 * {@link estimateDistinct} gives for the same sketch, summed in the same (register) order.
 *
 * @example
 * estimateRegisters(registersOf({ "0": 1, "9": 3 })) // 2
 */
export function estimateRegisters(registers: SketchRegisters): number {
  let sum = 0;
  let set = 0;
  for (let i = 0; i < registers.length; i++) {
    const rank = registers[i]!;
    if (rank === 0) continue;
    sum += INVERSE_POWERS[rank]!;
    set++;
  }
  return estimateFrom(sum, set);
}

function estimateFrom(sumOfSet: number, set: number): number {
  const m = SKETCH_REGISTERS;
  const zeros = m - set;
  const sum = sumOfSet + zeros; // every empty register adds 2^0
  const alpha = 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / sum;
  // Small range: linear counting on the empty registers is the better estimate.
  if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
  return Math.round(raw);
}

/**
 * The estimated number of distinct hashes a sketch has seen, rounded.
 *
 * @example
 * estimateDistinct({}) // 0
 * estimateDistinct({ "0": 1, "9": 3 }) // 2
 */
export function estimateDistinct(sketch: Sketch): number {
  let sum = 0;
  let set = 0;
  for (const rank of Object.values(sketch)) {
    sum += 2 ** -rank;
    set++;
  }
  return estimateFrom(sum, set);
}
