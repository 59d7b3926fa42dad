import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildHop } from "../../src/store/hops";

describe("buildHop's day", () => {
  it("is the UTC date of the hop's time, in any order of times (the day is remembered)", () => {
    const midnight = Date.UTC(2026, 10, 23);
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 4_102_444_800_000 }),
            // Around midnights, where a remembered day must turn.
            fc.integer({ min: -3, max: 3 }).map((d) => midnight + d * 86_400_000 - 1),
            fc.integer({ min: -3, max: 3 }).map((d) => midnight + d * 86_400_000),
          ),
          { minLength: 1, maxLength: 20 },
        ),
        (times) => {
          for (const at of times) {
            const row = buildHop(
              { kind: "poster", subject_id: "P", hop: "scanned" },
              null,
              "s",
              at,
            );
            expect(row.day, String(at)).toBe(new Date(at).toISOString().slice(0, 10));
            expect(row.at).toBe(at);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("buildHop's event id", () => {
  it("sorts by the hop's time, so rows are appended to the primary-key index", () => {
    const input = { kind: "poster", subject_id: "P1", hop: "scanned" } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.integer({ min: 1, max: 86_400_000 }),
        (at, later) => {
          const a = buildHop(input, null, "salt", at).event_id;
          const b = buildHop(input, null, "salt", at + later).event_id;
          expect(a).toMatch(/^[0-9a-z]{20}$/);
          expect(Number.parseInt(a.slice(0, 9), 36)).toBe(at); // it carries its time
          expect(a < b).toBe(true);
        },
      ),
    );
  });

  it("keeps the hops of the same millisecond apart", () => {
    const input = { kind: "poster", subject_id: "P1", hop: "scanned" } as const;
    const ids = new Set(
      Array.from({ length: 1000 }, () => buildHop(input, null, "salt", 1_767_225_600_000).event_id),
    );
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id.slice(0, 9)).toBe("0mjuohs00");
  });
});
