// Red team, late copies and the spool drain (on fresh storage: it drains whole spools and counts
// by store): the minute cron and the hourly run draining the same spool at once, a spool object
// deleted between the list and the read, a spooled request mixing counted rows with a once-only
// event past the ledger's memory, a dead letter replayed twice at once or a refused one replayed
// again, and a once-only event exactly at the lateness boundary (the clock passed in).
import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import worker from "../../src/index";
import { deadLetterStatement } from "../../src/store/dead-letter-store";
import { replayDeadLetters } from "../../src/store/dead-letters";
import { newHopId } from "../../src/store/hop-ids";
import { ingestHops } from "../../src/store/hop-ingest";
import { ONCE_LATE_MS } from "../../src/store/hop-rollups";
import { SPOOL_CRON } from "../../src/store/maintenance";
import { drainSpool } from "../../src/store/spool-drain";
import { ADMIN_KEY, call } from "./helpers";
import { hopRow, rolledUp, scalar, testConfig, testEnv } from "./hop-helpers";

const DAY = 86_400_000;

const scanRow = (store: string, at: number, i: number) =>
  hopRow({ hop: "scanned", store_id: store }, at, `10.77.${i >> 8}.${i & 255}`);
const openRow = (store: string, event: string, at: number) =>
  hopRow({ hop: "app_open", store_id: store, event_id: event }, at);

/** Spool one request's `rows` as the writer does when the queue refuses it; returns its key. */
async function spool(rows: HopRow[], at: number): Promise<string> {
  const id = newHopId(at);
  const key = `spool/${id}.json`;
  await testEnv.HOP_ARCHIVE!.put(key, JSON.stringify({ t: "hops", id, again: true, rows }));
  return key;
}

const spooled = async () =>
  (await testEnv.HOP_ARCHIVE!.list({ prefix: "spool/", limit: 1000 })).objects.length;

async function scheduled(cron: string, scheduledTime: number): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron }), testEnv, ctx);
  await waitOnExecutionContext(ctx);
}

/** A whole hop message (writer id `id`) that exhausted its retries, as the dead-letter queue keeps it. */
const deadHopMessage = (letterId: string, id: string, rows: HopRow[]) =>
  deadLetterStatement(testEnv.DB, "qrbridge-hops-dlq", {
    id: letterId,
    body: { t: "hops", id, rows },
    attempts: 3,
    error: "retries exhausted",
    envelope: id,
  }).run();

const replay = (ids: string[]) =>
  call("/v1/dead-letters/replay", { method: "POST", key: ADMIN_KEY, json: { ids } });

describe("redteam-new: two drains of one spool", () => {
  it("the minute cron and the hourly run at once: every spooled request counted once", async () => {
    const store = "st_rtn_two_crons";
    const now = Date.now();
    for (let i = 0; i < 250; i++) await spool([scanRow(store, now, i)], now + i);
    await Promise.all([scheduled(SPOOL_CRON, now), scheduled("17 * * * *", now)]);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(250);
    expect(await spooled()).toBe(0);
  });

  it("an object another run deleted between the list and the read: skipped, the rest counted", async () => {
    const store = "st_rtn_gone";
    const now = Date.now();
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push(await spool([scanRow(store, now, i)], now + i));
    const bucket = testEnv.HOP_ARCHIVE!;
    // The concurrent run counts and deletes keys[2] just as this run reads it.
    const racing = new Proxy(bucket, {
      get(t, p) {
        if (p === "get")
          return async (key: string) => {
            if (key === keys[2]) await t.delete(key);
            return t.get(key);
          };
        const v = Reflect.get(t, p);
        return typeof v === "function" ? v.bind(t) : v;
      },
    });
    const env = { ...testEnv, HOP_ARCHIVE: racing };
    const done = await drainSpool(env, await testConfig(), now);
    expect(done).toMatchObject({ rows: 4, objects: 4, failed: null });
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(4);
    expect(await spooled()).toBe(0);
    expect(await scalar("SELECT COUNT(*) FROM dead_letters WHERE queue = 'spool'")).toBe(0);
  });

  it("a request mixing a scan, a recent once-only event and one past memory; drained again after a lost delete", async () => {
    const store = "st_rtn_mixed";
    const now = Date.now();
    const rows = [
      scanRow(store, now - 9 * DAY, 1),
      openRow(store, "ev_rtn_mixed_recent", now - DAY),
      openRow(store, "ev_rtn_mixed_old", now - 9 * DAY),
    ];
    const key = await spool(rows, now - 9 * DAY);
    const body = await (await testEnv.HOP_ARCHIVE!.get(key))!.text();
    expect((await drainSpool(testEnv, await testConfig(), now)).objects).toBe(1);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
    expect(await rolledUp("app_open", "store_id = ?", store)).toBe(1);
    const late = "SELECT COUNT(*) FROM dead_letters WHERE id = 'late:ev_rtn_mixed_old'";
    expect(await scalar(late)).toBe(1);
    // The same object found again (its delete lost): nothing counted or set aside twice.
    await testEnv.HOP_ARCHIVE!.put(key, body);
    expect((await drainSpool(testEnv, await testConfig(), now + 60_000)).rows).toBe(0);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
    expect(await rolledUp("app_open", "store_id = ?", store)).toBe(1);
    expect(await scalar(late)).toBe(1);
    expect(await spooled()).toBe(0);
  });
});

