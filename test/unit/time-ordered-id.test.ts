import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CROCKFORD } from "../../src/core/base32";
import { idTime, timeOrderedIds } from "../../src/core/time-ordered-id";

const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
// Every millisecond up to 2100, where both alphabets fit in 9 characters.
const time = fc.integer({ min: 0, max: 4_102_444_800_000 });

describe("timeOrderedIds", () => {
  for (const [name, alphabet] of [
    ["base36", BASE36],
    ["Crockford base32", CROCKFORD],
  ] as const) {
    const newId = timeOrderedIds(alphabet, 9, 11);
    const shape = new RegExp(`^[${alphabet}]{20}$`);

    it(`${name}: ids of a later millisecond sort after earlier ones, and carry their time`, () => {
      fc.assert(
        fc.property(time, time, (a, b) => {
          const [x, y] = [newId(a), newId(b)];
          expect(x).toMatch(shape);
          expect(idTime(x, alphabet, 9)).toBe(a);
          if (a < b) expect(x < y).toBe(true);
          if (a > b) expect(x > y).toBe(true);
        }),
      );
    });
  }

  it("keeps ids of the same millisecond apart", () => {
    const newId = timeOrderedIds(BASE36, 9, 11);
    const ids = new Set(Array.from({ length: 1000 }, () => newId(1_767_225_600_000)));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id.slice(0, 9)).toBe("0mjuohs00");
  });

  it("refuses a time that does not fit, and an alphabet out of order", () => {
    const newId = timeOrderedIds(BASE36, 2, 4);
    expect(newId(36 * 36 - 1).slice(0, 2)).toBe("zz");
    expect(() => newId(36 * 36)).toThrow(RangeError);
    expect(() => newId(-1)).toThrow(RangeError);
    expect(() => newId(Number.NaN)).toThrow(RangeError);
    expect(() => timeOrderedIds("0a9", 2, 4)).toThrow(/ascending/);
  });

  it("idTime says null for a prefix outside the alphabet", () => {
    expect(idTime("0mjuohs0!", BASE36, 9)).toBeNull();
    expect(idTime("short", BASE36, 9)).toBeNull();
  });
});
