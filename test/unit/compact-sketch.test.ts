import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DENSE_LENGTH,
  decodeDimensions,
  encodeDimensions,
  encodeSketch,
  mergeCompact,
} from "../../src/core/compact-sketch";
import {
  estimateDistinct,
  estimateRegisters,
  mergeSketches,
  newRegisters,
  registersOf,
  SKETCH_REGISTERS,
  type Sketch,
} from "../../src/core/hll";
import {
  compactDimensions,
  compactSketches,
  mergeAllScanners,
  mergeDimension,
  parseRowSketches,
} from "../../src/core/rollup-sketches";

/** A sparse sketch as core/hll.ts keeps one: register → rank 1–53, from none to every register. */
const sketchArb = fc.oneof(
  fc.dictionary(fc.nat(SKETCH_REGISTERS - 1).map(String), fc.integer({ min: 1, max: 53 }), {
    maxKeys: 1500,
  }),
  fc
    .array(fc.integer({ min: 0, max: 53 }), {
      minLength: SKETCH_REGISTERS,
      maxLength: SKETCH_REGISTERS,
    })
    .map((ranks) => {
      const sketch: Sketch = {};
      ranks.forEach((rank, register) => {
        if (rank) sketch[register] = rank;
      });
      return sketch;
    }),
);

const decode = (text: string | null) =>
  text ? mergeCompact(newRegisters(), text) : newRegisters();

/** `n` distinct registers set, rank 1 + register mod 53. */
function registersWith(n: number) {
  const r = newRegisters();
  for (let i = 0; i < n; i++) r[(i * 7) % SKETCH_REGISTERS] = 1 + (i % 53);
  return r;
}

describe("encodeSketch / mergeCompact", () => {
  it("round-trip any registers exactly", () => {
    fc.assert(
      fc.property(sketchArb, (sketch) => {
        const registers = registersOf(sketch);
        const text = encodeSketch(registers);
        if (Object.keys(sketch).length === 0) expect(text).toBeNull();
        else expect(decode(text)).toEqual(registers);
      }),
      { numRuns: 150 },
    );
  });

  it("writes 3 digits per set register while that is shorter than 4,096, then one per register", () => {
    expect(encodeSketch(newRegisters())).toBeNull();
    expect(encodeSketch(registersWith(1))).toHaveLength(3);
    expect(encodeSketch(registersWith(1365))).toHaveLength(4095); // sparse: 3 × 1365
    expect(encodeSketch(registersWith(1366))).toHaveLength(DENSE_LENGTH); // dense
    expect(encodeSketch(registersWith(SKETCH_REGISTERS))).toHaveLength(DENSE_LENGTH);
    for (const n of [1365, 1366])
      expect(decode(encodeSketch(registersWith(n)))).toEqual(registersWith(n));
  });

  it("writes a register and its rank big-endian, in register order", () => {
    const r = newRegisters();
    r[4095] = 1;
    r[1] = 5;
    // 1 × 64 + 5 = 69 → digits 0, 1, 5; 4095 × 64 + 1 → digits 63, 63, 1.
    expect(encodeSketch(r)).toBe("ABF//B");
  });

  it("merges register-wise max, so a union estimates exactly as mergeSketches + estimateDistinct", () => {
    fc.assert(
      fc.property(sketchArb, sketchArb, (a, b) => {
        const merged = mergeCompact(
          decode(encodeSketch(registersOf(a))),
          encodeSketch(registersOf(b)) ?? "",
        );
        expect(merged).toEqual(registersOf(mergeSketches({ ...a }, b)));
        expect(estimateRegisters(merged)).toBe(estimateDistinct(mergeSketches({ ...a }, b)));
      }),
      { numRuns: 100 },
    );
  });

  it("refuses text of neither length", () => {
    expect(() => mergeCompact(newRegisters(), "ABFA")).toThrow(/not a compact sketch/);
  });
});

