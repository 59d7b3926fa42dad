// Red team, letters of the consumer before the writer's id named them: a bad row of a hop
// message was set aside as `<queue message id>:<row index>`. A message whose counting then
// failed until it died reaches the dead letters whole, under that same queue message id, and its
// replay today sets each bad row aside as `<writer's id>:<row index>`. Replaying the old letter
// and the whole message (then the letter that replay made), in either order, counts the row once.
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { deadLetterStatement } from "../../src/store/dead-letter-store";
import { newHopId } from "../../src/store/hop-ids";
import { replayLetters } from "./helpers";
import { hopRow, rolledUp, runQueue, scalar, testEnv } from "./hop-helpers";

const AT = Date.parse("2011-06-03T09:00:00Z");

/** A writer's request of two scans of `store`, the second's detail over the store's bound. */
function request(store: string): { id: string; rows: HopRow[] } {
  const good = hopRow({ hop: "scanned", store_id: store, platform: "ios" }, AT, "10.8.0.1");
  const big = hopRow({ hop: "scanned", store_id: store, platform: "ios" }, AT + 1, "10.8.0.2");
  big.detail = JSON.stringify({ x: "y".repeat(5000) });
  return { id: newHopId(AT), rows: [good, big] };
}

/** The letter the consumer wrote for row 1 of queue message `msgId` before the writer's id named it. */
async function oldLetter(msgId: string, row: HopRow): Promise<void> {
  const body = { t: "hops", rows: [row] };
  const letter = { id: `${msgId}:1`, body, attempts: 1, error: "detail: too long" };
  await testEnv.DB.batch([deadLetterStatement(testEnv.DB, "qrbridge-hops", letter)]);
}

/** The message, dead-lettered whole after its retries (D1 down while counting). */
async function deadMessage(msgId: string, body: unknown): Promise<void> {
  const msg = { id: msgId, timestamp: new Date(AT), attempts: 6, body };
  await runQueue("qrbridge-hops-dlq", [msg]);
}

/** Replay every unreplayed letter of the `store`'s rows, as an operator's "replay all". */
async function replayAll(store: string) {
  const { results } = await testEnv.DB.prepare(
    "SELECT id FROM dead_letters WHERE replayed_at IS NULL AND body LIKE ?",
  )
    .bind(`%${store}%`)
    .all<{ id: string }>();
  return replayLetters(results.map((r) => r.id));
}

const unreplayed = (store: string) =>
  scalar(
    "SELECT COUNT(*) FROM dead_letters WHERE replayed_at IS NULL AND body LIKE ?",
    `%${store}%`,
  );

describe("redteam: a bad row's letter named by its queue message id, before the upgrade", () => {
  it("both letters replayed together: the good row and the bad one count once each", async () => {
    const store = "st_rt_old_aside_together";
    const { id, rows } = request(store);
    await oldLetter("q-old-1", rows[1]!);
    await deadMessage("q-old-1", { t: "hops", id, rows });
    // An operator replays all, then whatever that replay set aside, until nothing is left.
    for (let round = 0; round < 3 && (await unreplayed(store)) > 0; round++) await replayAll(store);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(2);
    expect(await unreplayed(store)).toBe(0);
    // One round did it: no new letter for the row its old letter already held.
    expect(await scalar("SELECT COUNT(*) FROM dead_letters WHERE body LIKE ?", `%${store}%`)).toBe(
      2,
    );
  });

  it("the whole message first, the old letter a day later: each row counts once", async () => {
    const store = "st_rt_old_aside_whole_first";
    const { id, rows } = request(store);
    await oldLetter("q-old-2", rows[1]!);
    await deadMessage("q-old-2", { t: "hops", id, rows });
    // The report points at the letter that holds the row: the old one.
    const report = await replayLetters(["q-old-2"]);
    expect(report.replayed).toBe(1);
    expect(report.skipped.map((s) => s.id)).toEqual(["q-old-2:1"]);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
    expect(await replayAll(store)).toEqual({ replayed: 1, skipped: [] });
    expect(await unreplayed(store)).toBe(0);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(2);
  });

  it("the old letter first, the whole message after: each row counts once", async () => {
    const store = "st_rt_old_aside_letter_first";
    const { id, rows } = request(store);
    await oldLetter("q-old-3", rows[1]!);
    await deadMessage("q-old-3", { t: "hops", id, rows });
    expect(await replayLetters(["q-old-3:1"])).toEqual({ replayed: 1, skipped: [] });
    expect(await replayLetters(["q-old-3"])).toEqual({ replayed: 1, skipped: [] });
    expect(await unreplayed(store)).toBe(0);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(2);
  });

  it("a row no bound repairs, under its old letter: the whole message's replay names that letter", async () => {
    const store = "st_rt_old_aside_unrepairable";
    const { id, rows } = request(store);
    const bad = { ...rows[1]!, hop: "teleported" } as unknown as HopRow;
    await oldLetter("q-old-4", bad);
    await deadMessage("q-old-4", { t: "hops", id, rows: [rows[0], bad] });
    const report = await replayLetters(["q-old-4"]);
    expect(report.replayed).toBe(1);
    expect(report.skipped.map((s) => s.id)).toEqual(["q-old-4:1"]);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
    // One letter waits for the row, the old one; no second one under the writer's id.
    expect(await scalar("SELECT COUNT(*) FROM dead_letters WHERE id = ?", `${id}:1`)).toBe(0);
    expect(await unreplayed(store)).toBe(1);
  });
});
