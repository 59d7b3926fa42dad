// Migration 0028 on stores whose zones were stored in ICU's old spellings (Asia/Calcutta for
// Asia/Kolkata, Europe/Kiev for Europe/Kyiv): this file writes stores and zones in use that way, as
// the versions before it did, runs 0028 again, and reads them back in IANA's current names. One
// zone under two names is one zone: where both were in use, the old name's row goes and the
// funnel's list of zones names it once. (Each test file on fresh storage has a database of its own.)
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { zonesInUse } from "../../src/store/store-zones";
import { testEnv } from "./hop-helpers";

const migrations = (env as unknown as { TEST_MIGRATIONS: { name: string; queries: string[] }[] })
  .TEST_MIGRATIONS;
const queriesOf = (prefix: string) => migrations.find((m) => m.name.startsWith(prefix))!.queries;

const STORES = [
  ["st_m28_a", "Kolkata old", "Asia/Calcutta"],
  ["st_m28_b", "Kyiv old", "Europe/Kiev"],
  ["st_m28_c", "Kolkata new", "Asia/Kolkata"],
  ["st_m28_d", "Tokyo", "Asia/Tokyo"],
  ["st_m28_e", "Default", null],
] as const;

beforeAll(async () => {
  const db = testEnv.DB;
  await db.batch([
    ...STORES.map(([id, name, zone]) =>
      db
        .prepare(
          "INSERT INTO stores (id, name, time_zone, created_at, updated_at) VALUES (?, ?, ?, 1, 1)",
        )
        .bind(id, name, zone),
    ),
    ...["Asia/Calcutta", "Asia/Kolkata", "Europe/Kiev", "Asia/Tokyo"].map((zone, i) =>
      db
        .prepare("INSERT INTO store_time_zones (zone, first_used_at) VALUES (?, ?)")
        .bind(zone, 1_700_000_000_000 + i),
    ),
  ]);
  await db.batch(queriesOf("0028").map((q) => db.prepare(q)));
});

describe("migration 0028 on zones stored in ICU's old spellings", () => {
  it("renames each store's zone to IANA's current name and leaves the others as they were", async () => {
    const { results } = await testEnv.DB.prepare(
      "SELECT id, time_zone FROM stores WHERE id LIKE 'st_m28_%' ORDER BY id",
    ).all<{ id: string; time_zone: string | null }>();
    expect(results.map((r) => [r.id, r.time_zone])).toEqual([
      ["st_m28_a", "Asia/Kolkata"],
      ["st_m28_b", "Europe/Kyiv"],
      ["st_m28_c", "Asia/Kolkata"],
      ["st_m28_d", "Asia/Tokyo"],
      ["st_m28_e", null],
    ]);
  });

  it("names each zone in use once, in its current name, keeping when it was first used", async () => {
    const { results } = await testEnv.DB.prepare(
      "SELECT zone, first_used_at FROM store_time_zones ORDER BY zone",
    ).all<{ zone: string; first_used_at: number }>();
    expect(results).toEqual([
      { zone: "Asia/Kolkata", first_used_at: 1_700_000_000_001 },
      { zone: "Asia/Tokyo", first_used_at: 1_700_000_000_003 },
      { zone: "Europe/Kyiv", first_used_at: 1_700_000_000_002 },
    ]);
    expect(await zonesInUse(testEnv.DB, "UTC")).toEqual([
      "UTC",
      "Asia/Kolkata",
      "Asia/Tokyo",
      "Europe/Kyiv",
    ]);
  });
});
