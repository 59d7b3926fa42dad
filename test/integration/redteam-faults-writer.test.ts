// Red team, the writer when every way answers an error after doing its work (fresh storage: it
// drains the whole spool). The queue takes each copy and throws, R2 writes the spool object and
// throws, D1 commits the direct write and loses its answer: the writer reports the hops shed, yet
// three queue copies, a spool object and a count exist. Consumed in any order, and the spool
// drained, the request's hops count once.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type HopInput, recordHop } from "../../src/store/hops";
import { drainSpool } from "../../src/store/spool-drain";
import { faultyD1, faultyR2 } from "../support/faulty-bindings";
import { archivedHops, rolledUp, runQueue, testConfig, testEnv } from "./hop-helpers";

type Taken = { id: string; timestamp: Date; attempts: number; body: unknown };

/** A queue that takes every message, then throws as a send whose answer was lost. */
function takingThenThrowing() {
  const taken: Taken[] = [];
  const queue = {
    send: async (body: unknown) => {
      taken.push({
        id: `q-${crypto.randomUUID()}`,
        timestamp: new Date(),
        attempts: 1,
        body: structuredClone(body),
      });
      throw new Error("Network connection lost.");
    },
  } as unknown as Queue;
  return { queue, taken };
}

const ORDERS: [string, (copies: Taken[]) => Taken[][]][] = [
  ["each copy alone, in sent order", (c) => c.map((m) => [m])],
  ["each copy alone, last first", (c) => [...c].reverse().map((m) => [m])],
  ["all copies in one batch", (c) => [c]],
];

describe("redteam-faults: every way of the writer ambiguous", () => {
  it.each(ORDERS.map(([name, order], i) => [name, order, i] as const))(
    "%s, the spool drained after: one scan, archived once",
    async (_name, order, i) => {
      const store = `st_rf_writer_${i}`;
      const { queue, taken } = takingThenThrowing();
      const bucket = faultyR2(testEnv.HOP_ARCHIVE!, "put", (key) => key.startsWith("spool/"), {
        after: true,
      });
      const db = faultyD1(testEnv.DB, {
        batch: (sqls) => (sqls[0]?.startsWith("INSERT INTO hop_batches") ? "after" : null),
      });
      const ctx = createExecutionContext();
      const env = { ...testEnv, HOPS: queue, HOP_ARCHIVE: bucket, DB: db };
      const input: HopInput = {
        kind: "poster",
        subject_id: store,
        hop: "scanned",
        store_id: store,
      };
      recordHop({ env, ctx, config: await testConfig(), request: null }, input);
      await waitOnExecutionContext(ctx);
      expect(taken).toHaveLength(3);
      expect(bucket.fired).toBe(1);
      expect(db.calls.fired).toBe(1);
      // The direct write counted it (its answer lost); the other copies arrive.
      expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
      for (const batch of order(taken)) {
        const r = await runQueue("qrbridge-hops", batch);
        expect(r.retryMessages).toEqual([]);
      }
      const drained = await drainSpool(testEnv, await testConfig(), Date.now());
      expect(drained.failed).toBeNull();
      expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
      // The direct write's object waits in D1 for the cron (its answer was lost before R2).
      const pending = await testEnv.DB.prepare(
        "SELECT COUNT(*) AS n FROM hop_raw_pending WHERE body LIKE ?",
      )
        .bind(`%${store}%`)
        .first<{ n: number }>();
      expect((await archivedHops({ store_id: store })).length + (pending?.n ?? 0)).toBe(1);
    },
  );
});
