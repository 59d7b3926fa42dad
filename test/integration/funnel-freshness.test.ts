// A funnel says how current it is (on fresh storage: it reads the whole pipeline's state): the
// newest counted request moves when a batch is counted and never back when an old backlog is
// counted after it; the requests the queue refused wait in the spool and show until the cron
// counts them; dead hop messages show until they are replayed; an empty deployment answers nulls;
// and what the block reads stays the same however much piles up.
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import {
  DEAD_LETTERS_CAP,
  type FunnelFreshness,
  SPOOL_CAP,
} from "../../src/store/funnel-freshness";
import { newHopId } from "../../src/store/hop-ids";
import { runMaintenance } from "../../src/store/maintenance";
import { count, metered } from "./budget-helpers";
import { consoleCall, editorSession } from "./console-helpers";
import { ADMIN_KEY, atClock, call, mintKey } from "./helpers";
import { hopRow, rolledUp, runQueue, testConfig, testEnv } from "./hop-helpers";

const MINUTE = 60_000;
// Every time in this file is an offset from one fixed instant, and every step that reads a
// clock runs under it (atClock, runMaintenance's `now`): nothing depends on when it runs.
const T0 = Date.parse("2026-11-02T09:00:00Z");

let statsKey: Promise<string> | null = null;
async function freshness(): Promise<FunnelFreshness> {
  statsKey ??= mintKey("secret", ["stats:read"]);
  const res = await call("/v1/stats/funnel", { key: await statsKey });
  expect(res.status).toBe(200);
  return ((await res.json()) as { freshness: FunnelFreshness }).freshness;
}

const scan = (store: string, at: number, i = 0) =>
  hopRow({ hop: "scanned", store_id: store }, at, `10.77.${i >> 8}.${i & 255}`);

/** One request's hops as the writer queues them (store/hops.ts): its id carries its time. */
function writerMessage(rows: HopRow[], at: number) {
  const id = newHopId(at);
  return { id: `msg-${id}`, timestamp: new Date(at), attempts: 1, body: { t: "hops", id, rows } };
}

/** The consumer counting one batch of requests made at `sent`, its clock at `countedAt`. */
async function countBatch(store: string, sent: number[], countedAt: number): Promise<void> {
  const messages = sent.map((at, i) => writerMessage([scan(store, at, i)], at));
  const result = await atClock(countedAt, () => runQueue("qrbridge-hops", messages));
  expect(result.explicitAcks.length).toBe(sent.length);
}

/** Requests the queue refused, as the writer spools them (`spool/<id>.json`). */
async function spool(store: string, times: number[]): Promise<void> {
  await Promise.all(
    times.map((at, i) => {
      const id = newHopId(at);
      const body = { t: "hops", id, again: true, rows: [scan(store, at, i)] };
      return testEnv.HOP_ARCHIVE!.put(`spool/${id}.json`, JSON.stringify(body));
    }),
  );
}

/** Hop messages whose retries ran out, as the dead-letter queue's consumer stores them. */
async function deadLetters(store: string, n: number, at: number): Promise<string[]> {
  const messages = Array.from({ length: n }, (_, i) => ({
    ...writerMessage([scan(store, at + i, i)], at + i),
    attempts: 6,
  }));
  await runQueue("qrbridge-hops-dlq", messages);
  return messages.map((m) => m.id);
}

