// Red team, the queue consumer under partial failures (fresh storage: the file counts the whole
// archive). One batch mixes good messages, a message with a poisonous row among good ones, and a
// message that is no hop message at all; each time one step fails differently — the letters'
// batch refused, the count's transaction refused or committed with its answer lost, R2 refusing
// the archive (or writing it and answering an error), the pending rows not cleared. The queue
// then redelivers what was retried, and the hourly cron runs: every good row is in the rollups,
// the archive and the export exactly once, and each bad thing is one dead letter.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import type { Env } from "../../src/env";
import { newHopId } from "../../src/store/hop-ids";
import { runMaintenance } from "../../src/store/maintenance";
import { type D1Faults, faultyD1, faultyR2 } from "../support/faulty-bindings";
import { exportLines, mintKey } from "./helpers";
import {
  archivedHops,
  hopRow,
  rolledUp,
  runQueue,
  scalar,
  testConfig,
  testEnv,
} from "./hop-helpers";

type Msg = { id: string; timestamp: Date; attempts: number; body: unknown };

/** Four writers' requests of `store` (7 good rows, 1 bad) and one message that is not hops. */
function batchOf(store: string, at: number): { messages: Msg[]; good: HopRow[] } {
  const scan = (i: number) =>
    hopRow(
      { hop: i % 3 ? "scanned" : "landing", store_id: store, poster_id: `${store}_p` },
      at + i,
      `ip-${store}-${i}`,
    );
  const good = Array.from({ length: 7 }, (_, i) => scan(i));
  const bad = { ...scan(99), hop: "teleported" };
  const bodies = [
    { t: "hops", id: newHopId(at), rows: good.slice(0, 2) },
    { t: "hops", id: newHopId(at), rows: good.slice(2, 3) },
    { t: "hops", id: newHopId(at), rows: [good[3], bad, good[4]] },
    { t: "hops", id: newHopId(at), rows: good.slice(5) },
    { t: "hopz", store },
  ];
  const messages = bodies.map((body, i) => ({
    id: `q-${store}-${i}`,
    timestamp: new Date(at),
    attempts: 1,
    body,
  }));
  return { messages, good };
}

/** The clock the Worker reads in these tests (a fixed instant, not the machine's). */
const NOW = Date.UTC(2026, 11, 7, 12);

const has = (sqls: string[], re: RegExp) => sqls.some((s) => re.test(s));
const ASIDE = /^INSERT OR IGNORE INTO dead_letters/;
const COMMIT = /^INSERT INTO hop_batches/;

const FAULTS: [string, { d1?: D1Faults; r2?: "refused" | "answer lost" }][] = [
  ["the letters' batch refused", { d1: { batch: (s) => (has(s, ASIDE) ? "before" : null) } }],
  ["the count's transaction refused", { d1: { batch: (s) => (has(s, COMMIT) ? "before" : null) } }],
  [
    "the count committed, its answer lost",
    { d1: { batch: (s) => (has(s, COMMIT) ? "after" : null) } },
  ],
  ["R2 refusing the archive", { r2: "refused" }],
  ["R2 writing the archive and answering an error", { r2: "answer lost" }],
  [
    "the pending rows not cleared",
    {
      d1: { statement: (sql) => (sql.startsWith("DELETE FROM hop_raw_pending") ? "before" : null) },
    },
  ],
];

describe("redteam-faults: a mixed batch, one step failing, then redelivery and the cron", () => {
  // The Worker's clock, injected: the batch a minute before it, the cron ten minutes after.
  beforeEach(() => void vi.useFakeTimers({ toFake: ["Date"], now: NOW }));
  afterEach(() => void vi.useRealTimers());

  it.each(FAULTS.map(([name, f], i) => [name, f, i] as const))(
    "%s: each good row once everywhere, each bad thing one letter",
    async (_name, fault, i) => {
      const store = `st_rf_consumer_${i}`;
      const at = NOW - 60_000;
      const { messages, good } = batchOf(store, at);
      const bucket = testEnv.HOP_ARCHIVE!;
      const db = fault.d1 ? faultyD1(testEnv.DB, fault.d1) : null;
      const r2 = fault.r2
        ? faultyR2(bucket, "put", (key) => key.startsWith("hops/"), {
            after: fault.r2 === "answer lost",
          })
        : null;
      const broken: Env = { ...testEnv, DB: db ?? testEnv.DB, HOP_ARCHIVE: r2 ?? bucket };
      let pending = messages;
      // The first delivery under the fault, then redeliveries until every message is settled.
      for (let round = 0; round < 4 && pending.length > 0; round++) {
        const result = await runQueue("qrbridge-hops", pending, round === 0 ? broken : testEnv);
        const retried = new Set(
          result.retryBatch.retry
            ? pending.map((m) => m.id)
            : result.retryMessages.map((m) => m.msgId),
        );
        pending = pending
          .filter((m) => retried.has(m.id))
          .map((m) => ({ ...m, attempts: m.attempts + 1 }));
      }
      expect(pending).toEqual([]);
      // The fault happened (to the first delivery only).
      expect(db?.calls.fired ?? r2?.fired).toBeGreaterThan(0);
      // Past the pending rows' grace: the cron archives what R2 did not take.
      expect(
        (await runMaintenance(testEnv, await testConfig(), NOW + 10 * 60_000)).failedSteps,
      ).toEqual([]);

      expect(await rolledUp("scanned", "store_id = ?", store)).toBe(
        good.filter((r) => r.hop === "scanned").length,
      );
      expect(await rolledUp("landing", "store_id = ?", store)).toBe(
        good.filter((r) => r.hop === "landing").length,
      );
      const ids = good.map((r) => r.event_id).sort();
      expect((await archivedHops({ store_id: store })).map((r) => r.event_id).sort()).toEqual(ids);
      const key = await mintKey("secret", ["stats:read"]);
      const day = new Date(at).toISOString().slice(0, 10);
      const exported = (await exportLines(`from=${day}&to=${day}&store_id=${store}`, key)).map(
        (l) => (JSON.parse(l) as { event_id: string }).event_id,
      );
      expect(exported.sort()).toEqual(ids);
      expect(await scalar("SELECT COUNT(*) FROM hop_raw_pending")).toBe(0);
      const letters = await testEnv.DB.prepare(
        "SELECT id FROM dead_letters WHERE body LIKE ? ORDER BY id",
      )
        .bind(`%${store}%`)
        .all<{ id: string }>();
      const bad = messages[2]!.body as { id: string };
      expect(letters.results.map((r) => r.id)).toEqual([`${bad.id}:1`, `q-${store}-4`].sort());
    },
  );
});
