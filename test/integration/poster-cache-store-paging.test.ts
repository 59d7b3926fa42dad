// A store's rename or time zone change drops its posters' cache entries again 10 s later in a
// queue consumer (store/poster-redrop.ts). A supermarket's flagship with a code on every shelf
// has more posters than one invocation may delete: the consumer pages the store's posters, a
// page a message, each page after the first carried in a new message with its cursor. Attacked
// as a busy day would: 1,200 posters all written back by racing scans, posters deleted under the
// cursor between pages, several stores' drops in one batch, and what each page reads from D1.
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { posterCacheKey } from "../../src/store/poster-cache";
import { DROP_BUDGET, isPosterDrop } from "../../src/store/poster-redrop";
import { updateStore } from "../../src/store/stores";
import { Meter, meterEnv } from "../support/meter";
import { runQueue } from "./hop-helpers";
import { delivered, type RecordingQueue, seedPosters, withQueue } from "./poster-drop-helpers";
import { env, makeStore } from "./poster-helpers";

/** Poster ids of their own for each test (the file's storage is shared with other files). */
const uniqueTag = () => crypto.randomUUID().slice(0, 6);

const STALE = JSON.stringify({ v: 3, p: null });

/** Racing scans in other isolates writing their old entries back, after the request's drop. */
const writeBack = (ids: string[]) =>
  Promise.all(ids.map((id) => env.CACHE.put(posterCacheKey(id), STALE)));

const cachedOf = async (tag: string) =>
  (await env.CACHE.list({ prefix: posterCacheKey(tag) })).keys.map((k) => k.name.slice(7));

/**
 * Deliver what `queue` holds to the Worker's queue handler, each round one invocation with its
 * own meter scope, until nothing more is sent; returns each invocation's counts.
 */
async function drain(
  queue: RecordingQueue,
  queued: Env,
  between?: (round: number) => Promise<void>,
) {
  const meter = new Meter();
  const rounds: { deletes: number; rowsRead: number; queries: number; messages: number }[] = [];
  for (let round = 0; round < 10 && queue.sent.length > 0; round++) {
    const bodies = queue.take().map((s) => s.body);
    const scope = `round${round}`;
    const result = await runQueue(
      "qrbridge-webhooks",
      delivered(bodies, 1, scope),
      meterEnv(queued, meter, scope),
    );
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks.sort()).toEqual(bodies.map((_, i) => `${scope}-${i}`).sort());
    const c = meter.snapshot();
    rounds.push({
      deletes: c[`${scope}:kv.delete`] ?? 0,
      rowsRead: c[`${scope}:d1.rows_read`] ?? 0,
      queries: c[`${scope}:d1.query`] ?? 0,
      messages: bodies.length,
    });
    await between?.(round);
  }
  expect(queue.sent).toEqual([]);
  const aside = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM dead_letters WHERE id LIKE 'round%'",
  ).first<{ n: number }>();
  expect(aside?.n).toBe(0);
  return rounds;
}

const LA = { time_zone: "America/Los_Angeles" };

