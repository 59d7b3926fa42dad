// Red team, rollups and compaction (this file's name puts it on fresh storage): a leap day and
// a month boundary, two cron compactions running at once, runs cut short after every few rows
// (a run killed between statements), and late hops — for a folded day, and for a day older than
// the last folded one that had no rows when its neighbours were folded. The funnel, by store,
// by day and in total, is the same before and after, plus exactly the late hops.
import { beforeAll, describe, expect, it } from "vitest";
import { compactRollups } from "../../src/store/rollup-compaction";
import type { FunnelResult } from "../../src/store/stats";
import { call, mintKey } from "./helpers";
import { hopMessages, hopRow, ingestViaQueue, runQueue, scalar, testEnv } from "./hop-helpers";

const DAY = 86_400_000;
// 2024-02-26 … 2024-03-03, without 2024-02-28 (a day nobody scanned, at first).
const DAYS = ["2024-02-26", "2024-02-27", "2024-02-29", "2024-03-01", "2024-03-02", "2024-03-03"];
const EMPTY_DAY = "2024-02-28";
let key: string;

function scansOn(day: string, n: number, label: string) {
  const start = Date.parse(`${day}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => {
    const poster = `RT${i % 4}`;
    // The first and the last millisecond of the UTC day, and between.
    const at = i === 0 ? start : i === 1 ? start + DAY - 1 : start + i * 600_000;
    return hopRow(
      {
        hop: i % 5 === 4 ? "landing" : "scanned",
        subject_id: poster,
        poster_id: poster,
        store_id: `st_rt_${i % 2}`,
        platform: i % 3 ? "ios" : "android",
      },
      at,
      `${label}-${day}-${i}`,
    );
  });
}

async function funnel(query: string): Promise<FunnelResult> {
  const res = await call(`/v1/stats/funnel?${query}`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as FunnelResult;
}

const QUERIES = [
  "from=2024-02-26&to=2024-03-03&group_by=store",
  "from=2024-02-26&to=2024-03-03&group_by=poster",
  "from=2024-02-26&to=2024-03-03&group_by=day",
  "from=2024-02-26&to=2024-03-03",
  "from=2024-02-29&to=2024-02-29&group_by=store",
  "from=2024-03-01&to=2024-03-03&group_by=day&store_id=st_rt_1",
];
const snapshot = () => Promise.all(QUERIES.map(funnel));

beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  await ingestViaQueue(DAYS.flatMap((d) => scansOn(d, 30, "p")));
});

describe("redteam: compaction never changes what the funnel says", () => {
  it("two runs at once, each cut short every few rows, until done: the funnel as before", async () => {
    const before = await snapshot();
    expect(before[3]!.totals.scanned).toBe(DAYS.length * 24);
    // Two crons overlapping, each stopping after a handful of rows (as if killed), run again.
    for (let run = 0; run < 40; run++) {
      const [a, b] = await Promise.all([
        compactRollups(testEnv.DB, "2024-03-02", { maxRows: 3 }),
        compactRollups(testEnv.DB, "2024-03-02", { maxRows: 5 }),
      ]);
      if (!a.more && !b.more) break;
      // Midway, a check that what is half done answers the same.
      if (run === 2) expect(await snapshot()).toEqual(before);
    }
    expect(
      await scalar("SELECT group_concat(day) FROM (SELECT day FROM hop_compacted ORDER BY day)"),
    ).toBe("2024-02-26,2024-02-27,2024-02-29,2024-03-01,2024-03-02");
    expect(await snapshot()).toEqual(before);
  });

  it("late hops — for a folded day, and for the day nobody scanned before its neighbours were folded — count once each", async () => {
    const before = await snapshot();
    const late = [
      ...scansOn("2024-02-29", 1, "late"),
      ...scansOn(EMPTY_DAY, 2, "late"),
      ...scansOn("2024-03-03", 1, "late"),
    ];
    await runQueue("qrbridge-hops", hopMessages(late));
    await runQueue("qrbridge-hops", hopMessages(late, 2)); // and delivered again
    for (let run = 0; run < 10; run++)
      if (!(await compactRollups(testEnv.DB, "2024-03-03", { maxRows: 4 })).more) break;
    const after = await snapshot();
    for (const [i, f] of after.entries()) {
      const added = QUERIES[i]!.includes("2024-02-29&to=2024-02-29")
        ? 1
        : QUERIES[i]!.includes("from=2024-03-01")
          ? 0 // the late 2024-03-03 scan is of store st_rt_0
          : 4;
      expect(f.totals.scanned, QUERIES[i]).toBe(before[i]!.totals.scanned + added);
    }
    const byDay = Object.fromEntries(after[2]!.rows.map((r) => [r.group, r.scanned]));
    expect(byDay[EMPTY_DAY]).toBe(2);
    // And compacted again, nothing moves.
    await compactRollups(testEnv.DB, "2024-03-03");
    expect(await snapshot()).toEqual(after);
  });
});
