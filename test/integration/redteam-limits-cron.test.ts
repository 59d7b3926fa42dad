// Red team, the hourly cron's calls per invocation (on fresh storage: it moves every row of the
// legacy table). Raw hops of the D1 table of earlier versions move to R2 one object per hour of
// rows, each an R2 write and a D1 batch; a quiet deployment's 5,000-row chunk could span 5,000
// hours, 10,000 calls in one step, past what one invocation may make once the spool drain has
// had its share, so every later step of the run failed. A run now moves at most
// LEGACY_HOURS_PER_RUN hours, oldest first, and the runs after it move the rest, each row once.
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { LEGACY_HOURS_PER_RUN, RETENTION_DAYS_PER_RUN } from "../../src/store/archive-upkeep";
import { archiveKey, putArchiveObject, toNdjson } from "../../src/store/hop-archive";
import { runMaintenance } from "../../src/store/maintenance";
import { archivedHops, hopRow, scalar, testConfig, testEnv } from "./hop-helpers";

const HOURS = 2 * LEGACY_HOURS_PER_RUN + 40;
const START = Date.parse("2029-01-01T00:00:00Z");

/** The test env with its R2 writes and D1 calls (a batch, or a statement run alone) counted. */
function countedEnv() {
  const calls = { r2Puts: 0, r2Lists: 0, r2Deletes: 0, d1: 0 };
  const wrap = <T extends object>(target: T, on: (prop: string, result: unknown) => unknown): T =>
    new Proxy(target, {
      get(t, prop) {
        const value = Reflect.get(t, prop);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => on(String(prop), value.apply(t, args));
      },
    });
  const statement = (s: D1PreparedStatement): D1PreparedStatement =>
    wrap(s, (prop, result) => {
      if (["run", "all", "first", "raw"].includes(prop)) calls.d1++;
      return prop === "bind" ? statement(result as D1PreparedStatement) : result;
    });
  const db = wrap(testEnv.DB, (prop, result) => {
    if (prop === "batch") calls.d1++;
    return prop === "prepare" ? statement(result as D1PreparedStatement) : result;
  });
  const bucket = wrap(testEnv.HOP_ARCHIVE!, (prop, result) => {
    if (prop === "put") calls.r2Puts++;
    if (prop === "list") calls.r2Lists++;
    if (prop === "delete") calls.r2Deletes++;
    return result;
  });
  const env: Env = { ...testEnv, HOP_ARCHIVE: bucket, DB: db };
  return { env, calls };
}

describe("redteam: the hourly cron's legacy move is bounded per run", () => {
  it("rows spread one an hour: each run moves at most the bound's hours; all rows once, oldest first", async () => {
    const rows = Array.from({ length: HOURS }, (_, i) =>
      hopRow({ hop: "scanned", store_id: "st_rt_limits_legacy" }, START + i * 3_600_000),
    );
    const db = testEnv.DB;
    await db.batch(
      rows.map((r) =>
        db
          .prepare(
            "INSERT INTO legacy_hops (event_id, at, day, kind, subject_id, hop, store_id, bot) VALUES (?, ?, ?, 'poster', ?, 'scanned', 'st_rt_limits_legacy', 0)",
          )
          .bind(r.event_id, r.at, r.day, r.subject_id),
      ),
    );
    const config = await testConfig();
    const moved: number[] = [];
    const puts: number[] = [];
    for (let run = 0; run < 5 && (await scalar("SELECT COUNT(*) FROM legacy_hops")) > 0; run++) {
      const { env, calls } = countedEnv();
      const report = await runMaintenance(env, config, Date.parse("2029-02-01T00:17:00Z"));
      expect(report.failedSteps).toEqual([]);
      moved.push(report.legacyMoved);
      puts.push(calls.r2Puts);
      // One R2 write and one D1 batch per hour moved, besides the run's own few calls.
      expect(calls.r2Puts).toBeLessThanOrEqual(LEGACY_HOURS_PER_RUN);
      expect(calls.d1).toBeLessThanOrEqual(LEGACY_HOURS_PER_RUN + 40);
    }
    expect(moved).toEqual([LEGACY_HOURS_PER_RUN, LEGACY_HOURS_PER_RUN, 40]);
    expect(puts).toEqual(moved);
    const archived = await archivedHops({ store_id: "st_rt_limits_legacy" });
    expect(archived.map((r) => r.event_id)).toEqual(rows.map((r) => r.event_id));
    expect(await scalar("SELECT COUNT(*) FROM hop_objects WHERE hour LIKE '2029-01-%'")).toBe(
      rows.filter((r) => r.at < Date.parse("2029-02-01T00:00:00Z")).length,
    );
  });

  it("retention lowered, months past it at once: each run deletes the oldest days, index after objects", async () => {
    // 20 days of 2027, 3 objects an hour-day, all past retention a year later.
    const days = Array.from({ length: 20 }, (_, i) =>
      new Date(Date.parse("2027-03-01T00:00:00Z") + i * 86_400_000).toISOString().slice(0, 10),
    );
    const db = testEnv.DB;
    const statements: D1PreparedStatement[] = [];
    for (const day of days)
      for (const hour of ["03", "12", "21"]) {
        const at = Date.parse(`${day}T${hour}:00:00Z`);
        const key = archiveKey(
          `${day}T${hour}` as Parameters<typeof archiveKey>[0],
          `rtret${hour}`,
        );
        await putArchiveObject(
          testEnv.HOP_ARCHIVE!,
          key,
          toNdjson([hopRow({ hop: "scanned" }, at)]),
        );
        statements.push(
          db
            .prepare("INSERT INTO hop_objects (hour, key, rows, created_at) VALUES (?, ?, 1, ?)")
            .bind(`${day}T${hour}`, key, at),
        );
      }
    await db.batch(statements);
    const config = await testConfig();
    const deleted: number[] = [];
    for (let run = 0; run < 5; run++) {
      const { env, calls } = countedEnv();
      const report = await runMaintenance(env, config, Date.parse("2028-03-01T00:17:00Z"));
      expect(report.failedSteps).toEqual([]);
      deleted.push(report.archiveDaysDeleted);
      // A list and a delete per day deleted (a day of 3 objects is one page).
      expect(calls.r2Deletes).toBeLessThanOrEqual(RETENTION_DAYS_PER_RUN);
      // Every object the index still lists is still in R2, oldest days gone first.
      const { results } = await db
        .prepare("SELECT key, hour FROM hop_objects WHERE hour LIKE '2027-03-%' ORDER BY hour")
        .all<{ key: string; hour: string }>();
      for (const o of results) expect(await testEnv.HOP_ARCHIVE!.head(o.key), o.key).not.toBeNull();
      const gone = deleted.reduce((a, b) => a + b, 0);
      expect(results[0]?.hour.slice(0, 10)).toBe(days[gone]);
      if (results.length === 0) break;
    }
    expect(deleted).toEqual([7, 7, 6, 0].slice(0, deleted.length));
    expect(deleted.reduce((a, b) => a + b, 0)).toBe(20);
    const left = await testEnv.HOP_ARCHIVE!.list({ prefix: "hops/dt=2027-03-" });
    expect(left.objects).toHaveLength(0);
  });
});