describe("a store with more posters than one invocation may drop", () => {
  it("a 1,200-poster store's zone change drops every entry again, a page an invocation", async () => {
    const store = (await makeStore("Flagship", { time_zone: "Asia/Tokyo" })).id;
    const tag = `zp${uniqueTag()}`;
    const ids = await seedPosters(store, tag, 1200);
    const { queue, env: queued } = withQueue();
    await updateStore(queued, store, LA);
    // One message for the whole store, whatever its size: the store, no ids, delayed 10 s.
    expect(queue.sent).toEqual([{ body: { t: "poster-drop", store }, delaySeconds: 10 }]);
    // Every poster scanned in another isolate during the change: all 1,200 old entries back.
    await writeBack(ids);
    const rounds = await drain(queue, queued);
    // Before the paging, the message named the 500 the request dropped: 700 stayed 300 s.
    expect(await cachedOf(tag)).toEqual([]);
    expect(rounds.map((r) => r.deletes)).toEqual([500, 500, 200]);
    expect(rounds.map((r) => r.messages)).toEqual([1, 1, 1]);
    expect(rounds.map((r) => r.queries)).toEqual([1, 1, 1]);
    for (const r of rounds) expect(r.deletes).toBeLessThanOrEqual(DROP_BUDGET);
    // Each page reads its own rows: one more to know there are more (or the index entry past
    // the store's last), one more for the seek to the cursor; the third no more than the first:
    // the (store_id, created_at, id) index serves the cursor. Paged by `id > ? ORDER BY id`
    // instead, each page would read all 1,200 rows and sort them.
    for (const r of rounds) {
      expect(r.rowsRead).toBeGreaterThanOrEqual(r.deletes);
      expect(r.rowsRead).toBeLessThanOrEqual(r.deletes + 2);
    }
  }, 60_000);

  it("posters deleted between pages: the cursor holds, those ahead of it are dropped too, none missed", async () => {
    const store = (await makeStore("Flagship", { time_zone: "Asia/Tokyo" })).id;
    const tag = `zd${uniqueTag()}`;
    const ids = await seedPosters(store, tag, 1100);
    const { queue, env: queued } = withQueue();
    await updateStore(queued, store, LA);
    await writeBack(ids);
    // The first page ended at the 500th poster (its cursor); it and one of the next page are
    // deleted before the carried message runs, their entries written back (as a DELETE's own
    // drop would leave them to its own second drop).
    const gone = [ids[499]!, ids[700]!];
    const rounds = await drain(queue, queued, async (round) => {
      if (round !== 0) return;
      expect(queue.sent.map((s) => s.body.after?.id)).toEqual([ids[499]]);
      await env.DB.prepare("UPDATE posters SET deleted_at = updated_at + 1 WHERE id IN (?, ?)")
        .bind(...gone)
        .run();
      await writeBack(gone);
    });
    // A deleted poster's code still answers, naming the store: the one ahead of the cursor is
    // dropped as well. The cursor's own, written back after its page, is its DELETE's own second
    // drop's to clear; deleted, it still marks where the next page starts.
    expect(await cachedOf(tag)).toEqual([ids[499]]);
    expect(rounds.map((r) => r.deletes)).toEqual([500, 500, 100]);
  }, 60_000);

  it("several stores' drops in one batch share one invocation's budget; the rest go on", async () => {
    const stores = await Promise.all(["A", "B", "C"].map((n) => makeStore(`Branch ${n}`)));
    const tag = `zs${uniqueTag()}`;
    const ids: string[] = [];
    for (const [i, s] of stores.entries())
      ids.push(...(await seedPosters(s.id, `${tag}${i}`, 300)));
    await writeBack(ids);
    const { queue, env: queued } = withQueue();
    for (const s of stores)
      queue.sent.push({ body: { t: "poster-drop", store: s.id }, delaySeconds: 10 });
    const rounds = await drain(queue, queued, async (round) => {
      if (round !== 0) return;
      // A: done (300). B: 200 deleted, goes on after its 200th. C: untouched, carried as it was.
      expect(queue.sent.map((s) => s.body)).toEqual([
        {
          t: "poster-drop",
          store: stores[1]!.id,
          after: expect.objectContaining({ id: `${tag}10199` }),
        },
        { t: "poster-drop", store: stores[2]!.id },
      ]);
      expect(queue.sent.map((s) => s.delaySeconds)).toEqual([0, 0]);
    });
    expect(await cachedOf(tag)).toEqual([]);
    expect(rounds.map((r) => [r.deletes, r.queries])).toEqual([
      [500, 2],
      [400, 2],
    ]);
  }, 60_000);
});

describe("the drop message", () => {
  it("names a store and, when carried, where to go on; anything else is not one", () => {
    expect(isPosterDrop({ t: "poster-drop", store: "st_a" })).toBe(true);
    expect(
      isPosterDrop({ t: "poster-drop", store: "st_a", after: { created_at: 1, id: "p1" } }),
    ).toBe(true);
    for (const bad of [
      { t: "poster-drop", ids: ["p1"] },
      { t: "poster-drop", store: "" },
      { t: "poster-drop", store: "x".repeat(65) },
      { t: "poster-drop", store: "st_a", after: null },
      { t: "poster-drop", store: "st_a", after: { created_at: "1", id: "p1" } },
      { t: "poster-drop", store: "st_a", after: { created_at: 1.5, id: "p1" } },
      { t: "poster-drop", store: "st_a", after: { created_at: 1, id: 7 } },
      null,
    ])
      expect(isPosterDrop(bad)).toBe(false);
  });
});
