// Red team, the raw export while retention deletes a day: the cron deletes a day's R2 objects
// first and its index after, so for a moment (longer when a run fails in between) the index
// lists objects that are gone. An export over that day gives the rows still kept, each once, page
// after page — not a 200 whose body breaks off mid-stream, nor a 500 for a store key. An object
// of a day retention keeps that is missing is still an error, never skipped.
// On fresh storage: which hours retention keeps depends on every zone a store carries (a store
// east of UTC keeps the expired day's first hours), so another file's stores would move it.
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { exportResponse } from "../../src/routes/hops-export";
import { deleteArchiveDay } from "../../src/store/hop-archive";
import { atClock } from "./helpers";
import { hopMessages, hopRow, runQueue, testEnv } from "./hop-helpers";

const EXPIRED = "2023-01-05";
const KEPT = "2023-01-06";
// 90 days after the kept day, at noon: the first day a 90-day retention keeps is KEPT.
const NOW = Date.UTC(2023, 3, 6, 12);
const STORE = "st_rt_export_retention";
const URL_ = new URL("https://qr.test/v1/hops");

function scans(day: string, label: string): HopRow[] {
  const start = Date.parse(`${day}T05:00:00Z`);
  return [0, 1, 2].map((i) =>
    hopRow({ hop: "scanned", store_id: STORE }, start + i * 3_600_000, `${label}-${i}`),
  );
}

/** Every row of the export, following its cursor, as a store key or not. */
async function exportAll(storeKey: boolean, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const res = await atClock(NOW, () =>
      exportResponse(
        testEnv,
        { from: EXPIRED, to: KEPT, store_id: STORE, limit, cursor },
        URL_,
        storeKey ? { storeId: STORE } : {},
        "UTC",
        90,
      ),
    );
    expect(res.status).toBe(200);
    for (const line of (await res.text()).split("\n").filter(Boolean))
      ids.push(JSON.parse(line).event_id);
    cursor = res.headers.get("x-next-cursor") ?? undefined;
    if (!cursor) return ids;
  }
  throw new Error("the export did not end");
}

describe("redteam: the export while retention deletes a day", () => {
  it("objects gone, index not yet: the kept rows once each, in pages, as any key", async () => {
    const expired = scans(EXPIRED, "gone");
    const kept = scans(KEPT, "kept");
    await runQueue("qrbridge-hops", hopMessages([...expired, ...kept]));
    const want = kept.map((r) => r.event_id);
    // Retention's first step: the expired day's objects deleted, its index still there.
    await deleteArchiveDay(testEnv.HOP_ARCHIVE!, EXPIRED);
    for (const storeKey of [false, true])
      for (const limit of [1, 2, 1000])
        expect((await exportAll(storeKey, limit)).sort(), `${storeKey} ${limit}`).toEqual(
          [...want].sort(),
        );
    // Retention's second step: the same answer.
    await testEnv.DB.prepare("DELETE FROM hop_objects WHERE hour >= ?1 AND hour <= ?2")
      .bind(`${EXPIRED}T00`, `${EXPIRED}T23`)
      .run();
    expect((await exportAll(false, 2)).sort()).toEqual([...want].sort());
  });

  it("an object of a kept day that is missing is an error, not rows silently left out", async () => {
    await runQueue("qrbridge-hops", hopMessages(scans(KEPT, "lost")));
    await deleteArchiveDay(testEnv.HOP_ARCHIVE!, KEPT);
    await expect(exportAll(true, 1000)).rejects.toThrow(/is missing/);
    await expect(exportAll(false, 1000)).rejects.toThrow(/is missing/);
  });
});
