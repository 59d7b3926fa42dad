// Red team, the hourly cron's side of hop counting (on fresh storage: it runs the cron, some of
// it years ahead): a bad spool object, a step that fails, and the memory of once-only app events
// across week boundaries.
import { describe, expect, it } from "vitest";
import { ingestHops } from "../../src/store/hop-ingest";
import { ONCE_WEEK_MS } from "../../src/store/hop-rollups";
import { runMaintenance } from "../../src/store/maintenance";
import { hopRow, rolledUp, scalar, testConfig, testEnv } from "./hop-helpers";

const DAY_MS = 86_400_000;

describe("redteam: a bad spool object holds back nothing", () => {
  it("unreadable objects and bad rows go to the dead letters; the good rows and the rest of the cron go on", async () => {
    const bucket = testEnv.HOP_ARCHIVE!;
    const good = (store: string) =>
      hopRow({ hop: "scanned", store_id: store, platform: "ios" }, Date.now(), "10.7.0.1");
    const mixed = {
      t: "hops",
      rows: [good("st_rt_spool_mixed"), { ...good("st_rt_spool_mixed"), hop: "teleported" }],
    };
    // Keys sort before and after the good object, so the bad ones are met first.
    await bucket.put("spool/0000-broken.json", '{"t":"hops","rows":[');
    await bucket.put("spool/0001-null.json", "null");
    await bucket.put("spool/0002-mixed.json", JSON.stringify(mixed));
    await bucket.put(
      "spool/zzzz-good.json",
      JSON.stringify({ t: "hops", rows: [good("st_rt_spool_good")] }),
    );
    const report = await runMaintenance(testEnv, await testConfig(), Date.now());
    expect(report.spooledIngested).toBeGreaterThanOrEqual(2);
    expect(await rolledUp("scanned", "store_id = ?", "st_rt_spool_good")).toBe(1);
    expect(await rolledUp("scanned", "store_id = ?", "st_rt_spool_mixed")).toBe(1);
    const { results } = await testEnv.DB.prepare(
      "SELECT id, error FROM dead_letters WHERE id LIKE 'spool/%' ORDER BY id",
    ).all();
    expect(results).toEqual([
      { id: "spool/0000-broken.json", error: expect.stringMatching(/^unreadable/) },
      { id: "spool/0001-null.json", error: "unknown message" },
      { id: "spool/0002-mixed.json:1", error: "hop: unknown" },
    ]);
    expect((await bucket.list({ prefix: "spool/" })).objects).toEqual([]);
  });
});

describe("redteam: one failing cron step holds back no other", () => {
  it("with R2 refusing writes, the pending rows wait while spool, compaction and webhook pushes go on", async () => {
    const store = "st_rt_cron_r2_down";
    const row = hopRow({ hop: "scanned", store_id: store }, Date.now(), "10.6.0.1");
    await testEnv.DB.prepare(
      "INSERT INTO hop_raw_pending (key, body, created_at) VALUES ('hops/dt=2020-01-01/hr=00/rt-stuck.ndjson.gz', '{}', 0)",
    ).run();
    await testEnv.HOP_ARCHIVE!.put(
      "spool/rt-cron.json",
      JSON.stringify({ t: "hops", rows: [row] }),
    );
    const refusing = new Proxy(testEnv.HOP_ARCHIVE!, {
      get(target, prop) {
        if (prop === "put") return () => Promise.reject(new Error("R2 unavailable"));
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const report = await runMaintenance(
      { ...testEnv, HOP_ARCHIVE: refusing },
      await testConfig(),
      Date.now(),
    );
    expect(report.failedSteps).toEqual(["pending"]);
    expect(report.spooledIngested).toBe(1);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
    expect(await scalar("SELECT COUNT(*) FROM hop_raw_pending WHERE key LIKE '%rt-stuck%'")).toBe(
      1,
    );
    // R2 back: the next run archives it.
    const next = await runMaintenance(testEnv, await testConfig(), Date.now());
    expect(next.failedSteps).toEqual([]);
    expect(await scalar("SELECT COUNT(*) FROM hop_raw_pending WHERE key LIKE '%rt-stuck%'")).toBe(
      0,
    );
  });
});

describe("redteam: retention keeps nothing past its days", () => {
  it("rows of an expired day still pending when retention ran are not archived afterwards", async () => {
    const key = "hops/dt=2019-01-02/hr=03/rt-expired.ndjson.gz";
    await testEnv.DB.batch([
      testEnv.DB.prepare(
        "INSERT INTO hop_objects (hour, key, rows, created_at) VALUES ('2019-01-02T03', ?, 1, 0)",
      ).bind(key),
      testEnv.DB.prepare(
        "INSERT INTO hop_raw_pending (key, body, created_at) VALUES (?, '{}', 0)",
      ).bind(key),
    ]);
    const refusing = new Proxy(testEnv.HOP_ARCHIVE!, {
      get(target, prop) {
        if (prop === "put") return () => Promise.reject(new Error("R2 unavailable"));
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    // R2 refuses the pending write; retention still runs and expires the day.
    const first = await runMaintenance(
      { ...testEnv, HOP_ARCHIVE: refusing },
      await testConfig(),
      Date.now(),
    );
    expect(first.failedSteps).toContain("pending");
    expect(await scalar("SELECT COUNT(*) FROM hop_objects WHERE key = ?", key)).toBe(0);
    await runMaintenance(testEnv, await testConfig(), Date.now());
    expect(await testEnv.HOP_ARCHIVE!.head(key)).toBeNull();
    expect(await scalar("SELECT COUNT(*) FROM hop_raw_pending WHERE key = ?", key)).toBe(0);
  });
});

// Last in the file: the cron runs years ahead here, forgetting every earlier file's bookkeeping.
describe("redteam: an app event repeated within its session counts once, across week boundaries", () => {
  it("reported just before a week ends and again 6.9 days later, the cron between: one app open", async () => {
    const cfg = await testConfig();
    const week = Math.floor(Date.parse("2031-03-01T00:00:00Z") / ONCE_WEEK_MS) + 1;
    const first = week * ONCE_WEEK_MS - 3_600_000; // an hour before the week turns
    const store = "st_rt_once_weeks";
    const open = (at: number) =>
      hopRow({ hop: "app_open", store_id: store, event_id: "ev_rt_once_weeks" }, at);
    const envelope = (id: string, at: number) => ({
      id,
      sentAt: at,
      again: false,
      rows: [open(at)],
    });
    await ingestHops(testEnv, cfg, [envelope("rt-once-1", first)], first);
    // The hourly cron through the next week (it empties the table of the week after).
    for (let t = first + 3_600_000; t < first + 6.9 * DAY_MS; t += DAY_MS)
      await runMaintenance(testEnv, cfg, t);
    const later = first + 6.9 * DAY_MS;
    await ingestHops(testEnv, cfg, [envelope("rt-once-2", later)], later);
    expect(await rolledUp("app_open", "store_id = ?", store)).toBe(1);
  });
});
