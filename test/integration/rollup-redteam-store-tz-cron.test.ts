// Red team of store time zones, the hourly cron with the world's two extreme zones at once: a
// deployment in Pacific/Kiritimati (UTC+14) and a store in Etc/GMT+12 (UTC−12), 26 hours apart.
// When Kiritimati is two days past Nov 10, the far-west store is still in it: the cron must not
// fold Nov 10 nor delete its IP salt (a person scanning both ends of the day would be two unique
// scanners). Retention keeps the first hour of the oldest kept day of either zone (the far west's:
// the same days start 26 hours later there). Fresh storage: the cron works on every row, the zones in use are this file's.
import { beforeAll, describe, expect, it } from "vitest";
import { daySalt } from "../../src/store/hop-salt";
import { runMaintenance } from "../../src/store/maintenance";
import type { FunnelResult } from "../../src/store/stats";
import { call, mintKey } from "./helpers";
import { testEnv } from "./hop-helpers";
import { makePoster, makeStore } from "./poster-helpers";
import { recordInZone, scanAt, zonedConfig } from "./time-zone-helpers";

const Z = (iso: string) => Date.parse(iso);
const EAST = "Pacific/Kiritimati";
const WEST = "Etc/GMT+12";
const DAY = "2026-11-10";
/** Nov 10 00:30 in Kiritimati (10:30 UTC of Nov 9). */
const EAST_SCAN = Z("2026-11-09T10:30:00Z");
/** 11:00 UTC of Nov 11: Nov 12 01:00 in Kiritimati, but Nov 10 23:00 west of the date line. */
const RUN = Z("2026-11-11T11:00:00Z");
/** Nov 10 23:30 in Etc/GMT+12 (11:30 UTC of Nov 11), after the run. */
const WEST_SCAN = Z("2026-11-11T11:30:00Z");
const IP = "198.51.100.77";

let key: string;
let west: string;
let westPoster: string;
let eastPoster: string;

const config = () => zonedConfig(EAST, { hopRetentionDays: 3 });

async function funnelOf(query: string): Promise<FunnelResult> {
  const res = await call(`/v1/stats/funnel?from=${DAY}&to=${DAY}&freshness=none${query}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as FunnelResult;
}

async function column(sql: string): Promise<string[]> {
  const { results } = await testEnv.DB.prepare(sql).all<{ v: string }>();
  return results.map((r) => r.v).sort();
}

beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  const east = (await makeStore("Christmas Island")).id; // the deployment's zone
  west = (await makeStore("Baker Island", { time_zone: WEST })).id;
  eastPoster = (await makePoster({ store_id: east })).id;
  westPoster = (await makePoster({ store_id: west })).id;
  // The same person scans the Kiritimati store in the first minutes of Nov 10 there.
  await recordInZone(EAST, [scanAt(eastPoster, EAST_SCAN, east)], IP);
  // Retention of 3 days at the run keeps Nov 9 on in Kiritimati (from 10:00 UTC of Nov 8) and
  // Nov 7 on west of the date line (from 12:00 UTC of Nov 7): the archive from UTC's Nov 7.
  await recordInZone(EAST, [
    // Nov 6 11:00 in the west, Nov 7 13:00 in Kiritimati: past retention in both.
    { ...scanAt("rtz_gone", Z("2026-11-06T23:00:00Z"), west), time_zone: WEST },
    // Nov 7 00:30 in the west: the first hour of its oldest kept day.
    { ...scanAt("rtz_kept", Z("2026-11-07T12:30:00Z"), west), time_zone: WEST },
  ]);
  await daySalt(testEnv.DB, "2026-11-09");
  await runMaintenance(testEnv, await config(), RUN);
  // After the run, the same person scans the far-west store, still on Nov 10 there.
  await recordInZone(EAST, [{ ...scanAt(westPoster, WEST_SCAN, west), time_zone: WEST }], IP);
});

describe("Kiritimati two days on, a store west of the date line still in Nov 10", () => {
  it("does not fold Nov 10 nor delete its salt", async () => {
    expect(await column("SELECT day AS v FROM hop_compacted")).not.toContain(DAY);
    expect(await column("SELECT day AS v FROM hop_salts")).toContain(DAY);
  });

  it("counts the person who scanned both ends of Nov 10 once among the day's unique scanners", async () => {
    const all = await funnelOf("");
    expect([all.totals.scanned, all.totals.unique_scanners]).toEqual([2, 1]);
    const westOnly = await funnelOf(`&store_id=${west}`);
    expect([westOnly.totals.scanned, westOnly.totals.unique_scanners]).toEqual([1, 1]);
  });

  it("keeps the raw hops of the west's oldest kept day from its first hour, and deletes before", async () => {
    const hours = await column("SELECT hour AS v FROM hop_objects WHERE hour < '2026-11-08'");
    expect(hours).toEqual(["2026-11-07T12"]);
  });
});