describe("encodeDimensions", () => {
  it("round-trips named sketches, whatever characters the names hold", () => {
    const names = fc.constantFrom("p:ios", "p:", "i:", "i:wechat", "p:12:3", "i:微信", "p:a3:b");
    fc.assert(
      fc.property(fc.dictionary(names, sketchArb, { maxKeys: 4 }), (dims) => {
        const input = new Map(Object.entries(dims).map(([k, s]) => [k, registersOf(s)]));
        const nonEmpty = [...input].filter(([, r]) => r.some((x) => x > 0));
        const text = encodeDimensions(input);
        if (nonEmpty.length === 0) expect(text).toBeNull();
        else expect(decodeDimensions(text)).toEqual(new Map(nonEmpty));
      }),
      { numRuns: 100 },
    );
  });

  it("writes each name and sketch with their lengths, names in order", () => {
    const ios = newRegisters();
    ios[1] = 5;
    const none = newRegisters();
    none[2] = 1;
    expect(
      encodeDimensions(
        new Map([
          ["p:ios", ios],
          ["i:", none],
        ]),
      ),
    ).toBe("2:i:3:ACB5:p:ios3:ABF");
    expect(compactDimensions("2:i:3:ACB5:p:ios3:ABF", "p:")).toEqual(new Map([["p:ios", "ABF"]]));
    expect(() => decodeDimensions("5:p:ios9:ABF")).toThrow(/cut short/);
  });
});

describe("compactSketches", () => {
  const json = (entries: Record<string, number>) => JSON.stringify(entries);

  it("is the union of the JSON and compact parts, every scanner being the union of the platforms", () => {
    const first = compactSketches([
      {
        scanners: json({ "p:ios:1": 5, "i::1": 5, "p:android:9": 2, "i:line:9": 2 }),
        sketch_all: null,
        sketch_dims: null,
      },
    ]);
    const second = compactSketches([
      { scanners: json({ "p:ios:1": 7, "i::1": 7, "p:ios:30": 1, "i::30": 1 }), ...first },
    ]);
    const dims = decodeDimensions(second.sketch_dims);
    expect([...dims.keys()].sort()).toEqual(["i:", "i:line", "p:android", "p:ios"]);
    expect([dims.get("p:ios")![1], dims.get("p:ios")![30], dims.get("p:android")![9]]).toEqual([
      7, 1, 2,
    ]);
    const all = decode(second.sketch_all);
    expect([all[1], all[9], all[30]]).toEqual([7, 2, 1]);
    expect(all.filter((x) => x > 0)).toHaveLength(3);
  });

  it("changes nothing when a sketch is folded again (register-wise max is idempotent)", () => {
    fc.assert(
      fc.property(sketchArb, sketchArb, (ios, line) => {
        const scanners: Record<string, number> = {};
        for (const [reg, rank] of Object.entries(ios)) scanners[`p:ios:${reg}`] = rank;
        for (const [reg, rank] of Object.entries(line)) scanners[`i:line:${reg}`] = rank;
        const once = compactSketches([
          { scanners: json(scanners), sketch_all: null, sketch_dims: null },
        ]);
        expect(compactSketches([once, once])).toEqual(once);
        expect(compactSketches([{ scanners: json(scanners), ...once }])).toEqual(once);
      }),
      { numRuns: 50 },
    );
  });

  it("reads back, JSON part ∪ compact part, as the funnel merges a row", () => {
    const compact = compactSketches([
      { scanners: json({ "p:ios:1": 5, "i:line:1": 5 }), sketch_all: null, sketch_dims: null },
    ]);
    const late = json({ "p:ios:2": 3, "i:line:2": 3 });
    const platform = {
      json: parseRowSketches(late, "p:"),
      all: compact.sketch_all,
      dims: null,
    };
    expect(estimateRegisters(mergeAllScanners(newRegisters(), platform))).toBe(2);
    const byInApp = {
      json: parseRowSketches(late),
      all: null,
      dims: compactDimensions(compact.sketch_dims),
    };
    expect(estimateRegisters(mergeAllScanners(newRegisters(), byInApp))).toBe(2);
    expect(mergeDimension(newRegisters(), byInApp, "i:line").slice(0, 3)).toEqual(
      new Uint8Array([0, 5, 3]),
    );
  });
});
