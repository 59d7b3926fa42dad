// Red team, dead-letter replay on a busy day: the same letters replayed by three operators at
// once (or a double click) count once — and are reported replayed, and logged in the audit log,
// once, by the replay that marked them; the others skip them as already replayed. The three
// replays are held until each has done its work, so all three reach the marking together.
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { deadLetterStatement } from "../../src/store/dead-letter-store";
import { replayDeadLetters } from "../../src/store/dead-letters";
import { newHopId } from "../../src/store/hop-ids";
import { hopRow, rolledUp, scalar, testConfig, testEnv } from "./hop-helpers";

/** A D1 binding whose batch marking letters replayed waits until `parties` batches are waiting. */
function heldAtMarking(db: D1Database, parties: number): () => D1Database {
  const sqlOf = new WeakMap<object, string>();
  let waiting = 0;
  let open: () => void = () => {};
  const together = new Promise<void>((resolve) => {
    open = resolve;
  });
  return () =>
    new Proxy(db, {
      get(target, prop) {
        if (prop === "prepare")
          return (sql: string) => {
            const statement = target.prepare(sql);
            sqlOf.set(statement, sql);
            return statement;
          };
        if (prop === "batch")
          return async (statements: D1PreparedStatement[]) => {
            if (statements.some((s) => sqlOf.get(s)?.includes("dead_letters SET replayed_at"))) {
              if (++waiting === parties) open();
              await together;
            }
            return target.batch(statements);
          };
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
}

describe("the same dead letters replayed three times at once", () => {
  it("count once, are reported replayed once in all, and have one audit entry each", async () => {
    const store = `st_rtr_${crypto.randomUUID().slice(0, 8)}`;
    const now = Date.now();
    const letters = ["a", "b"].map((x) => `rtr-${store}-${x}`);
    for (const [i, letter] of letters.entries()) {
      const id = newHopId(now - 60_000 + i);
      const rows = [hopRow({ hop: "scanned", store_id: store }, now - 60_000, `10.61.0.${i}`)];
      await deadLetterStatement(testEnv.DB, "qrbridge-hops-dlq", {
        id: letter,
        body: { t: "hops", id, rows },
        attempts: 3,
        error: "retries exhausted",
        envelope: id,
      }).run();
    }
    const config = await testConfig();
    const db = heldAtMarking(testEnv.DB, 3);
    const by = { actor: "admin", via: "api" } as const;
    const reports = await Promise.all(
      [0, 1, 2].map(() =>
        replayDeadLetters({ ...testEnv, DB: db() } as Env, config, letters, now, by),
      ),
    );
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(2);
    // Each letter is reported replayed by one answer, and skipped by the two others.
    expect(reports.reduce((n, r) => n + r.replayed, 0)).toBe(2);
    for (const letter of letters) {
      const skipped = reports.flatMap((r) => r.skipped).filter((s) => s.id === letter);
      expect(skipped).toEqual([
        { id: letter, reason: "already replayed" },
        { id: letter, reason: "already replayed" },
      ]);
      const audit =
        "SELECT COUNT(*) FROM audit_log WHERE action = 'dead_letters.replay' AND subject_id = ?";
      expect(await scalar(audit, letter)).toBe(1);
    }
  });
});
