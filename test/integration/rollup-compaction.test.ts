import { beforeAll, describe, expect, it } from "vitest";
import { SKETCH_STANDARD_ERROR } from "../../src/core/hll";
import { compactRollups } from "../../src/store/rollup-compaction";
import type { FunnelResult } from "../../src/store/stats";
import { call, mintKey } from "./helpers";
import { hopMessages, hopRow, ingestViaQueue, runQueue, scalar, testEnv } from "./hop-helpers";

// Three months of scans of 30 posters in 3 stores, 40 a day from 1,500 people: the funnel must
// read the same figures from day rows as from month rows, and unique scanners must stay
// within the sketch's error of the exact count.
const DAYS = 75;
const START = Date.parse("2024-01-10T00:00:00Z");
const day = (i: number) => new Date(START + i * 86_400_000).toISOString().slice(0, 10);
let key: string;
const people = new Set<string>();

function dayOfScans(i: number) {
  const rows = [];
  for (let n = 0; n < 40; n++) {
    const poster = `CP${(i * 7 + n * 13) % 30}`;
    const person = `person-${(i * 101 + n * 37) % 1500}`;
    people.add(person);
    const at = START + i * 86_400_000 + n * 60_000;
    const facts = {
      subject_id: poster,
      poster_id: poster,
      store_id: `st_${(poster.slice(2) as unknown as number) % 3}`,
      platform: n % 3 ? "ios" : "android",
    };
    rows.push(hopRow({ ...facts, hop: "scanned" }, at, person));
    if (n % 4 === 0)
      rows.push(
        hopRow(
          { ...facts, hop: "app_open", created_at: at, detail: { via: "page" } },
          at + 2000 + n * 100,
        ),
      );
  }
  return rows;
}

async function funnel(query: string): Promise<FunnelResult> {
  // Figures only: the freshness block is the deployment's, moved by any other test's batch.
  const res = await call(`/v1/stats/funnel?${query}&freshness=none`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as FunnelResult;
}

beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  await ingestViaQueue(Array.from({ length: DAYS }, (_, i) => dayOfScans(i)).flat());
});

describe("month rows", () => {
  it("answer exactly what the day rows answer", async () => {
    const query = `from=${day(5)}&to=${day(DAYS - 1)}&group_by=store`;
    const before = await funnel(query);
    const { folded } = await compactRollups(testEnv.DB, day(DAYS - 3), { maxDays: 100 });
    expect(folded).toHaveLength(DAYS - 2);
    // Each day once.
    expect((await compactRollups(testEnv.DB, day(DAYS - 3), { maxDays: 100 })).folded).toEqual([]);
    const after = await funnel(query);
    expect(after).toEqual(before);
    expect(before.totals.scanned).toBe(40 * (DAYS - 5));
    // January 10–31, February and March to the 23rd: two whole months are in month rows.
    expect(await scalar("SELECT COUNT(DISTINCT month) FROM hop_rollups_month")).toBe(3);
  });

  it("take a hop that arrives after its day was folded", async () => {
    const query = `from=${day(0)}&to=${day(DAYS - 1)}&group_by=poster&poster_id=CP1`;
    const before = (await funnel(query)).totals.scanned;
    const late = hopRow(
      { subject_id: "CP1", poster_id: "CP1", store_id: "st_1", hop: "scanned" },
      START + 3_600_000,
      "late-person",
    );
    await runQueue("qrbridge-hops", hopMessages([late]));
    expect((await funnel(query)).totals.scanned).toBe(before + 1);
    expect(
      (await funnel(`from=${day(0)}&to=${day(0)}&group_by=day&poster_id=CP1`)).totals.scanned,
    ).toBeGreaterThan(0);
  });
});

describe("unique scanners from sketches", () => {
  it("are within three standard errors of the exact count", async () => {
    const f = await funnel(`from=${day(0)}&to=${day(DAYS - 1)}&group_by=store`);
    const exact = people.size + 1; // and the late person
    expect(exact).toBeGreaterThan(1000);
    expect(Math.abs(f.totals.unique_scanners - exact) / exact).toBeLessThanOrEqual(
      3 * SKETCH_STANDARD_ERROR,
    );
  });
});
