// Red team, the request side of hop counting: a queue send that throws is ambiguous — the
// message may have been enqueued all the same (a timeout, a connection reset after the queue
// took it). The writer then retries, spools to R2 or writes directly; whichever copies reach the
// consumer, and in whatever order, the request's hops count exactly once.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type HopInput, recordHop } from "../../src/store/hops";
import { runMaintenance } from "../../src/store/maintenance";
import { ADMIN_KEY, call } from "./helpers";
import { hopRow, rolledUp, runQueue, scalar, testConfig, testEnv } from "./hop-helpers";

const scanOf = (store: string): HopInput => ({
  kind: "poster",
  subject_id: store,
  hop: "scanned",
  store_id: store,
});

/**
 * A queue that takes every message it is given and then, for the first `failures` sends, throws
 * as a send whose answer was lost does. Returns the binding and what it took, as queue messages.
 */
function lossyQueue(failures: number) {
  const taken: { id: string; timestamp: Date; attempts: number; body: unknown }[] = [];
  const queue = {
    send: async (body: unknown) => {
      taken.push({
        id: `q-${crypto.randomUUID()}`,
        timestamp: new Date(),
        attempts: 1,
        body: structuredClone(body),
      });
      if (taken.length <= failures) throw new Error("Network connection lost.");
    },
  } as unknown as Queue;
  return { queue, taken };
}

/** Record `inputs` as one request would, with `env` overrides; resolves when its waitUntil is done. */
async function record(inputs: HopInput[], env: Partial<typeof testEnv>) {
  const ctx = createExecutionContext();
  const scope = { env: { ...testEnv, ...env }, ctx, config: await testConfig(), request: null };
  for (const input of inputs) recordHop(scope, input);
  await waitOnExecutionContext(ctx);
}

