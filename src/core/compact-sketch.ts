/**
 * The compact form of a finished day's unique-scanner sketches (core/hll.ts), as stored in the
 * rollups' `sketch_all` and `sketch_dims` columns (migrations/0012_compact_sketches.sql). An
 * open day's sketch is JSON, ~14 bytes a register, because the queue consumer merges it in SQL;
 * once the day is over the cron rewrites it in this form, 3 bytes a register or fewer.
 *
 * One sketch is text of base64 digits (`A–Z a–z 0–9 + /`, 6 bits each), whichever form is
 * shorter for its registers:
 *
 * - **sparse**: 3 digits per set register, register × 64 + rank (18 bits) big-endian, in
 *   register order — a multiple of 3 digits, at most 4,095;
 * - **dense**: 4,096 digits, the rank of each register in turn (ranks are 0–53, one digit).
 *
 * So the length alone says which (4,096 is not a multiple of 3), and both are read straight into
 * dense registers ({@link mergeCompact}) without a string or an object per register. Text, not a
 * BLOB: D1 hands a BLOB to the Worker as an array of numbers (docs/storage.md).
 *
 * A row's sketches by dimension (`p:<platform>`, `i:<in-app browser>`) are concatenated with
 * their names and lengths, `<name length>:<name><sketch length>:<sketch>` in name order
 * ({@link encodeDimensions}); names may hold any character.
 */
import { newRegisters, SKETCH_REGISTERS, type SketchRegisters } from "./hll";

const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** Digit value by character code; 0 for a character that is not a digit. */
const VALUE = new Uint8Array(128);
for (let i = 0; i < DIGITS.length; i++) VALUE[DIGITS.charCodeAt(i)] = i;

/** Digits per sparse entry. */
const ENTRY = 3;
/** The length of a dense sketch: one digit per register. */
export const DENSE_LENGTH = SKETCH_REGISTERS;

/**
 * The compact text of dense registers, sparse or dense (the shorter), or null when no register
 * is set. The same registers always give the same text.
 *
 * @example
 * const r = newRegisters(); r[1] = 5;
 * encodeSketch(r) // "ABF" (1 × 64 + 5 = 69: digits 0, 1, 5)
 */
export function encodeSketch(registers: SketchRegisters): string | null {
  let set = 0;
  for (let i = 0; i < registers.length; i++) if (registers[i] !== 0) set++;
  if (set === 0) return null;
  const parts: string[] = [];
  if (set * ENTRY < DENSE_LENGTH) {
    for (let i = 0; i < registers.length; i++) {
      const rank = registers[i]!;
      if (rank === 0) continue;
      parts.push(DIGITS[i >> 6]! + DIGITS[i & 63]! + DIGITS[rank]!);
    }
  } else {
    for (let i = 0; i < registers.length; i++) parts.push(DIGITS[registers[i]!]!);
  }
  return parts.join("");
}

/**
 * Merge one compact sketch (the text, or `text[start, end)`) into dense registers, in place:
 * each register keeps the larger rank, as core/hll.ts `mergePacked`. Throws on a length that is
 * neither form.
 *
 * @example
 * mergeCompact(newRegisters(), "ABF")[1] // 5
 */
export function mergeCompact(
  into: SketchRegisters,
  text: string,
  start = 0,
  end = text.length,
): SketchRegisters {
  const length = end - start;
  if (length === DENSE_LENGTH) {
    for (let i = 0; i < DENSE_LENGTH; i++) {
      const rank = VALUE[text.charCodeAt(start + i)]!;
      if (into[i]! < rank) into[i] = rank;
    }
    return into;
  }
  if (length % ENTRY !== 0) throw new Error(`not a compact sketch: ${length} digits`);
  for (let i = start; i < end; i += ENTRY) {
    const register = (VALUE[text.charCodeAt(i)]! << 6) | VALUE[text.charCodeAt(i + 1)]!;
    const rank = VALUE[text.charCodeAt(i + 2)]!;
    if (into[register]! < rank) into[register] = rank;
  }
  return into;
}

/**
 * A row's sketches by dimension as one text (see the module comment), or null when none holds a
 * register. Dimensions are written in name order, so the same sketches give the same text.
 *
 * @example
 * const ios = newRegisters(); ios[1] = 5;
 * encodeDimensions(new Map([["p:ios", ios]])) // "5:p:ios3:ABF"
 */
export function encodeDimensions(dims: ReadonlyMap<string, SketchRegisters>): string | null {
  const parts: string[] = [];
  for (const name of [...dims.keys()].sort()) {
    const sketch = encodeSketch(dims.get(name)!);
    if (sketch) parts.push(`${name.length}:${name}${sketch.length}:${sketch}`);
  }
  return parts.length ? parts.join("") : null;
}

/** A decimal length ending in `:` at `at`; returns [value, index after the colon]. */
function readLength(text: string, at: number): [number, number] {
  let value = 0;
  let i = at;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i))
    value = value * 10 + (c - 48);
  if (i === at || text.charCodeAt(i) !== 58) throw new Error(`not compact dimensions at ${at}`);
  return [value, i + 1];
}

/**
 * Visit each dimension of a `sketch_dims` text whose name starts with `only`: its name and where
 * its sketch lies in the text (for {@link mergeCompact}). Throws on text that is not of this form.
 *
 * @example
 * eachDimension("5:p:ios3:ABF", "p:", (name, start, end) => mergeCompact(registers, text, start, end));
 */
export function eachDimension(
  text: string,
  only: string,
  visit: (name: string, start: number, end: number) => void,
): void {
  let i = 0;
  while (i < text.length) {
    const [nameLength, nameAt] = readLength(text, i);
    const name = text.slice(nameAt, nameAt + nameLength);
    const [sketchLength, sketchAt] = readLength(text, nameAt + nameLength);
    const end = sketchAt + sketchLength;
    if (name.length !== nameLength || end > text.length)
      throw new Error("not compact dimensions: cut short");
    if (name.startsWith(only)) visit(name, sketchAt, end);
    i = end;
  }
}

/**
 * A `sketch_dims` text decoded into dense registers by dimension (the cron's working form),
 * merged into `out` when given (a dimension it holds keeps the larger rank of each register).
 *
 * @example
 * decodeDimensions("5:p:ios3:ABF").get("p:ios")![1] // 5
 */
export function decodeDimensions(
  text: string | null,
  out = new Map<string, SketchRegisters>(),
): Map<string, SketchRegisters> {
  if (text)
    eachDimension(text, "", (name, start, end) => {
      const registers = out.get(name) ?? newRegisters();
      out.set(name, mergeCompact(registers, text, start, end));
    });
  return out;
}
