// Red team, rows set aside alone: a row the consumer refuses goes to the dead letters while the
// rest of its message counts, and replay counts it once repaired. A writer's message may reach
// the consumer as several copies (a send whose answer was lost, sent again; the spool): every
// copy carries the same bad row, and replaying every letter must still count it once. A whole
// message dead-lettered (D1 down for its retries) holds its bad rows too: its replay counts its
// good rows, and each bad row once, through that row's own letter.
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { newHopId } from "../../src/store/hop-ids";
import { drainSpool } from "../../src/store/spool-drain";
import { ADMIN_KEY, call } from "./helpers";
import { hopRow, rolledUp, runQueue, scalar, testConfig, testEnv } from "./hop-helpers";

const AT = Date.parse("2011-06-02T09:00:00Z");

/** A writer's request of two scans of `store`, the second's detail over the store's bound. */
function request(store: string): { id: string; rows: HopRow[] } {
  const good = hopRow({ hop: "scanned", store_id: store, platform: "ios" }, AT, "10.7.0.1");
  const big = hopRow({ hop: "scanned", store_id: store, platform: "ios" }, AT + 1, "10.7.0.2");
  big.detail = JSON.stringify({ x: "y".repeat(5000) });
  return { id: newHopId(AT), rows: [good, big] };
}

const copy = (id: string, body: unknown) => ({ id, timestamp: new Date(AT), attempts: 1, body });

/** Replay every unreplayed letter of the `store`'s rows, as an operator's "replay all". */
async function replayAll(store: string): Promise<unknown> {
  const { results } = await testEnv.DB.prepare(
    "SELECT id FROM dead_letters WHERE replayed_at IS NULL AND body LIKE ?",
  )
    .bind(`%${store}%`)
    .all<{ id: string }>();
  const res = await call("/v1/dead-letters/replay", {
    method: "POST",
    key: ADMIN_KEY,
    json: { ids: results.map((r) => r.id) },
  });
  expect(res.status).toBe(200);
  return res.json();
}

const letters = (store: string) =>
  scalar("SELECT COUNT(*) FROM dead_letters WHERE body LIKE ?", `%${store}%`);

describe("redteam: a bad row that came in several copies of its message", () => {
  it("the original and the writer's resent copy, each in its own batch: one letter, replay counts the row once", async () => {
    const store = "st_rt_aside_resent";
    const { id, rows } = request(store);
    await runQueue("qrbridge-hops", [copy("q-first", { t: "hops", id, rows })]);
    await runQueue("qrbridge-hops", [copy("q-again", { t: "hops", id, again: true, rows })]);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
    expect(await letters(store)).toBe(1);
    expect(await replayAll(store)).toEqual({ replayed: 1, skipped: [] });
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(2);
  });

  it("a copy through the queue and one spooled: one letter, replay counts the row once", async () => {
    const store = "st_rt_aside_spool";
    const { id, rows } = request(store);
    await runQueue("qrbridge-hops", [copy("q-queued", { t: "hops", id, rows })]);
    await testEnv.HOP_ARCHIVE!.put(
      `spool/${id}.json`,
      JSON.stringify({ t: "hops", id, again: true, rows }),
    );
    await drainSpool(testEnv, await testConfig(), AT + 60_000);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
    expect(await letters(store)).toBe(1);
    expect(await replayAll(store)).toEqual({ replayed: 1, skipped: [] });
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(2);
  });

  it("a letter replayed before the other copy arrives: the late copy adds no letter, nothing counts twice", async () => {
    const store = "st_rt_aside_late_copy";
    const { id, rows } = request(store);
    await runQueue("qrbridge-hops", [copy("q-early", { t: "hops", id, rows })]);
    expect(await replayAll(store)).toEqual({ replayed: 1, skipped: [] });
    await runQueue("qrbridge-hops", [copy("q-late", { t: "hops", id, again: true, rows })]);
    expect(await letters(store)).toBe(1);
    expect(
      await scalar(
        "SELECT COUNT(*) FROM dead_letters WHERE replayed_at IS NULL AND body LIKE ?",
        `%${store}%`,
      ),
    ).toBe(0);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(2);
  });
});

/** A D1 binding that refuses the consumer's counting (its batches of several statements) only. */
function countingRefused(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "batch")
        return (stmts: D1PreparedStatement[]) =>
          stmts.length > 1
            ? Promise.reject(new Error("D1_ERROR: injected failure"))
            : target.batch(stmts);
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("redteam: a whole message dead-lettered with a bad row among good ones", () => {
  it("a row no bound repairs: replay counts the good rows and keeps the bad one as its own letter", async () => {
    const store = "st_rt_aside_dlq_bad";
    const { id, rows } = request(store);
    const bad = { ...rows[1]!, hop: "teleported" };
    const body = { t: "hops", id, rows: [rows[0], bad] };
    await runQueue("qrbridge-hops-dlq", [{ ...copy("q-dlq-bad", body), attempts: 6 }]);
    const replay = (await replayAll(store)) as { replayed: number; skipped: { id: string }[] };
    expect(replay.replayed).toBe(1);
    expect(replay.skipped.map((s) => s.id)).toEqual([`${id}:1`]);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
    // The bad row waits in its own letter; replaying it again refuses it again.
    expect(await replayAll(store)).toMatchObject({ replayed: 0, skipped: [{ id: `${id}:1` }] });
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
  });

  it("a row a bound repairs, set aside by the consumer before D1 failed: replaying both letters counts it once", async () => {
    const store = "st_rt_aside_dlq_repair";
    const { id, rows } = request(store);
    const body = { t: "hops", id, rows };
    // The consumer set the bad row aside; counting failed (D1 down) until the message died.
    const env = { ...testEnv, DB: countingRefused(testEnv.DB) };
    await runQueue("qrbridge-hops", [copy("q-dying", body)], env);
    expect(await letters(store)).toBe(1);
    await runQueue("qrbridge-hops-dlq", [{ ...copy("q-dying", body), attempts: 6 }]);
    expect(await letters(store)).toBe(2);
    expect(await replayAll(store)).toEqual({ replayed: 2, skipped: [] });
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(2);
  });
});