describe("the funnel's freshness", () => {
  it("an empty deployment answers nulls and zeros, not an error", async () => {
    expect(await freshness()).toEqual({
      counted_through: null,
      last_counted_at: null,
      pending: {
        spool: { count: 0, more: false, oldest_at: null },
        dead_letters: { count: 0, more: false },
      },
    });
  });

  it("moves with each counted batch: the newest request counted, and when", async () => {
    await countBatch("st_fresh_a", [T0, T0 + 2_000, T0 + 1_000], T0 + 5_000);
    let f = await freshness();
    expect(f.counted_through).toBe(T0 + 2_000);
    expect(f.last_counted_at).toBe(T0 + 5_000);

    await countBatch("st_fresh_a", [T0 + 60_000], T0 + 61_000);
    f = await freshness();
    expect(f.counted_through).toBe(T0 + 60_000);
    expect(f.last_counted_at).toBe(T0 + 61_000);
  });

  it("a backlog of old requests counted later shows the gap and does not move counted_through back", async () => {
    // A retried message from 20 minutes before, counted now: the newest request counted is still
    // the one of the previous test, and the batch's time shows the consumer is behind.
    await countBatch("st_fresh_b", [T0 + 10_000], T0 + 20 * MINUTE);
    const f = await freshness();
    expect(f.counted_through).toBe(T0 + 60_000);
    expect(f.last_counted_at).toBe(T0 + 20 * MINUTE);
  });

  it("spooled requests show as pending, oldest first, and are gone once the cron has counted them", async () => {
    const store = "st_fresh_spool";
    const times = [T0 + 21 * MINUTE, T0 + 22 * MINUTE, T0 + 23 * MINUTE];
    await spool(store, times);
    let f = await freshness();
    expect(f.pending.spool).toEqual({ count: 3, more: false, oldest_at: times[0] });
    expect(f.counted_through).toBe(T0 + 60_000);

    const report = await runMaintenance(testEnv, await testConfig(), T0 + 25 * MINUTE);
    expect(report.spooledIngested).toBe(3);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(3);
    f = await freshness();
    expect(f.pending.spool).toEqual({ count: 0, more: false, oldest_at: null });
    expect(f.counted_through).toBe(times[2]);
    expect(f.last_counted_at).toBe(T0 + 25 * MINUTE);
  });

  it("dead hop messages show until they are replayed", async () => {
    const ids = await deadLetters("st_fresh_dead", 3, T0 + 26 * MINUTE);
    expect((await freshness()).pending.dead_letters).toEqual({ count: 3, more: false });
    const res = await atClock(T0 + 27 * MINUTE, () =>
      call("/v1/dead-letters/replay", { method: "POST", key: ADMIN_KEY, json: { ids } }),
    );
    expect(((await res.json()) as { replayed: number }).replayed).toBe(3);
    const f = await freshness();
    expect(f.pending.dead_letters).toEqual({ count: 0, more: false });
    // Counted now under their writer's ids: the newest of them is the newest request counted.
    expect(f.counted_through).toBe(T0 + 26 * MINUTE + 2);
    expect(await rolledUp("scanned", "store_id = ?", "st_fresh_dead")).toBe(3);
  });

  it("reads the same however much piles up: counts stop at their caps, with `more`", async () => {
    const key = await mintKey("secret", ["stats:read"]);
    const read = async () => {
      const [answer, counts] = await metered("/v1/stats/funnel", {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(answer.status).toBe(200);
      return { f: (JSON.parse(answer.body) as { freshness: FunnelFreshness }).freshness, counts };
    };
    await read(); // the key is cached from here on: its lookup reads rows only the first time
    const before = await read();
    await deadLetters("st_fresh_pile", DEAD_LETTERS_CAP + 50, T0 + 27 * MINUTE);
    await spool(
      "st_fresh_pile",
      Array.from({ length: SPOOL_CAP + 5 }, (_, i) => T0 + 28 * MINUTE + i),
    );
    const after = await read();
    expect(after.f.pending.dead_letters).toEqual({ count: DEAD_LETTERS_CAP, more: true });
    expect(after.f.pending.spool).toEqual({
      count: SPOOL_CAP,
      more: true,
      oldest_at: T0 + 28 * MINUTE,
    });
    // One R2 list either way; the dead letters' index is read up to its cap + 1, no further.
    expect(count(before.counts, "r2")).toBe(1);
    expect(count(after.counts, "r2")).toBe(1);
    const extra = count(after.counts, "d1.rows_read") - count(before.counts, "d1.rows_read");
    expect(extra).toBeGreaterThan(0);
    expect(extra).toBeLessThanOrEqual(DEAD_LETTERS_CAP + 1);
    const more = await deadLetters("st_fresh_pile_more", 200, T0 + 29 * MINUTE);
    expect(more.length).toBe(200);
    const later = await read();
    expect(count(later.counts, "d1.rows_read")).toBe(count(after.counts, "d1.rows_read"));
  });

  it("the console's funnel (/dashboard/api/funnel) carries the same block as the API", async () => {
    const { session: s } = await editorSession();
    const res = await consoleCall(s, "GET", "/funnel");
    expect(res.status).toBe(200);
    const dashboard = ((await res.json()) as { freshness: FunnelFreshness }).freshness;
    expect(dashboard).toEqual(await freshness());
    expect(dashboard.pending.dead_letters.more).toBe(true);
    expect(dashboard.counted_through).toBe(T0 + 26 * MINUTE + 2);
  });
});
