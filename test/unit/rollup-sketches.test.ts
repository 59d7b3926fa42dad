import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SKETCH_REGISTERS } from "../../src/core/hll";
import { parseRowSketches } from "../../src/core/rollup-sketches";

/** What the funnel read before: the object from JSON.parse, entry by entry. */
function reference(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [key, rank] of Object.entries(JSON.parse(text) as Record<string, number>)) {
    const colon = key.lastIndexOf(":");
    const dim = key.slice(0, colon);
    if (!out.has(dim)) out.set(dim, []);
    out.get(dim)!.push(Number(key.slice(colon + 1)) * 64 + rank);
  }
  return out;
}

const sorted = (m: Map<string, number[]>) =>
  [...m].map(([dim, list]) => [dim, [...list].sort((a, b) => a - b)]).sort();

const DIMS = ["p:ios", "p:android", "p:", "p:other", "i:", "i:wechat", "i:line"];

/** A row's `scanners` map as core/rollup.ts writes it: `<dim>:<register>` → rank. */
const scannersArb = fc.dictionary(
  fc
    .tuple(fc.constantFrom(...DIMS), fc.nat(SKETCH_REGISTERS - 1))
    .map(([dim, register]) => `${dim}:${register}`),
  fc.integer({ min: 1, max: 53 }),
  { maxKeys: 3000 },
);

describe("parseRowSketches", () => {
  it("reads random rows' sketches exactly as JSON.parse does, compact or spaced", () => {
    fc.assert(
      fc.property(scannersArb, fc.boolean(), (scanners, spaced) => {
        const text = spaced ? JSON.stringify(scanners, null, 1) : JSON.stringify(scanners);
        expect(sorted(parseRowSketches(text))).toEqual(sorted(reference(text)));
      }),
      { numRuns: 200 },
    );
  });

  it("with a prefix, reads only the dimensions that start with it, as the full read filtered", () => {
    fc.assert(
      fc.property(scannersArb, (scanners) => {
        const text = JSON.stringify(scanners);
        const platforms = [...reference(text)].filter(([dim]) => dim.startsWith("p:"));
        expect(sorted(parseRowSketches(text, "p:"))).toEqual(sorted(new Map(platforms)));
      }),
      { numRuns: 100 },
    );
  });

  it("reads an empty sketch as no dimension", () => {
    expect(parseRowSketches("{}").size).toBe(0);
    expect(parseRowSketches(" { } ").size).toBe(0);
  });

  it("reads keys with escapes or ranks written as decimals through JSON.parse, with the same result", () => {
    const text = '{"i:we\\u0063hat:7":3,"p:ios:7":2.0}';
    expect(sorted(parseRowSketches(text))).toEqual([
      ["i:wechat", [7 * 64 + 3]],
      ["p:ios", [7 * 64 + 2]],
    ]);
  });

  it("leaves out entries that are not a register and a rank", () => {
    const text =
      '{"p:ios:4096":3,"p:ios:x":2,"p:ios:12":0,"p:ios:0012":4,"noregister":1,"p:ios:5":4}';
    expect(sorted(parseRowSketches(text))).toEqual([["p:ios", [5 * 64 + 4]]]);
  });

  it("rejects text that is not JSON as JSON.parse does", () => {
    expect(() => parseRowSketches('{"p:ios:1":2')).toThrow(SyntaxError);
  });
});
