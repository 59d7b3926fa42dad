// Red team, the crons under partial failures (fresh storage: it counts whole spools and runs the
// hourly maintenance). Two spool drains overlap (the minute's cron and the hour's, or a run that
// outlived its minute), each failing differently, with poisonous objects among the good ones;
// and a maintenance run whose D1 refuses one of its small steps must still do the others.
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { newHopId } from "../../src/store/hop-ids";
import { runMaintenance } from "../../src/store/maintenance";
import { drainSpool } from "../../src/store/spool-drain";
import { faultyD1, faultyR2 } from "../support/faulty-bindings";
import { archivedHops, hopRow, rolledUp, scalar, testConfig, testEnv } from "./hop-helpers";

const spooled = async () =>
  (await testEnv.HOP_ARCHIVE!.list({ prefix: "spool/", limit: 1000 })).objects.length;

describe("redteam-faults: two spool drains at once, each failing its own way", () => {
  it("one's R2 delete refused, the other's count committed with its answer lost: each row once, each poison one letter", async () => {
    const store = "st_rf_spool_twice";
    const at = Date.now() - 120_000;
    const bucket = testEnv.HOP_ARCHIVE!;
    const good: HopRow[] = [];
    const puts: Promise<unknown>[] = [];
    for (let i = 0; i < 160; i++) {
      const row = hopRow({ hop: "scanned", store_id: store }, at, `10.61.${i >> 8}.${i & 255}`);
      const id = newHopId(at + i);
      const rows: unknown[] = [row];
      // Every 40th request also carries a row no writer could have made: set aside alone.
      if (i % 40 === 7) rows.push({ ...row, event_id: `${row.event_id}x`, hop: "teleported" });
      good.push(row);
      puts.push(
        bucket.put(`spool/${id}.json`, JSON.stringify({ t: "hops", id, again: true, rows })),
      );
    }
    // And two objects that are no hop message at all.
    puts.push(bucket.put(`spool/${newHopId(at + 500)}.json`, `{"t":"hops","rows":[`));
    puts.push(bucket.put(`spool/${newHopId(at + 501)}.json`, JSON.stringify({ t: "hopz", store })));
    await Promise.all(puts);

    const config = await testConfig();
    const refusingDelete = faultyR2(bucket, "delete", (_key, n) => n === 1);
    const losingAnswer = faultyD1(testEnv.DB, {
      batch: (sqls, n) =>
        n <= 4 && sqls[0]?.startsWith("INSERT INTO hop_batches") ? "after" : null,
    });
    const now = Date.now();
    const [a, b] = await Promise.all([
      drainSpool({ ...testEnv, HOP_ARCHIVE: refusingDelete }, config, now),
      drainSpool({ ...testEnv, DB: losingAnswer }, config, now),
    ]);
    expect(refusingDelete.fired + losingAnswer.calls.fired).toBeGreaterThan(0);
    expect(a.failed ?? b.failed).toBeTruthy();
    // The next minute's run, all well.
    const c = await drainSpool(testEnv, config, now + 60_000);
    expect(c.failed).toBeNull();
    expect(await spooled()).toBe(0);

    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(160);
    const archived = (await archivedHops({ store_id: store })).map((r) => r.event_id).sort();
    expect(archived).toEqual(good.map((r) => r.event_id).sort());
    expect(
      await scalar(
        "SELECT COUNT(*) FROM dead_letters WHERE queue = 'spool' AND body LIKE ?",
        `%${store}%`,
      ),
    ).toBe(5);
    expect(await scalar("SELECT COUNT(*) FROM dead_letters WHERE queue = 'spool'")).toBe(6);
  });
});

describe("redteam-faults: one small cron step refused holds back no other", () => {
  it("D1 refusing the salts' delete and the once-only table's turn: the webhook pushes still run, the report says what failed", async () => {
    const seen: string[] = [];
    const db = faultyD1(testEnv.DB, {
      statement: (sql) => {
        seen.push(sql);
        return /^DELETE FROM hop_salts|FROM hop_once_weeks/.test(sql) ? "before" : null;
      },
    });
    const report = await runMaintenance({ ...testEnv, DB: db }, await testConfig(), Date.now());
    expect(db.calls.fired).toBe(2);
    expect(report.failedSteps).toEqual(["salts", "once-slot"]);
    // The pushes after them ran: the due deliveries were looked for.
    expect(seen.some((sql) => /FROM webhook_deliveries WHERE status/.test(sql))).toBe(true);
    expect((await runMaintenance(testEnv, await testConfig(), Date.now())).failedSteps).toEqual([]);
  });
});