describe("redteam-new: dead letters replayed again", () => {
  it("one dead letter replayed by two operators at once counts once", async () => {
    const store = "st_rtn_dlq_twice";
    const now = Date.now();
    const id = newHopId(now - DAY);
    const rows = [scanRow(store, now - DAY, 1), openRow(store, "ev_rtn_dlq_twice", now - DAY)];
    await deadHopMessage("rtn-dlq-twice", id, rows);
    const answers = await Promise.all([replay(["rtn-dlq-twice"]), replay(["rtn-dlq-twice"])]);
    for (const a of answers) expect(a.status).toBe(200);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
    expect(await rolledUp("app_open", "store_id = ?", store)).toBe(1);
    const marked = "SELECT COUNT(*) FROM dead_letters WHERE id = ? AND replayed_at IS NOT NULL";
    expect(await scalar(marked, "rtn-dlq-twice")).toBe(1);
  });

  it("a dead letter replayed while the cron drains a spooled copy of the same request: counted once", async () => {
    const store = "st_rtn_dlq_and_spool";
    const now = Date.now();
    const id = newHopId(now - 3_600_000);
    const rows = [
      scanRow(store, now - 3_600_000, 7),
      openRow(store, "ev_rtn_both", now - 3_600_000),
    ];
    await deadHopMessage("rtn-dlq-and-spool", id, rows);
    await testEnv.HOP_ARCHIVE!.put(
      `spool/${id}.json`,
      JSON.stringify({ t: "hops", id, again: true, rows }),
    );
    const [answer] = await Promise.all([
      replay(["rtn-dlq-and-spool"]),
      drainSpool(testEnv, await testConfig(), now),
    ]);
    expect(answer.status).toBe(200);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
    expect(await rolledUp("app_open", "store_id = ?", store)).toBe(1);
    expect(await spooled()).toBe(0);
  });

  it("a once-only event set aside as too late, replayed twice: refused both times, never 'replayed'", async () => {
    const store = "st_rtn_late_twice";
    const now = Date.now();
    const row = openRow(store, "ev_rtn_late_twice", now - 10 * DAY);
    const envelope = { id: newHopId(now - 10 * DAY), sentAt: now - 10 * DAY, again: true };
    const first = await ingestHops(
      testEnv,
      await testConfig(),
      [{ ...envelope, rows: [row] }],
      now,
    );
    expect(first.refused.map((r) => r.id)).toEqual(["late:ev_rtn_late_twice"]);
    for (const attempt of [1, 2]) {
      const res = await replay(["late:ev_rtn_late_twice"]);
      const report = (await res.json()) as { replayed: number; skipped: { reason: string }[] };
      expect(report.replayed, `replay ${attempt}`).toBe(0);
      expect(report.skipped[0]?.reason, `replay ${attempt}`).toMatch(/^once-only event/);
    }
    const unreplayed = "SELECT COUNT(*) FROM dead_letters WHERE id = ? AND replayed_at IS NULL";
    expect(await scalar(unreplayed, "late:ev_rtn_late_twice")).toBe(1);
    expect(await rolledUp("app_open", "store_id = ?", store)).toBe(0);
  });
});

describe("redteam-new: the once-only lateness boundary, the clock passed in", () => {
  it("an event exactly ONCE_LATE_MS old counts; one a millisecond older is set aside", async () => {
    const store = "st_rtn_boundary";
    const now = Date.now();
    const edge = openRow(store, "ev_rtn_edge", now - ONCE_LATE_MS);
    const over = openRow(store, "ev_rtn_over", now - ONCE_LATE_MS - 1);
    const env = (id: string, rows: HopRow[]) => ({ id, sentAt: now, again: false, rows });
    const r = await ingestHops(
      testEnv,
      await testConfig(),
      [env(newHopId(now), [edge]), env(newHopId(now + 1), [over])],
      now,
    );
    expect(r.refused.map((x) => x.id)).toEqual(["late:ev_rtn_over"]);
    expect(await rolledUp("app_open", "store_id = ?", store)).toBe(1);
  });

  it("as documented: 7 days less the 10-minute clock slack; an event exactly 7 days old is set aside", async () => {
    const store = "st_rtn_seven_days";
    const now = Date.now();
    expect(ONCE_LATE_MS).toBe(7 * DAY - 10 * 60_000);
    const week = openRow(store, "ev_rtn_seven_days", now - 7 * DAY);
    const envelope = { id: newHopId(now), sentAt: now, again: false, rows: [week] };
    const r = await ingestHops(testEnv, await testConfig(), [envelope], now);
    expect(r.refused.map((x) => x.id)).toEqual(["late:ev_rtn_seven_days"]);
    expect(await rolledUp("app_open", "store_id = ?", store)).toBe(0);
  });

  it("a replay judges lateness and stamps replayed_at by the one clock it is given", async () => {
    const store = "st_rtn_replay_clock";
    // Twenty days ago by the wall clock, one hour before the replay's own clock.
    const sent = Date.now() - 20 * DAY;
    const now = sent + 3_600_000;
    const id = newHopId(sent);
    const rows = [openRow(store, "ev_rtn_replay_clock", sent)];
    await deadLetterStatement(testEnv.DB, "hops-dlq", {
      id: "msg-rtn-replay-clock",
      body: { t: "hops", id, again: true, rows },
      attempts: 3,
      error: "test",
    }).run();
    const report = await replayDeadLetters(
      testEnv,
      await testConfig(),
      ["msg-rtn-replay-clock"],
      now,
    );
    expect(report).toEqual({ replayed: 1, skipped: [] });
    expect(await rolledUp("app_open", "store_id = ?", store)).toBe(1);
    const stamped = "SELECT replayed_at FROM dead_letters WHERE id = ?";
    expect(await scalar(stamped, "msg-rtn-replay-clock")).toBe(now);
  });
});