describe("redteam: an ambiguous queue send never counts a request twice", () => {
  it("a send that succeeds costs no resend bookkeeping", async () => {
    const store = "st_rt_plain";
    const { queue, taken } = lossyQueue(0);
    await record([scanOf(store)], { HOPS: queue });
    await runQueue("qrbridge-hops", taken);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
    expect(await scalar("SELECT COUNT(*) FROM hop_resent")).toBe(0);
  });

  it("the first send throws after the queue took it; the retry's copy too: counted once, whichever comes first", async () => {
    for (const order of ["sent order", "reversed"] as const) {
      const store = `st_rt_lost_answer_${order.replace(" ", "_")}`;
      const { queue, taken } = lossyQueue(1);
      await record([scanOf(store), scanOf(store)], { HOPS: queue });
      expect(taken).toHaveLength(2);
      const messages = order === "reversed" ? [...taken].reverse() : taken;
      for (const m of messages) await runQueue("qrbridge-hops", [m]);
      expect(await rolledUp("scanned", "store_id = ?", store)).toBe(2);
    }
  });

  it("both copies in one batch, and that batch delivered again: counted once", async () => {
    const store = "st_rt_lost_answer_batch";
    const { queue, taken } = lossyQueue(1);
    await record([scanOf(store)], { HOPS: queue });
    await runQueue("qrbridge-hops", taken);
    await runQueue(
      "qrbridge-hops",
      taken.map((m) => ({ ...m, attempts: 2 })),
    );
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
  });

  it("both copies in two batches consumed at the same moment: counted once", async () => {
    for (let round = 0; round < 5; round++) {
      const store = `st_rt_lost_concurrent_${round}`;
      const { queue, taken } = lossyQueue(1);
      await record([scanOf(store)], { HOPS: queue });
      const others = (n: number) =>
        Array.from({ length: n }, (_, i) => ({
          id: `q-other-${round}-${n}-${i}`,
          timestamp: new Date(),
          attempts: 1,
          body: {
            t: "hops",
            rows: [hopRow({ hop: "scanned", store_id: `${store}_other` }, Date.now(), `o${i}`)],
          },
        }));
      await Promise.all([
        runQueue("qrbridge-hops", [...others(3), taken[0]!]),
        runQueue("qrbridge-hops", [taken[1]!, ...others(2)]),
      ]);
      expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
      expect(await rolledUp("scanned", "store_id = ?", `${store}_other`)).toBe(5);
    }
  });

  it("every send throws after the queue took it: three copies queued and one spooled, counted once", async () => {
    const store = "st_rt_lost_all";
    const { queue, taken } = lossyQueue(3);
    await record([scanOf(store), scanOf(store), scanOf(store)], { HOPS: queue });
    expect(taken).toHaveLength(3);
    const spooled = await testEnv.HOP_ARCHIVE!.list({ prefix: "spool/" });
    expect(spooled.objects.length).toBeGreaterThan(0);
    // The cron sweeps the spool before the queue's copies arrive (a backlog), then they come.
    await runMaintenance(testEnv, await testConfig(), Date.now());
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(3);
    for (const m of taken) await runQueue("qrbridge-hops", [m]);
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(3);
  });

  it("the first copy dead-lettered (D1 down for its retries), the resent copy counted: replay counts nothing", async () => {
    const store = "st_rt_lost_dlq";
    const { queue, taken } = lossyQueue(1);
    await record([scanOf(store)], { HOPS: queue });
    const [original, resent] = taken;
    await runQueue("qrbridge-hops", [resent!]);
    await runQueue("qrbridge-hops-dlq", [{ ...original!, attempts: 6 }]);
    const replay = await call("/v1/dead-letters/replay", {
      method: "POST",
      key: ADMIN_KEY,
      json: { ids: [original!.id] },
    });
    expect(await replay.json()).toEqual({ replayed: 1, skipped: [] });
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
  });

  it("the original counted, the resent copy dead-lettered half an hour later: replay counts nothing", async () => {
    const store = "st_rt_resent_dlq";
    const { queue, taken } = lossyQueue(1);
    await record([scanOf(store)], { HOPS: queue });
    const [original, resent] = taken;
    await runQueue("qrbridge-hops", [original!]);
    await runQueue("qrbridge-hops-dlq", [{ ...resent!, attempts: 6 }]);
    // Its retries took half an hour before it was dead-lettered.
    await testEnv.DB.prepare(
      "UPDATE dead_letters SET received_at = received_at + 1800000 WHERE id = ?",
    )
      .bind(resent!.id)
      .run();
    const replay = await call("/v1/dead-letters/replay", {
      method: "POST",
      key: ADMIN_KEY,
      json: { ids: [resent!.id] },
    });
    expect(await replay.json()).toEqual({ replayed: 1, skipped: [] });
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
  });

  it("a direct write whose commit succeeded but whose answer was lost, then spooled: counted once", async () => {
    const store = "st_rt_direct_lost";
    const db = testEnv.DB;
    let first = true;
    const lossyDb = new Proxy(db, {
      get(target, prop) {
        if (prop === "batch")
          return async (stmts: D1PreparedStatement[]) => {
            const out = await target.batch(stmts);
            // The claim transaction (more than the read's three statements) commits, then the
            // connection drops before its answer.
            if (first && stmts.length > 3) {
              first = false;
              throw new Error("D1_ERROR: Network connection lost.");
            }
            return out;
          };
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    await record([scanOf(store)], { HOPS: undefined, DB: lossyDb });
    expect(first).toBe(false);
    await runMaintenance(testEnv, await testConfig(), Date.now());
    expect(await rolledUp("scanned", "store_id = ?", store)).toBe(1);
  });
});

describe("redteam: hops of one request are never attached to another", () => {
  it("two requests handled with one execution context (a host Worker fanning out) keep their own hops and IPs", async () => {
    const { queue, taken } = lossyQueue(0);
    const ctx = createExecutionContext();
    const cfg = await testConfig();
    const env = { ...testEnv, HOPS: queue };
    const req = (ip: string) =>
      new Request("https://qr.test/p/X", { headers: { "cf-connecting-ip": ip } });
    const a = { env, ctx, config: cfg, request: req("192.0.2.10") };
    const b = { env, ctx, config: cfg, request: req("192.0.2.20") };
    // In one turn, as two requests' handlers can interleave.
    recordHop(a, scanOf("st_rt_join_a"));
    recordHop(b, scanOf("st_rt_join_b"));
    recordHop(a, { ...scanOf("st_rt_join_a"), hop: "landing" });
    await waitOnExecutionContext(ctx);
    const bodies = taken.map(
      (m) => m.body as { rows: { store_id: string; ip_hash: string | null }[] },
    );
    expect(bodies.map((m) => m.rows.map((r) => r.store_id))).toEqual([
      ["st_rt_join_a", "st_rt_join_a"],
      ["st_rt_join_b"],
    ]);
    const [hashA, hashB] = bodies.map((m) => m.rows[0]!.ip_hash);
    expect(hashA).toBeTruthy();
    expect(hashB).toBeTruthy();
    expect(hashA).not.toBe(hashB);
  });
});
