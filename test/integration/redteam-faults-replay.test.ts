// Red team, dead-letter replay under partial failures (this file is on fresh storage: it runs
// the cron days ahead). A replay counts its letters and then marks them replayed; when D1 fails
// between the two (the mark refused, or the count's answer lost), the letter still looks
// unreplayed and the operator replays it again — maybe days later, once the day-long ledger of
// counted batches has forgotten the first count. It must count nothing twice.
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { replayDeadLetters } from "../../src/store/dead-letters";
import { newHopId } from "../../src/store/hop-ids";
import { runMaintenance } from "../../src/store/maintenance";
import { type D1Fault, faultyD1 } from "../support/faulty-bindings";
import { replayLetters } from "./helpers";
import { hopRow, rolledUp, runQueue, scalar, testConfig, testEnv } from "./hop-helpers";

const DAY = 86_400_000;

/** A writer's request of two scans of `store`, the second's detail over the bound (set aside). */
function request(store: string, at: number): { id: string; rows: HopRow[] } {
  const good = hopRow({ hop: "scanned", store_id: store, platform: "ios" }, at, "10.9.0.1");
  const big = hopRow({ hop: "scanned", store_id: store, platform: "ios" }, at + 1, "10.9.0.2");
  big.detail = JSON.stringify({ x: "y".repeat(5000) });
  return { id: newHopId(at), rows: [good, big] };
}

// Which D1 call of the first replay fails: the batch that marks the letters replayed (refused),
// or the count's own transaction (committed, its answer lost).
const FAULTS: [string, (sqls: string[]) => D1Fault][] = [
  [
    "the mark refused",
    (sqls) => (sqls.some((s) => s.includes("SET replayed_at")) ? "before" : null),
  ],
  [
    "the count committed, its answer lost",
    (sqls) => (sqls.some((s) => s.startsWith("INSERT INTO hop_batches")) ? "after" : null),
  ],
];

describe("redteam-faults: a replay that failed after counting, replayed again", () => {
  it.each(FAULTS)("%s; replayed again two days later: counted once", async (name, fault) => {
    const store = `st_rf_replay_${name.split(" ")[1]}`;
    const now = Date.now();
    const { id, rows } = request(store, now - 60_000);
    const msg = { id: `q-${id}`, timestamp: new Date(now - 60_000), attempts: 1 };
    await runQueue("qrbridge-hops", [{ ...msg, body: { t: "hops", id, rows } }]);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
    const letter = `${id}:1`;
    expect(await scalar("SELECT COUNT(*) FROM dead_letters WHERE id = ?", letter)).toBe(1);

    const db = faultyD1(testEnv.DB, { batch: (sqls) => fault(sqls) });
    await expect(
      replayDeadLetters({ ...testEnv, DB: db }, await testConfig(), [letter], now),
    ).rejects.toThrow(/injected/);
    // The repaired row counted; the letter still waits, as far as the operator can see.
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(2);
    const waiting = "SELECT COUNT(*) FROM dead_letters WHERE id = ? AND replayed_at IS NULL";
    expect(await scalar(waiting, letter)).toBe(1);

    // The hourly cron runs on; two days later the operator replays the letter again.
    expect((await runMaintenance(testEnv, await testConfig(), now + 2 * DAY)).failedSteps).toEqual(
      [],
    );
    expect(await replayLetters([letter])).toEqual({ replayed: 1, skipped: [] });
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(2);
    expect(await scalar(waiting, letter)).toBe(0);
  });
});

describe("redteam-faults: a dead letter replayed while another copy of its message is counted", () => {
  it.each([0, 1, 2, 3])(
    "round %i: the DLQ'd message replayed as its resent copy is consumed, the first replay's answer lost: counted once",
    async (round) => {
      const store = `st_rf_replay_race_${round}`;
      const now = Date.now();
      const { id } = request(store, now - 60_000);
      const rows = [0, 1].map((i) =>
        hopRow(
          { hop: "scanned", store_id: store, platform: "ios" },
          now - 60_000 + i,
          `10.9.1.${i}`,
        ),
      );
      const sent = { timestamp: new Date(now - 60_000), attempts: 1 };
      // The first copy dead-lettered (D1 down for its retries), uncounted.
      await runQueue("qrbridge-hops-dlq", [
        { id: `q1-${id}`, ...sent, body: { t: "hops", id, rows } },
      ]);
      const copy = { id: `q2-${id}`, ...sent, body: { t: "hops", id, again: true, rows } };
      const lossy = faultyD1(testEnv.DB, {
        batch: (sqls) =>
          sqls.some((s) => s.startsWith("INSERT INTO hop_batches")) ? "after" : null,
      });
      const config = await testConfig();
      const replay = () =>
        replayDeadLetters({ ...testEnv, DB: lossy }, config, [`q1-${id}`], now).then(
          () => "replayed",
          (err: Error) => err.message,
        );
      const consume = () => runQueue("qrbridge-hops", [copy]);
      const [first] =
        round % 2
          ? await Promise.all([replay(), consume()])
          : (await Promise.all([consume(), replay()])).reverse();
      // The replay either counted (answer lost) or found the copy counted (nothing to lose).
      expect(first).toMatch(/^replayed$|injected failure \(after batch/);
      expect(await rolledUp("scanned", "store_id = ?", store)).toBe(2);
      // The operator replays whatever still waits.
      const waiting = await scalar(
        "SELECT COUNT(*) FROM dead_letters WHERE id = ? AND replayed_at IS NULL",
        `q1-${id}`,
      );
      if (waiting) expect(await replayLetters([`q1-${id}`])).toEqual({ replayed: 1, skipped: [] });
      expect(await rolledUp("scanned", "store_id = ?", store)).toBe(2);
    },
  );
});
