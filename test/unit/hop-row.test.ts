import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundDetail, hopRowProblem } from "../../src/core/hop-row";
import { buildHop } from "../../src/store/hops";
import { hopRowFixture } from "./hop-fixture";

describe("buildHop's day", () => {
  it("is the UTC date of the hop's time, in any order of times", () => {
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
            const row = buildHop({ kind: "poster", subject_id: "P", hop: "scanned" }, null, at);
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
  it("sorts by the hop's time (archive objects and export pages read like a log)", () => {
    const input = { kind: "poster", subject_id: "P1", hop: "scanned" } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.integer({ min: 1, max: 86_400_000 }),
        (at, later) => {
          const a = buildHop(input, null, at).event_id;
          const b = buildHop(input, null, at + later).event_id;
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
      Array.from({ length: 1000 }, () => buildHop(input, null, 1_767_225_600_000).event_id),
    );
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id.slice(0, 9)).toBe("0mjuohs00");
  });
});

describe("a hop row's bounds", () => {
  const request = (headers: Record<string, string>) =>
    new Request("https://qr.test/p/X", { headers });

  it("cuts an over-long Referer host to 200 characters instead of refusing the scan", () => {
    const host = `${"a".repeat(250)}.example`;
    const row = buildHop(
      { kind: "poster", subject_id: "P", hop: "scanned" },
      request({ referer: `https://${host}/x` }),
    );
    expect(row.referrer_host).toBe(host.slice(0, 200));
    expect(hopRowProblem(row)).toBeNull();
  });

  it("keeps detail valid JSON: long strings cut, an over-long whole replaced", () => {
    const cut = JSON.parse(boundDetail({ reason: "x".repeat(1000) })!);
    expect(cut.reason).toHaveLength(300);
    const many = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`k${i}`, "y".repeat(300)]),
    );
    expect(boundDetail(many)).toBe('{"truncated":true}');
    const row = buildHop({ kind: "poster", subject_id: "P", hop: "rejected", detail: many }, null);
    expect(hopRowProblem(row)).toBeNull();
  });

  it("cuts every text field a route passes, however long", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), fc.string({ maxLength: 500 }), (a, b) => {
        const row = buildHop(
          { kind: "poster", subject_id: a || "P", hop: "scanned", store_id: b, in_app: a },
          null,
        );
        expect(hopRowProblem(row)).toBeNull();
      }),
    );
  });

  it("judges rows from the queue one by one, naming what is wrong", () => {
    expect(hopRowProblem(hopRowFixture())).toBeNull();
    expect(hopRowProblem(hopRowFixture({ referrer_host: "h".repeat(201) }))).toBe(
      "referrer_host: longer than 200",
    );
    expect(hopRowProblem({ ...hopRowFixture(), hop: "teleported" })).toBe("hop: unknown");
    expect(hopRowProblem({ ...hopRowFixture(), bot: 2 })).toBe("bot: not 0 or 1");
    expect(hopRowProblem({ ...hopRowFixture(), at: "soon" })).toBe("at: not a number");
    expect(hopRowProblem({ ...hopRowFixture(), event_id: "" })).toBe("event_id: empty");
    expect(hopRowProblem(null)).toBe("not an object");
  });

  it("takes the day of `at` in any time zone (a writer's reporting zone), and no other day", () => {
    // 10:00 UTC of Dec 31 is already Jan 1 in Kiritimati (+14), still Dec 30 at −12 until 12:00.
    const at = Date.UTC(2025, 11, 31, 10);
    expect(hopRowProblem(hopRowFixture({ at, day: "2026-01-01" }))).toBeNull();
    expect(hopRowProblem(hopRowFixture({ at, day: "2025-12-31" }))).toBeNull();
    expect(hopRowProblem(hopRowFixture({ at, day: "2025-12-30" }))).toBeNull();
    expect(hopRowProblem(hopRowFixture({ at, day: "2026-01-02" }))).toBe("day: not the day of at");
    expect(hopRowProblem(hopRowFixture({ at, day: "2025-12-29" }))).toBe("day: not the day of at");
    // To the millisecond: the Jan 1 of +14 starts at 10:00 UTC, the Dec 30 of −12 ends at 12:00.
    expect(hopRowProblem(hopRowFixture({ at: at - 1, day: "2026-01-01" }))).toBe(
      "day: not the day of at",
    );
    const noon = Date.UTC(2025, 11, 31, 12);
    expect(hopRowProblem(hopRowFixture({ at: noon - 1, day: "2025-12-30" }))).toBeNull();
    expect(hopRowProblem(hopRowFixture({ at: noon, day: "2025-12-30" }))).toBe(
      "day: not the day of at",
    );
    expect(hopRowProblem(hopRowFixture({ day: "2026-02-30" }))).toBe("day: not the day of at");
  });
});
