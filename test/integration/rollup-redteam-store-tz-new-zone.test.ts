// Red team of store time zones: a zone more than a day behind the deployment's, taken up after
// the cron treated a day as over. A deployment in Pacific/Kiritimati (UTC+14) folds Dec 7 and
// deletes its IP salt at 00:30 of Dec 9 there; a store then opened in Pacific/Pago_Pago (UTC−11,
// 25 hours behind) is still in Dec 7 for another 90 minutes. Its scans must find Dec 7 a day
// with its salt: the same person at both stores that day is one unique scanner. Fresh storage:
// the cron works on every row, and the zones in use are this file's.
import { beforeAll, describe, expect, it } from "vitest";
import { runMaintenance } from "../../src/store/maintenance";
import type { FunnelResult } from "../../src/store/stats";
import { call, mintKey } from "./helpers";
import { testEnv } from "./hop-helpers";
import { makePoster, makeStore } from "./poster-helpers";
import { recordInZone, scanAt, zonedConfig } from "./time-zone-helpers";

const Z = (iso: string) => Date.parse(iso);
const EAST = "Pacific/Kiritimati";
const FAR_WEST = "Pacific/Pago_Pago";
const DAY = "2026-12-07";
const IP = "198.51.100.23";
/** 00:30 of Dec 9 in Kiritimati (10:30 UTC of Dec 8), 23:30 of Dec 7 in Pago Pago. */
const RUN = Z("2026-12-08T10:30:00Z");

let key: string;
let later: string;

async function funnelOf(query = ""): Promise<FunnelResult> {
  const res = await call(`/v1/stats/funnel?from=${DAY}&to=${DAY}&freshness=none${query}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as FunnelResult;
}

async function days(table: string): Promise<string[]> {
  const { results } = await testEnv.DB.prepare(`SELECT day FROM ${table}`).all<{ day: string }>();
  return results.map((r) => r.day);
}

beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  const home = (await makeStore("Christmas Island")).id; // the deployment's zone
  const poster = (await makePoster({ store_id: home })).id;
  // Noon of Dec 7 in Kiritimati.
  await recordInZone(EAST, [scanAt(poster, Z("2026-12-06T22:00:00Z"), home)], IP);
  await runMaintenance(testEnv, await zonedConfig(EAST), RUN);
  // Then a store opens in Pago Pago; the same person scans it at 23:45 of Dec 7 there.
  later = (await makeStore("Tutuila", { time_zone: FAR_WEST })).id;
  const farPoster = (await makePoster({ store_id: later })).id;
  await recordInZone(
    EAST,
    [{ ...scanAt(farPoster, Z("2026-12-08T10:45:00Z"), later), time_zone: FAR_WEST }],
    IP,
  );
});

describe("a zone 25 hours behind the deployment's, taken up after the cron ran", () => {
  it("found Dec 7 not yet folded and its salt kept", async () => {
    expect(await days("hop_compacted")).not.toContain(DAY);
    expect(await days("hop_salts")).toContain(DAY);
  });

  it("counts both scans of Dec 7, and the person who made them once", async () => {
    const all = await funnelOf();
    expect([all.totals.scanned, all.totals.unique_scanners]).toEqual([2, 1]);
    expect((await funnelOf(`&store_id=${later}`)).totals.scanned).toBe(1);
  });
});
