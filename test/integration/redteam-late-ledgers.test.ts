// Red team, late copies of hops (on fresh storage: the cron runs days and weeks ahead here,
// forgetting the bookkeeping of every other file): a copy of a request's hops counted long after
// another copy of it — a dead letter replayed days later, a spool object the cron could not read
// for days, a once-only app event counted weeks late — never counts twice and never vanishes.
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { newHopId } from "../../src/store/hop-ids";
import { ingestHops } from "../../src/store/hop-ingest";
import { ONCE_WEEK_MS, prepareOnceSlot } from "../../src/store/hop-rollups";
import { runMaintenance } from "../../src/store/maintenance";
import { ADMIN_KEY, call } from "./helpers";
import { hopRow, rolledUp, runQueue, scalar, testConfig, testEnv } from "./hop-helpers";

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** One request's hops as the writer queues them (store/hops.ts), as a queue message. */
function writerMessage(rows: HopRow[], at: number, opts: { again?: boolean; msgId?: string } = {}) {
  const id = newHopId(at);
  const body = opts.again ? { t: "hops", id, again: true, rows } : { t: "hops", id, rows };
  return { id: opts.msgId ?? `msg-${id}`, timestamp: new Date(at), attempts: 1, body };
}

/** The copy of `message` the writer sends again (same writer id, `again`), as its own queue message. */
function resentCopyOf(message: ReturnType<typeof writerMessage>) {
  return { ...message, id: `${message.id}-again`, body: { ...message.body, again: true } };
}

const scan = (store: string, at: number) =>
  hopRow({ hop: "scanned", store_id: store, platform: "ios" }, at, `10.9.${store.length}.1`);

/** The hourly cron every `step` ms from `from` up to `to`. */
async function cronUntil(from: number, to: number, step = DAY) {
  const cfg = await testConfig();
  for (let t = from; t <= to; t += step) await runMaintenance(testEnv, cfg, t);
}

function replay(ids: string[]) {
  return call("/v1/dead-letters/replay", { method: "POST", key: ADMIN_KEY, json: { ids } });
}

describe("redteam: a dead letter counted before it died is not counted again by a late replay", () => {
  it("counted, its ack lost, its redeliveries failing until the DLQ; replayed two days later: counts nothing", async () => {
    const store = "st_rt_late_dlq_counted";
    const t = Date.now();
    const msg = writerMessage([scan(store, t)], t);
    await runQueue("qrbridge-hops", [msg]);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
    // Its ack was lost; the redeliveries' ledger lookups failed until it was dead-lettered.
    await runQueue("qrbridge-hops-dlq", [{ ...msg, attempts: 6 }]);
    // Two days of cron: the ledger of counted batches (kept a day) forgets the batch.
    await cronUntil(t + HOUR, t + 2 * DAY);
    const res = await replay([msg.id]);
    expect(await res.json()).toEqual({ replayed: 1, skipped: [] });
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
  });

  it("never counted before it died: replayed two days later, it counts once", async () => {
    const store = "st_rt_late_dlq_uncounted";
    const t = Date.now();
    const msg = writerMessage([scan(store, t)], t);
    await runQueue("qrbridge-hops-dlq", [{ ...msg, attempts: 6 }]);
    await cronUntil(t + HOUR, t + 2 * DAY);
    expect(await (await replay([msg.id])).json()).toEqual({ replayed: 1, skipped: [] });
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
  });

  it("the resent copy counted, the first copy dead-lettered and replayed 20 days later: counts nothing", async () => {
    const store = "st_rt_late_dlq_20_days";
    const t = Date.now();
    const first = writerMessage([scan(store, t)], t);
    const resent = resentCopyOf(first);
    await runQueue("qrbridge-hops", [resent]);
    await runQueue("qrbridge-hops-dlq", [{ ...first, attempts: 6 }]);
    await cronUntil(t + HOUR, t + 20 * DAY);
    expect(await (await replay([first.id])).json()).toEqual({ replayed: 1, skipped: [] });
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
  });
  it("the resent copy dead-lettered uncounted, the first copy counted after it: a replay two days later counts nothing", async () => {
    const store = "st_rt_late_dlq_then_first";
    const t = Date.now();
    const first = writerMessage([scan(store, t)], t);
    const resent = resentCopyOf(first);
    await runQueue("qrbridge-hops-dlq", [{ ...resent, attempts: 6 }]);
    // The first copy's delivery came later (a backlog), as a first delivery.
    await runQueue("qrbridge-hops", [first]);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
    await cronUntil(t + HOUR, t + 2 * DAY);
    expect(await (await replay([resent.id])).json()).toEqual({ replayed: 1, skipped: [] });
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
  });
});

