import { describe, expect, it } from "vitest";
import { mergedJson } from "../../src/store/hop-rollups";
import { compactRollups } from "../../src/store/rollup-compaction";
import { compactRows, foldDaySketches } from "../../src/store/sketch-compaction";
import { scalar, testEnv } from "./hop-helpers";
import { dayAfter, expectedUniques, funnels, ingestDays } from "./sketch-helpers";

// Compaction that starts from an earlier state: an install whose days were folded before compact
// sketches existed, and a run that stopped midway. Either way the funnel must not change.
// First, while no day is compacted: an install whose cron folded days (JSON sketches included)
// before compact sketches existed.
describe("days folded before compact sketches (an existing install)", () => {
  const FIRST = "2023-02-24";
  const LAST = "2023-03-05";
  it("are converted a bounded number of rows per run, the funnel unchanged", async () => {
    await ingestDays(FIRST, 10, 500);
    // What the cron of earlier versions did: claim the day and fold its JSON sketches in SQL.
    const maps = ["counts", "scanners", "delays"] as const;
    const merges = { counts: "SUM", scanners: "MAX", delays: "SUM" } as const;
    const oldFold = `INSERT INTO hop_rollups_month (month, kind, store_id, campaign_id, poster_id, counts, scanners, delays)
      SELECT substr(day, 1, 7), kind, store_id, campaign_id, poster_id, counts, scanners, delays FROM hop_rollups WHERE day = ?1
      ON CONFLICT (month, kind, store_id, campaign_id, poster_id) DO UPDATE SET
      ${maps.map((m) => `${m} = ${mergedJson("hop_rollups_month", m, merges[m])}`).join(", ")}`;
    for (let i = 0; i < 9; i++) {
      const day = dayAfter(FIRST, i);
      await testEnv.DB.batch([
        testEnv.DB.prepare("INSERT INTO hop_compacted (day, batch) VALUES (?1, 'old')").bind(day),
        testEnv.DB.prepare(oldFold).bind(day),
      ]);
    }
    const ranges: [string, string][] = [
      [FIRST, LAST],
      ["2023-03-01", "2023-03-04"],
    ];
    const before = await funnels(ranges);
    expect(before[`from=${FIRST}&to=${LAST}&limit=1000`]!.totals.unique_scanners).toBe(
      expectedUniques(FIRST, LAST),
    );

    let runs = 0;
    for (let more = true; more; runs++) {
      const report = await compactRollups(testEnv.DB, "2023-12-31", { maxRows: 25 });
      expect(report.sketchRows).toBeLessThanOrEqual(25 + 20); // the budget, or one day's fold
      expect(report.folded.length + report.converted.length + report.sketchRows).toBeGreaterThan(0);
      more = report.more;
      expect(runs).toBeLessThan(100);
    }
    expect(runs).toBeGreaterThan(3);
    expect(await scalar("SELECT COUNT(*) FROM hop_compacted WHERE sketched IS NOT 1")).toBe(0);
    for (const t of ["hop_rollups", "hop_rollups_total"])
      expect(
        await scalar(`SELECT COUNT(*) FROM ${t} WHERE day <= '2023-03-05' AND scanners <> '{}'`),
      ).toBe(0);
    expect(
      await scalar(
        "SELECT COUNT(*) FROM hop_rollups_month WHERE month < '2024' AND scanners <> '{}'",
      ),
    ).toBe(0);
    expect(
      await scalar(
        "SELECT COUNT(*) FROM hop_rollups_month WHERE month < '2024' AND sketch_all IS NULL",
      ),
    ).toBe(0);
    expect(await funnels(ranges)).toEqual(before);
  });
});

describe("a compaction run that died midway", () => {
  it("is finished by the next run, nothing counted twice", async () => {
    await ingestDays("2024-09-01", 3, 900);
    const ranges: [string, string][] = [["2024-09-01", "2024-09-03"]];
    const before = await funnels(ranges);
    // A run compacted the first day and folded its sketches into September, then died (twice).
    await compactRows(testEnv.DB, "hop_rollups", "2024-09-01", 1000);
    await compactRows(testEnv.DB, "hop_rollups_total", "2024-09-01", 1000);
    expect((await foldDaySketches(testEnv.DB, "2024-09-01")).rows).toBeGreaterThan(0);
    expect(await foldDaySketches(testEnv.DB, "2024-09-01")).toEqual({ rows: 0, done: true });
    expect((await compactRollups(testEnv.DB, "2024-09-02")).folded).toEqual([
      "2024-09-01",
      "2024-09-02",
    ]);
    expect(await funnels(ranges)).toEqual(before);
    expect(before["from=2024-09-01&to=2024-09-03&limit=1000"]!.totals.unique_scanners).toBe(
      expectedUniques("2024-09-01", "2024-09-03"),
    );
  });
});
