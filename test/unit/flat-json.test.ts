import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFlatCounts } from "../../src/core/flat-json";

const KEYS = [
  "scanned",
  "app_open~direct",
  "landing@p:ios",
  "app_open~page@i:wechat",
  "81",
  "p:ios:81",
  "i::7",
];

/** Maps as core/rollup.ts writes them: hop names with folded variants, or delay buckets. */
const mapArb = fc.dictionary(
  fc.oneof(fc.constantFrom(...KEYS), fc.string({ unit: fc.constantFrom("a", "@", ":", "~", "1") })),
  fc.nat(1_000_000_000),
  { maxKeys: 60 },
);

const without = (map: Record<string, number>, char: string) =>
  Object.fromEntries(Object.entries(map).filter(([key]) => !char || !key.includes(char)));

describe("parseFlatCounts", () => {
  it("reads random maps as JSON.parse does, less the keys holding the character", () => {
    fc.assert(
      fc.property(mapArb, fc.constantFrom("", "@", ":"), fc.boolean(), (map, char, spaced) => {
        const text = spaced ? JSON.stringify(map, null, 2) : JSON.stringify(map);
        expect(parseFlatCounts(text, char)).toEqual(without(map, char));
      }),
      { numRuns: 300 },
    );
  });

  it("reads escapes, fractions and negative numbers through JSON.parse, with the same filter", () => {
    expect(parseFlatCounts('{"sc\\u0061nned":1.5,"a@b":2,"n":-3}', "@")).toEqual({
      scanned: 1.5,
      n: -3,
    });
  });

  it("rejects text that is not JSON as JSON.parse does", () => {
    expect(() => parseFlatCounts('{"scanned":1', "@")).toThrow(SyntaxError);
  });
});
