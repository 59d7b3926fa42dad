import { beforeAll, describe, expect, it } from "vitest";
import { compactRollups } from "../../src/store/rollup-compaction";
import type { FunnelResult } from "../../src/store/stats";
import { hopMessages, runQueue, scalar, testEnv } from "./hop-helpers";
import {
  expectedUniques,
  factsOf,
  funnel,
  funnels,
  ingestDays,
  late,
  newcomer,
  snapshot,
} from "./sketch-helpers";

// Finished days get compact sketches (core/compact-sketch.ts); the funnel must answer exactly
// what it answered from the JSON sketches, and no scanner may be lost on the way.
describe("finished days", () => {
  const FIRST = "2024-05-20";
  const LAST = "2024-06-10";
  const ranges: [string, string][] = [
    [FIRST, LAST],
    ["2024-05-25", "2024-06-03"],
    ["2024-06-01", "2024-06-09"],
  ];
  let before: Record<string, FunnelResult>;

  beforeAll(async () => {
    await ingestDays(FIRST, 22, 1);
    before = await funnels(ranges);
  });

  it("are compacted, and every funnel answers exactly as before, unique scanners included", async () => {
    const report = await compactRollups(testEnv.DB, "2024-06-08");
    expect(report.folded).toHaveLength(20);
    expect(report.more).toBe(false);
    for (const t of ["hop_rollups", "hop_rollups_total"]) {
      expect(
        await scalar(
          `SELECT COUNT(*) FROM ${t} WHERE day BETWEEN ?1 AND '2024-06-08' AND scanners <> '{}'`,
          FIRST,
        ),
      ).toBe(0);
      expect(
        await scalar(
          `SELECT COUNT(*) FROM ${t} WHERE day BETWEEN ?1 AND '2024-06-08' AND sketch_all IS NULL`,
          FIRST,
        ),
      ).toBe(0);
      // The two open days keep their JSON sketches.
      expect(
        await scalar(
          `SELECT COUNT(*) FROM ${t} WHERE day > '2024-06-08' AND sketch_all IS NOT NULL`,
        ),
      ).toBe(0);
    }
    expect(await funnels(ranges)).toEqual(before);
    expect(before[`from=${FIRST}&to=${LAST}&limit=1000`]!.totals.unique_scanners).toBe(
      expectedUniques(FIRST, LAST),
    );
  });

  it("change nothing when compacted again", async () => {
    const state = await snapshot();
    const again = await compactRollups(testEnv.DB, "2024-06-08");
    expect(again).toEqual({ folded: [], converted: [], sketchRows: 0, more: false });
    expect(await snapshot()).toEqual(state);
  });

  it("count a late hop of a compacted day, its scanner included", async () => {
    const q = `from=${FIRST}&to=${LAST}&group_by=store&limit=1000`;
    const scanned = before[q]!.totals.scanned;
    const person = newcomer("late-after-claim", "2024-05-25", FIRST, LAST);
    await runQueue("qrbridge-hops", hopMessages([late("2024-05-25", person)]));
    const after = await funnel(q);
    expect(after.totals.scanned).toBe(scanned + 1);
    expect(after.totals.unique_scanners).toBe(expectedUniques(FIRST, LAST));
    expect(after.totals.unique_scanners).not.toBe(before[q]!.totals.unique_scanners);
  });

  it("count a late hop that arrives after the day's sketches are compact, just before its fold", async () => {
    const day = "2024-06-09";
    // A new scanner of a poster row the day has (its first scan's), so its month row exists.
    const person = newcomer("late-before-claim", day, "2024-06-01", day);
    // The cron's database: its one batch is the claim and fold; a consumer commits just before.
    const racy = new Proxy(testEnv.DB, {
      get(target, prop) {
        if (prop === "batch")
          return async (statements: D1PreparedStatement[]) => {
            await runQueue("qrbridge-hops", hopMessages([late(day, person, factsOf(21, 0))]));
            return target.batch(statements);
          };
        const v = Reflect.get(target, prop);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    expect((await compactRollups(racy, day)).folded).toEqual([day]);
    // June's days 1–9 are all folded: this range reads June from its month rows only.
    const f = await funnel("from=2024-06-01&to=2024-06-09&group_by=poster&limit=1000");
    expect(f.totals.unique_scanners).toBe(expectedUniques("2024-06-01", day));
    expect(f.totals.scanned).toBe(
      before["from=2024-06-01&to=2024-06-09&limit=1000"]!.totals.scanned + 1,
    );
  });

  it("lose no hop a consumer merges between the cron's read and its write", async () => {
    const day = LAST;
    // A scanner new to the day, on a poster row the day has (the 22nd day's first scan).
    const person = newcomer("late-in-the-race", day, day, day);
    const facts = factsOf(22, 0);
    let raced = 0;
    // The cron's database: just before its first compare-and-set, a consumer batch commits.
    const racy = new Proxy(testEnv.DB, {
      get(target, prop) {
        if (prop !== "prepare") {
          const v = Reflect.get(target, prop);
          return typeof v === "function" ? v.bind(target) : v;
        }
        return (sql: string) => {
          const statement = target.prepare(sql);
          if (!sql.includes("UPDATE hop_rollups AS r")) return statement;
          return {
            bind: (...args: unknown[]) => ({
              run: async () => {
                if (raced++ === 0)
                  await runQueue("qrbridge-hops", hopMessages([late(day, person, facts)]));
                return statement.bind(...args).run();
              },
            }),
          };
        };
      },
    });
    const report = await compactRollups(racy as D1Database, day);
    expect(report.folded).toEqual([day]);
    expect(raced).toBeGreaterThan(1); // the lost compare-and-set was tried again
    expect(
      await scalar("SELECT COUNT(*) FROM hop_rollups WHERE day = ?1 AND scanners <> '{}'", day),
    ).toBe(0);
    const f = await funnel(`from=${day}&to=${day}&group_by=poster&limit=1000`);
    expect(f.totals.unique_scanners).toBe(expectedUniques(day, day));
    expect(f.totals.scanned).toBe(
      before[`from=${FIRST}&to=${LAST}&group_by=day&limit=1000`]!.rows.at(-1)!.scanned + 1,
    );
  });

  it("answer every scanner of the whole range, within the sketch's arithmetic exactly", async () => {
    for (const g of ["", "store", "platform", "in_app"]) {
      const f = await funnel(`from=${FIRST}&to=${LAST}${g ? `&group_by=${g}` : ""}`);
      expect(f.totals.unique_scanners).toBe(expectedUniques(FIRST, LAST));
    }
  });
});
