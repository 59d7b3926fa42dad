// Red team, draining the spool (on fresh storage: it counts whole spools): when the hop queue
// refused a burst, the requests' hops wait in R2 (`spool/<id>.json`) and the cron counts them.
// More of them than the old 200 a run drain in one run; a failure between counting and deleting
// counts nothing twice; a refusal mid-drain leaves the rest for the next run, losing nothing.
import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import worker from "../../src/index";
import { newHopId } from "../../src/store/hop-ids";
import { runMaintenance, SPOOL_CRON } from "../../src/store/maintenance";
import { hopRow, rolledUp, scalar, testConfig, testEnv } from "./hop-helpers";

/** Spool `n` requests of one scan each, as the writer does when the queue refuses (store/hops.ts). */
async function spoolScans(store: string, n: number, at: number): Promise<void> {
  const bucket = testEnv.HOP_ARCHIVE!;
  const puts: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const row: HopRow = hopRow(
      { hop: "scanned", store_id: store },
      at,
      `10.8.${i >> 8}.${i & 255}`,
    );
    const id = newHopId(at + i);
    puts.push(
      bucket.put(`spool/${id}.json`, JSON.stringify({ t: "hops", id, again: true, rows: [row] })),
    );
  }
  await Promise.all(puts);
}

const spooled = async () =>
  (await testEnv.HOP_ARCHIVE!.list({ prefix: "spool/", limit: 1000 })).objects.length;

/** `target` with `prop` replaced while `failing()` says so. */
function failingWhile<T extends object>(target: T, prop: string, failing: () => boolean): T {
  return new Proxy(target, {
    get(t, p) {
      const value = Reflect.get(t, p);
      if (typeof value !== "function") return value;
      if (p === prop)
        return (...args: unknown[]) =>
          failing() ? Promise.reject(new Error(`${prop} unavailable`)) : value.apply(t, args);
      return value.bind(t);
    },
  });
}

describe("redteam: the spool drains faster than the old 200 requests an hour", () => {
  it("650 spooled requests are counted in one run, each once, and the spool is empty", async () => {
    const store = "st_rt_spool_burst";
    await spoolScans(store, 650, Date.now());
    const report = await runMaintenance(testEnv, await testConfig(), Date.now());
    expect(report.failedSteps).toEqual([]);
    expect(report.spooledIngested).toBe(650);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(650);
    expect(await spooled()).toBe(0);
  });

  it("counted, then R2 refusing the delete: the next run finds them counted and counts nothing twice", async () => {
    const store = "st_rt_spool_no_delete";
    await spoolScans(store, 150, Date.now());
    const cfg = await testConfig();
    const bucket = failingWhile(testEnv.HOP_ARCHIVE!, "delete", () => true);
    const first = await runMaintenance({ ...testEnv, HOP_ARCHIVE: bucket }, cfg, Date.now());
    expect(first.failedSteps).toContain("spool");
    expect(await rolledUp("scanned", "store_id = ?", store)).toBeGreaterThan(0);
    expect(await spooled()).toBe(150);
    await runMaintenance(testEnv, cfg, Date.now());
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(150);
    expect(await spooled()).toBe(0);
  });

  it("D1 refusing mid-drain: what was counted is deleted, the rest waits for the next run, none lost", async () => {
    const store = "st_rt_spool_refused";
    await spoolScans(store, 250, Date.now());
    const cfg = await testConfig();
    // D1 takes the first chunk (its lookup and its commit), then refuses two transactions.
    let calls = 0;
    const db = failingWhile(testEnv.DB, "batch", () => {
      calls++;
      return calls === 3 || calls === 4;
    });
    const first = await runMaintenance({ ...testEnv, DB: db }, cfg, Date.now());
    expect(first.failedSteps).toContain("spool");
    expect(first.spooledIngested).toBe(100);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(100);
    expect(await spooled()).toBe(150);
    const next = await runMaintenance(testEnv, cfg, Date.now());
    expect(next.spooledIngested).toBe(150);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(250);
    expect(await spooled()).toBe(0);
  });
});

describe("redteam: the spool is drained every minute, not once an hour", () => {
  it.each([
    [SPOOL_CRON, "st_rt_spool_minute"],
    // The same trigger as a deployment may spell it.
    ["*/1 * * * *", "st_rt_spool_minute_alt"],
  ])(
    "the minute cron (%s) counts the spool and runs none of the hourly maintenance",
    async (cron, store) => {
      const now = Date.now();
      await spoolScans(store, 120, now);
      await testEnv.DB.prepare("INSERT INTO hop_batches VALUES (?, ?, '[]')")
        .bind(now - 3 * 86_400_000, `old-${store}`)
        .run();
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: now, cron }), testEnv, ctx);
      await waitOnExecutionContext(ctx);
      expect(await rolledUp("scanned", "store_id = ?", store)).toBe(120);
      expect(await spooled()).toBe(0);
      // The hourly clean-up did not run: the three-day-old ledger row is still there.
      expect(await scalar("SELECT COUNT(*) FROM hop_batches WHERE id = ?", `old-${store}`)).toBe(1);
    },
  );
});
