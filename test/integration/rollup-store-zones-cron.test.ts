// The hourly cron with stores in Tokyo and Los Angeles on a UTC deployment: a day is over once it
// is over in every zone in use, so the cron never folds a day a Los Angeles store is still in
// (though UTC and Tokyo are done with it), keeps that day's IP salt until the next day is over
// there too, and keeps the raw hops of Tokyo's oldest kept day whole. A hop of a day already
// folded still counts once. On fresh storage: the cron works on every row, and the zones in use
// are this file's stores'.
import { beforeAll, describe, expect, it } from "vitest";
import { daySalt } from "../../src/store/hop-salt";
import { runMaintenance } from "../../src/store/maintenance";
import type { FunnelResult } from "../../src/store/stats";
import { call, mintKey } from "./helpers";
import { testEnv } from "./hop-helpers";
import { makeStore } from "./poster-helpers";
import { recordInZone, scanAt, zonedConfig } from "./time-zone-helpers";

const Z = (iso: string) => Date.parse(iso);
const LA = "America/Los_Angeles";
const TOKYO = "Asia/Tokyo";
const DAY = "2026-11-10";
// 04:00 UTC of Nov 12: 13:00 of Nov 12 in Tokyo, but 20:00 of Nov 11 in Los Angeles.
const FIRST_RUN = Z("2026-11-12T04:00:00Z");
// 09:00 UTC of Nov 13: 01:00 of Nov 13 in Los Angeles, Nov 11 is over there too.
const SECOND_RUN = Z("2026-11-13T09:00:00Z");

let la: string;
let tokyo: string;
let key: string;

const scanIn = (zone: string, store: string, poster: string, at: number) => ({
  ...scanAt(poster, at, store),
  time_zone: zone,
});

async function days(sql: string): Promise<string[]> {
  const { results } = await testEnv.DB.prepare(sql).all<{ day: string }>();
  return results.map((r) => r.day).sort();
}

async function scansOn(day: string, store: string): Promise<number> {
  const res = await call(`/v1/stats/funnel?from=${day}&to=${day}&store_id=${store}`, { key });
  return ((await res.json()) as FunnelResult).totals.scanned;
}

const config = () => zonedConfig("UTC", { hopRetentionDays: 5 });

beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  la = (await makeStore("Venice Beach", { time_zone: LA })).id;
  tokyo = (await makeStore("Shibuya", { time_zone: TOKYO })).id;
  await recordInZone("UTC", [
    scanIn(LA, la, "tzc_la", Z("2026-11-10T20:00:00Z")), // noon of Nov 10 in Los Angeles
    scanIn(TOKYO, tokyo, "tzc_tokyo", Z("2026-11-10T03:00:00Z")), // noon of Nov 10 in Tokyo
    scanAt("tzc_utc", Z("2026-11-10T12:00:00Z")),
    // 16:00 UTC of Nov 7 is 01:00 of Nov 8 in Tokyo: a day the second run still keeps there.
    scanIn(TOKYO, tokyo, "tzc_keep", Z("2026-11-07T16:00:00Z")),
  ]);
  for (const day of ["2026-11-09", DAY, "2026-11-11", "2026-11-12"]) await daySalt(testEnv.DB, day);
  await runMaintenance(testEnv, await config(), FIRST_RUN);
});

describe("at 20:00 in Los Angeles, when UTC and Tokyo are two days on", () => {
  it("does not fold Nov 10, which ended in Los Angeles only four hours ago", async () => {
    expect(await days("SELECT day FROM hop_rollups WHERE poster_id = 'tzc_la'")).toEqual([DAY]);
    // Tokyo's Nov 8 (the oldest hop) is over everywhere: folded.
    expect(await days("SELECT day FROM hop_compacted")).toEqual(["2026-11-08"]);
  });

  it("keeps Nov 10's salt: Nov 11 is not over in Los Angeles", async () => {
    expect(await days("SELECT day FROM hop_salts")).toEqual([DAY, "2026-11-11", "2026-11-12"]);
  });
});

describe("at 01:00 in Los Angeles, a day later", () => {
  beforeAll(async () => {
    await runMaintenance(testEnv, await config(), SECOND_RUN);
  });

  it("folds Nov 10 and deletes its salt; every store's count of the day is kept", async () => {
    expect(await days("SELECT day FROM hop_compacted")).toContain(DAY);
    expect(await days("SELECT day FROM hop_salts")).toEqual(["2026-11-12"]);
    expect([await scansOn(DAY, la), await scansOn(DAY, tokyo)]).toEqual([1, 1]);
  });

  it("a late Los Angeles hop of the folded day counts once", async () => {
    await recordInZone("UTC", [scanIn(LA, la, "tzc_la", Z("2026-11-11T07:30:00Z"))]);
    expect(await scansOn(DAY, la)).toBe(2);
  });

  it("keeps the raw hops of Tokyo's oldest kept day whole", async () => {
    // Kept 5 days: from Nov 8 in Tokyo, which starts at 15:00 UTC of Nov 7, so UTC's Nov 7 stays.
    const { results } = await testEnv.DB.prepare(
      "SELECT hour FROM hop_objects WHERE hour < '2026-11-09' ORDER BY hour",
    ).all<{ hour: string }>();
    expect(results.map((r) => r.hour)).toEqual(["2026-11-07T16"]);
  });
});