describe("redteam: a resent copy counted more than a day after the first one counts nothing", () => {
  it("the first copy counted, its spooled copy unreadable for two days, then counted: one scan", async () => {
    const store = "st_rt_late_spool_copy";
    const t = Date.now();
    const first = writerMessage([scan(store, t)], t);
    const body = first.body as { id: string };
    await runQueue("qrbridge-hops", [first]);
    const bucket = testEnv.HOP_ARCHIVE!;
    await bucket.put(`spool/${body.id}.json`, JSON.stringify({ ...body, again: true }));
    // Two days in which the spool cannot be read (R2 refusing reads), the cron running hourly.
    const unreadable = new Proxy(bucket, {
      get(target, prop) {
        if (prop === "get") return () => Promise.reject(new Error("R2 unavailable"));
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const cfg = await testConfig();
    for (let at = t + HOUR; at <= t + 2 * DAY; at += 6 * HOUR)
      await runMaintenance({ ...testEnv, HOP_ARCHIVE: unreadable }, cfg, at);
    expect((await bucket.list({ prefix: "spool/" })).objects).toHaveLength(1);
    await runMaintenance(testEnv, cfg, t + 2 * DAY + HOUR);
    expect((await bucket.list({ prefix: "spool/" })).objects).toEqual([]);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
  });
});

describe("redteam: a once-only app event counted late counts once or is refused in the open", () => {
  const open = (store: string, event: string, at: number) =>
    hopRow({ hop: "app_open", store_id: store, event_id: event }, at);
  const envelope = (id: string, rows: HopRow[], at: number) => ({
    id,
    sentAt: at,
    again: false,
    rows,
  });

  it("a repeat written 6 days after the first and counted 6 days late (12 days on): counts nothing", async () => {
    const cfg = await testConfig();
    const store = "st_rt_late_once_repeat";
    const week = Math.floor(Date.parse("2031-09-01T00:00:00Z") / ONCE_WEEK_MS) + 1;
    const first = week * ONCE_WEEK_MS - HOUR; // an hour before the week turns
    await ingestHops(
      testEnv,
      cfg,
      [envelope("rt-late-once-1", [open(store, "ev_rt_late_1", first)], first)],
      first,
    );
    const later = first + 12 * DAY;
    await cronUntil(first + HOUR, later);
    const repeat = open(store, "ev_rt_late_1", first + 6 * DAY);
    await ingestHops(testEnv, cfg, [envelope("rt-late-once-2", [repeat], later)], later);
    expect(await rolledUp("app_open", "store_id = ?", store)).toBe(1);
  });

  it("a copy counted more than a week after it happened, once forgotten, is kept in the dead letters, and replay says why", async () => {
    const cfg = await testConfig();
    const store = "st_rt_late_once_refused";
    // In the past: the replay below counts at the real time.
    const week = Math.floor(Date.now() / ONCE_WEEK_MS) - 4;
    const first = week * ONCE_WEEK_MS - HOUR;
    const row = open(store, "ev_rt_late_2", first);
    await ingestHops(testEnv, cfg, [envelope("rt-late-once-3", [row], first)], first);
    // 16 days on, the week it was counted in is forgotten.
    const later = first + 16 * DAY;
    await cronUntil(first + HOUR, later);
    // The same event in a later envelope (a backlog): whether it was counted is no longer known.
    const scanRow = scan(store, first);
    const result = await ingestHops(
      testEnv,
      cfg,
      [envelope("rt-late-once-4", [row, scanRow], later)],
      later,
    );
    expect(await rolledUp("app_open", "store_id = ?", store)).toBe(1);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
    expect(result.refused).toEqual([
      { id: "late:ev_rt_late_2", reason: expect.stringMatching(/once-only/) },
    ]);
    const letter = await testEnv.DB.prepare(
      "SELECT queue, error, replayed_at FROM dead_letters WHERE id = ?",
    )
      .bind("late:ev_rt_late_2")
      .first();
    expect(letter).toEqual({
      queue: "late",
      error: expect.stringMatching(/once-only event ev_rt_late_2/),
      replayed_at: null,
    });
    const res = await replay(["late:ev_rt_late_2"]);
    expect(await res.json()).toEqual({
      replayed: 0,
      skipped: [
        {
          id: "late:ev_rt_late_2",
          reason: expect.stringMatching(/^once-only event ev_rt_late_2 /),
        },
      ],
    });
    expect(await rolledUp("app_open", "store_id = ?", store)).toBe(1);
    expect(
      await scalar(
        "SELECT COUNT(*) FROM dead_letters WHERE id LIKE 'late:%' AND replayed_at IS NULL",
      ),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe("redteam: the fourth once-only table forgets nothing when it arrives", () => {
  it("a table still holding a recent week under three slots keeps its rows; one four weeks old is emptied", async () => {
    const db = testEnv.DB;
    const week = Math.floor(Date.parse("2033-05-01T00:00:00Z") / ONCE_WEEK_MS);
    const now = week * ONCE_WEEK_MS + DAY;
    const next = (week + 1) % 4;
    // Slotted by week mod 3 before 0015, the table next week takes under four slots may hold
    // last week's events.
    await db.batch([
      db
        .prepare("INSERT OR REPLACE INTO hop_once_weeks (slot, week) VALUES (?, ?)")
        .bind(next, week - 1),
      db
        .prepare(`INSERT INTO hop_once_${next} (event_id, at) VALUES ('ev_rt_slot_recent', ?)`)
        .bind(now - 6 * DAY),
    ]);
    expect(await prepareOnceSlot(db, now)).toBe(false);
    expect(
      await scalar(`SELECT COUNT(*) FROM hop_once_${next} WHERE event_id = 'ev_rt_slot_recent'`),
    ).toBe(1);
    expect(await scalar("SELECT week FROM hop_once_weeks WHERE slot = ?", next)).toBe(week + 1);
    // Four weeks on, the same table is next again: its week is past memory, so it is emptied.
    expect(await prepareOnceSlot(db, now + 4 * ONCE_WEEK_MS)).toBe(true);
    expect(await scalar(`SELECT COUNT(*) FROM hop_once_${next}`)).toBe(0);
  });
});
