import { describe, expect, it } from "vitest";
import { HOP_COLUMNS, type HopRow } from "../../src/core/hop-row";
import { insertHopsStatements } from "../../src/store/hop-ingest";
import { hopRowFixture } from "./hop-fixture";

/** A stand-in for D1 that records what each statement would bind. */
function recordingDb() {
  const bound: { sql: string; json: string }[] = [];
  const db = {
    prepare: (sql: string) => ({
      bind: (json: string) => {
        bound.push({ sql, json });
        return {};
      },
    }),
  };
  return { db: db as unknown as D1Database, bound };
}

const row = (i: number, detail: string | null = null) =>
  hopRowFixture({ event_id: `e${i}`, at: 1_767_225_600_000 + i, detail });

describe("insertHopsStatements", () => {
  it("binds rows as arrays in column order, known columns only", () => {
    const { db, bound } = recordingDb();
    const smuggled = { ...row(1), rolled_up: 1, extra: "x" } as HopRow;
    insertHopsStatements(db, [smuggled]);
    expect(bound).toHaveLength(1);
    const [values] = JSON.parse(bound[0]!.json);
    expect(values).toEqual(HOP_COLUMNS.map((c) => row(1)[c]));
    expect(bound[0]!.sql).toContain(`j ->> ${HOP_COLUMNS.length - 1} FROM r`);
  });

  it("splits at 1,000 rows per statement", () => {
    const { db, bound } = recordingDb();
    insertHopsStatements(
      db,
      Array.from({ length: 2_500 }, (_, i) => row(i)),
    );
    expect(bound.map((b) => JSON.parse(b.json).length)).toEqual([1000, 1000, 500]);
  });

  it("splits before a statement's JSON passes 1 MB (D1 caps a bound value at 2 MB)", () => {
    const { db, bound } = recordingDb();
    const big = "x".repeat(1_990);
    insertHopsStatements(
      db,
      Array.from({ length: 1_200 }, (_, i) => row(i, big)),
    );
    expect(bound.length).toBeGreaterThan(2);
    for (const b of bound) expect(b.json.length).toBeLessThanOrEqual(1_000_000);
    expect(bound.reduce((n, b) => n + JSON.parse(b.json).length, 0)).toBe(1_200);
  });

  it("makes no statement for no rows", () => {
    const { db, bound } = recordingDb();
    expect(insertHopsStatements(db, [])).toEqual([]);
    expect(bound).toHaveLength(0);
  });
});
