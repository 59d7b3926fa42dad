// The hourly cron in a reporting time zone: what it treats as finished (compaction into month
// rows, the IP salts) or expired (the raw archive) is by the zone's days, so it never folds the
// zone's yesterday or today, never deletes a salt a day still being counted uses, and keeps no
// day of raw hops a day short. On fresh storage: the cron works on every row.
import { beforeAll, describe, expect, it } from "vitest";
import { daySalt } from "../../src/store/hop-salt";
import { runMaintenance } from "../../src/store/maintenance";
import { scalar, testEnv } from "./hop-helpers";
import { recordInZone, scanAt, zonedConfig } from "./time-zone-helpers";

const Z = (iso: string) => Date.parse(iso);
const LA = "America/Los_Angeles";
// 20:00 of 2026-11-10 in Los Angeles (PST, −8): already 04:00 of the 11th in UTC.
const LA_NOW = Z("2026-11-11T04:00:00Z");

async function days(sql: string): Promise<string[]> {
  const { results } = await testEnv.DB.prepare(sql).all<{ day: string }>();
  return results.map((r) => r.day).sort();
}

describe("the cron in Los Angeles, at 20:00 when UTC is already tomorrow", () => {
  beforeAll(async () => {
    // A scan at noon of each of Nov 8, 9 and 10 (LA), and raw hops of Nov 4 and 5 for retention:
    // 23:00 UTC of Nov 4 (15:00 LA, Nov 4), 07:00 and 10:00 UTC of Nov 5 (23:00 of Nov 4 and
    // 02:00 of Nov 5, LA).
    await recordInZone(LA, [
      scanAt("tz_cron", Z("2026-11-08T20:00:00Z")),
      scanAt("tz_cron", Z("2026-11-09T20:00:00Z")),
      scanAt("tz_cron", Z("2026-11-10T20:00:00Z")),
      scanAt("tz_old", Z("2026-11-04T23:00:00Z")),
      scanAt("tz_old", Z("2026-11-05T07:00:00Z")),
      scanAt("tz_old", Z("2026-11-05T10:00:00Z")),
    ]);
    for (const day of ["2026-11-08", "2026-11-09", "2026-11-10"]) await daySalt(testEnv.DB, day);
    await runMaintenance(testEnv, await zonedConfig(LA, { hopRetentionDays: 5 }), LA_NOW);
  });

  it("folds the day before yesterday into its month, never yesterday or today", async () => {
    expect(await days("SELECT day FROM hop_rollups WHERE poster_id = 'tz_cron'")).toEqual([
      "2026-11-08",
      "2026-11-09",
      "2026-11-10",
    ]);
    const folded = await days("SELECT day FROM hop_compacted");
    expect(folded).toContain("2026-11-08");
    expect(folded).not.toContain("2026-11-09");
    expect(folded).not.toContain("2026-11-10");
  });

  it("keeps yesterday's and today's salts, deletes the day before", async () => {
    expect(await days("SELECT day FROM hop_salts")).toEqual(["2026-11-09", "2026-11-10"]);
  });

  it("keeps the raw hops of the oldest kept day whole: its UTC day is not deleted", async () => {
    // Kept 5 days: Nov 5 (LA) onwards, which starts at 08:00 UTC of Nov 5. The archive deletes
    // whole UTC days, so Nov 4 UTC goes and Nov 5 UTC stays (with 07:00 UTC, Nov 4 in LA).
    const { results } = await testEnv.DB.prepare(
      "SELECT hour FROM hop_objects WHERE hour < '2026-11-06' ORDER BY hour",
    ).all<{ hour: string }>();
    expect(results.map((r) => r.hour)).toEqual(["2026-11-05T07", "2026-11-05T10"]);
    expect(await scalar("SELECT COUNT(*) FROM hop_rollups WHERE poster_id = 'tz_old'")).toBe(2);
  });
});

describe("the salts in Tokyo, at 00:30 when UTC is still yesterday", () => {
  it("deletes the salt of a day once it is over in Tokyo, a day later", async () => {
    for (const day of ["2026-12-04", "2026-12-05", "2026-12-06"]) await daySalt(testEnv.DB, day);
    // 00:30 of Dec 6 in Tokyo: Dec 4 ended 24.5 hours ago, Dec 5 is yesterday.
    await runMaintenance(testEnv, await zonedConfig("Asia/Tokyo"), Z("2026-12-05T15:30:00Z"));
    const left = await days("SELECT day FROM hop_salts WHERE day >= '2026-12'");
    expect(left).toEqual(["2026-12-05", "2026-12-06"]);
  });
});
