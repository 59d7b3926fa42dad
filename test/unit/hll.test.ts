import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addToSketch,
  estimateDistinct,
  estimateRegisters,
  mergePacked,
  mergeSketches,
  newRegisters,
  packEntry,
  registersOf,
  SKETCH_REGISTERS,
  SKETCH_STANDARD_ERROR,
  type Sketch,
  sketchEntry,
} from "../../src/core/hll";

const hash = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);

describe("sketchEntry", () => {
  it("takes the register from the first 12 bits and the rank from the leading zeros after them", () => {
    expect(sketchEntry("fff8000000000000")).toEqual([4095, 1]);
    expect(sketchEntry("0004000000000000")).toEqual([0, 2]);
    expect(sketchEntry("0000000000000001")).toEqual([0, 52]);
    expect(sketchEntry("0000000000000000")).toEqual([0, 53]);
    expect(sketchEntry("not-a-hash")).toBeNull();
  });
});

describe("estimateDistinct", () => {
  it("is exact for an empty sketch and within 3 standard errors for 1 to 100,000 scanners", () => {
    expect(estimateDistinct({})).toBe(0);
    for (const n of [1, 10, 100, 1_000, 10_000, 100_000]) {
      const sketch: Sketch = {};
      for (let i = 0; i < n; i++) addToSketch(sketch, hash(`ip-${n}-${i}`));
      const error = Math.abs(estimateDistinct(sketch) - n) / n;
      expect(error, `n = ${n}`).toBeLessThanOrEqual(3 * SKETCH_STANDARD_ERROR);
    }
  });

  it("counts a scanner seen twice once: repeats leave the sketch as it was", () => {
    const twice: Sketch = {};
    const once: Sketch = {};
    for (let i = 0; i < 500; i++) addToSketch(twice, hash(`ip-${i % 250}`));
    for (let i = 0; i < 250; i++) addToSketch(once, hash(`ip-${i}`));
    expect(twice).toEqual(once);
    expect(Math.abs(estimateDistinct(twice) - 250)).toBeLessThanOrEqual(3);
  });
});

describe("mergeSketches", () => {
  it("of two halves estimates what one sketch of the whole does (register-wise max)", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 300 }), fc.nat(300), (ips, cut) => {
        const whole: Sketch = {};
        const a: Sketch = {};
        const b: Sketch = {};
        ips.forEach((ip, i) => {
          addToSketch(whole, hash(ip));
          addToSketch(i < cut ? a : b, hash(ip));
        });
        expect(mergeSketches(a, b)).toEqual(whole);
      }),
    );
  });
});

/** A sketch of `registers` random registers (ranks 1–53, mostly small as real ones are). */
const sketchArb = (maxRegisters: number) =>
  fc.dictionary(
    fc.nat(SKETCH_REGISTERS - 1).map(String),
    fc.oneof(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 53 })),
    { maxKeys: maxRegisters },
  );

const packed = (sketch: Sketch) =>
  Object.entries(sketch).map(([register, rank]) => packEntry(Number(register), rank));

describe("dense registers (mergePacked, estimateRegisters)", () => {
  it("merge random sketches to the registers mergeSketches gives, and estimate exactly the same", () => {
    fc.assert(
      fc.property(fc.array(sketchArb(4096), { minLength: 1, maxLength: 6 }), (sketches) => {
        const merged: Sketch = {};
        const dense = newRegisters();
        for (const sketch of sketches) {
          mergeSketches(merged, sketch);
          mergePacked(dense, packed(sketch));
        }
        expect([...dense]).toEqual([...registersOf(merged)]);
        expect(estimateRegisters(dense)).toBe(estimateDistinct(merged));
      }),
      { numRuns: 200 },
    );
  });

  it("estimate exactly as estimateDistinct on sketches of real scanners, from 0 to 200,000", () => {
    for (const n of [0, 1, 7, 300, 4_000, 9_000, 30_000, 200_000]) {
      const sketch: Sketch = {};
      for (let i = 0; i < n; i++) addToSketch(sketch, hash(`scanner-${n}-${i}`));
      expect(estimateRegisters(registersOf(sketch)), `n = ${n}`).toBe(estimateDistinct(sketch));
    }
  });

  it("keep the larger rank of a register, whatever the order", () => {
    const a = mergePacked(newRegisters(), [
      packEntry(4095, 9),
      packEntry(4095, 2),
      packEntry(0, 53),
    ]);
    expect([a[4095], a[0], a[1]]).toEqual([9, 53, 0]);
  });
});
