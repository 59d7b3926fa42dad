// Red team, raw-hop retention racing the consumer (fresh storage: it reads the whole archive).
// A hop of a day already past retention still arrives now and then (a dead letter replayed, the
// spool drained late): the consumer records its object in the index, then writes it to R2. When
// the hourly retention deletes that day in between — its R2 listing made before the object
// landed, its index rows deleted after — the object must still go, by the next run at the latest:
// retention keeps no raw hop past its days.
import { describe, expect, it } from "vitest";
import { runMaintenance } from "../../src/store/maintenance";
import { hopMessages, hopRow, rolledUp, runQueue, testConfig, testEnv } from "./hop-helpers";

const DAY = 86_400_000;

/** `bucket` whose `put` of an archive object waits until `release()`; `started` once one is waiting. */
function heldPuts(bucket: R2Bucket) {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let started!: () => void;
  const waiting = new Promise<void>((r) => {
    started = r;
  });
  const held = new Proxy(bucket, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as (...a: unknown[]) => unknown;
      if (typeof value !== "function") return value;
      if (prop !== "put") return value.bind(target);
      return async (...args: unknown[]) => {
        if (String(args[0]).startsWith("hops/")) {
          started();
          await gate;
        }
        return Reflect.apply(value, target, args);
      };
    },
  });
  return { bucket: held, release, waiting };
}

const objectsOf = async (day: string) =>
  (await testEnv.HOP_ARCHIVE!.list({ prefix: `hops/dt=${day}/` })).objects.map((o) => o.key);

describe("redteam-faults: retention deleting a day while the consumer writes an object of it", () => {
  it("the object R2 got after the day's listing is deleted by the next run; the rollups keep the hop", async () => {
    const config = await testConfig();
    const now = Date.now();
    const at = now - (config.hopRetentionDays + 5) * DAY;
    const day = new Date(at).toISOString().slice(0, 10);
    const store = "st_rf_retention_race";
    const row = hopRow({ hop: "scanned", store_id: store }, at, "10.62.0.1");

    const { bucket, release, waiting } = heldPuts(testEnv.HOP_ARCHIVE!);
    const consumed = runQueue("qrbridge-hops", hopMessages([row]), {
      ...testEnv,
      HOP_ARCHIVE: bucket,
    });
    await waiting; // counted and indexed; its object on its way to R2
    const run = await runMaintenance(testEnv, config, now);
    expect(run.failedSteps).toEqual([]);
    expect(run.archiveDaysDeleted).toBe(1);
    release();
    expect((await consumed).retryMessages).toEqual([]);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);

    // The next hourly run: nothing of that day is left in R2.
    expect((await runMaintenance(testEnv, config, now + 3_600_000)).failedSteps).toEqual([]);
    expect(await objectsOf(day)).toEqual([]);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
  });
});
