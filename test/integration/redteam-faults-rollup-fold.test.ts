// Red team, partial failures of the compaction cron (this file's name puts it on fresh storage):
// a run that folded a day's unique-scanner sketches into its month rows and then failed before
// it claimed the day (D1 refusing the claim's batch, the invocation killed). Until the next run
// finishes, a funnel over the month's days already folded reads the month rows: they must not
// hold a scanner of the day that is not folded yet.
import { describe, expect, it } from "vitest";
import { compactRollups } from "../../src/store/rollup-compaction";
import type { FunnelResult } from "../../src/store/stats";
import { faultyD1 } from "../support/faulty-bindings";
import { failingBatchDb, ingestViaQueue, scalar, testEnv } from "./hop-helpers";
import { dayAfter, expectedUniques, funnel, late } from "./sketch-helpers";

/** Six days from `first`. */
const sixDays = (first: string) => Array.from({ length: 6 }, (_, i) => dayAfter(first, i));

/** 12 people a day scanning posters FA and FB; on the sixth day, new people and poster FNEW too. */
async function scans(days: string[]): Promise<void> {
  const rows = days.flatMap((day, d) =>
    Array.from({ length: 12 }, (_, n) => {
      const poster = d === 5 && n % 3 === 0 ? "FNEW" : n % 2 ? "FA" : "FB";
      return late(day, `fold-${day.slice(0, 7)}-${d === 5 ? "six" : "early"}-${n + (d % 2) * 5}`, {
        subject_id: poster,
        poster_id: poster,
        store_id: "st_fold",
        platform: "ios",
      });
    }),
  );
  await ingestViaQueue(rows);
}

const byPoster = (f: FunnelResult) =>
  Object.fromEntries(f.rows.map((r) => [r.group, r.unique_scanners]));

describe("redteam-faults: a compaction run that dies between its sketch fold and its claim", () => {
  it("a funnel of the folded days, before the next run, shows no scanner of the unfolded day", async () => {
    const days = sixDays("2025-05-01");
    const [FIRST, FIFTH, SIXTH] = [days[0]!, days[4]!, days[5]!];
    await scans(days);
    // The first five days folded by earlier runs (the cron keeps the last days as days).
    const first = await compactRollups(testEnv.DB, FIFTH);
    expect(first.folded).toEqual(days.slice(0, 5));
    const q = `from=${FIRST}&to=${FIFTH}&group_by=poster&limit=1000`;
    const before = await funnel(q);
    expect(before.totals.unique_scanners).toBe(expectedUniques(FIRST, FIFTH));
    expect(Object.keys(byPoster(before)).sort()).toEqual(["FA", "FB"]);

    // The next run compacts the sixth day and folds its sketches, then D1 refuses the claim.
    const dying = failingBatchDb(testEnv.DB);
    await expect(compactRollups(dying, SIXTH)).rejects.toThrow(/injected/);
    expect(await scalar("SELECT COUNT(*) FROM hop_compacted WHERE day = ?", SIXTH)).toBe(0);

    // Meanwhile the business reads the first five days: exactly what it read before.
    expect(await funnel(q)).toEqual(before);

    // The run after finishes the day: both ranges right, nothing counted twice.
    expect((await compactRollups(testEnv.DB, SIXTH)).folded).toEqual([SIXTH]);
    expect(await funnel(q)).toEqual(before);
    const all = await funnel(`from=${FIRST}&to=${SIXTH}&group_by=poster&limit=1000`);
    expect(all.totals.unique_scanners).toBe(expectedUniques(FIRST, SIXTH));
    expect(all.totals.scanned).toBe(72);
  });

  it("a run that claimed the day and died folding its sketches: the month's funnel is right meanwhile", async () => {
    const days = sixDays("2025-06-01");
    const [FIRST, FIFTH, SIXTH] = [days[0]!, days[4]!, days[5]!];
    await scans(days);
    expect((await compactRollups(testEnv.DB, FIFTH)).folded).toEqual(days.slice(0, 5));
    // The counts are folded with the claim; the month rows' sketches are written after it.
    const dying = faultyD1(testEnv.DB, {
      statement: (sql) =>
        /UPDATE hop_rollups_month AS r|^INSERT OR IGNORE INTO hop_rollups_month/.test(sql)
          ? "before"
          : null,
    });
    await expect(compactRollups(dying, SIXTH)).rejects.toThrow(/injected/);
    expect(await scalar("SELECT COUNT(*) FROM hop_compacted WHERE day = ?", SIXTH)).toBe(1);

    const q = `from=${FIRST}&to=${SIXTH}&group_by=poster&limit=1000`;
    const meanwhile = await funnel(q);
    expect(meanwhile.totals.unique_scanners).toBe(expectedUniques(FIRST, SIXTH));
    expect(meanwhile.totals.scanned).toBe(72);

    // The next run finishes the sketches (and folds the day nowhere twice): the same answers.
    const next = await compactRollups(testEnv.DB, SIXTH);
    expect(next.folded).toEqual([]);
    expect(await scalar("SELECT COUNT(*) FROM hop_compacted WHERE sketched IS NOT 1")).toBe(0);
    expect(await funnel(q)).toEqual(meanwhile);
  });
});
