import { describe, expect, it } from "vitest";
import type { HopName } from "../../src/core/hop-row";
import { call } from "./helpers";
import {
  archivedHops,
  eventually,
  failingBatchDb,
  hopMessages,
  hopRow,
  ingestViaQueue,
  rolledUp,
  runQueue,
  scalar,
  testEnv,
} from "./hop-helpers";

const HOPS: HopName[] = ["scanned", "landing", "app_open", "previewed", "converted"];

function rowsOn(day: string, n = 1000) {
  const at = Date.parse(`${day}T10:00:00Z`);
  return Array.from({ length: n }, (_, i) =>
    hopRow(
      {
        hop: HOPS[i % HOPS.length]!,
        store_id: `st_${i % 3}`,
        platform: i % 2 ? "ios" : "android",
        bot: i % 5 === 3,
      },
      at + i,
      `10.0.${i % 7}.1`,
    ),
  );
}

/** Every count of a day's rollups added up (people and bots). */
async function countedOn(day: string): Promise<number> {
  const { results } = await testEnv.DB.prepare("SELECT counts FROM hop_rollups WHERE day = ?")
    .bind(day)
    .all<{ counts: string }>();
  let n = 0;
  for (const r of results)
    for (const [k, v] of Object.entries(JSON.parse(r.counts) as Record<string, number>))
      if (!k.includes("~") && !k.includes("@")) n += v;
  return n;
}

describe("the hop consumer counts every hop exactly once", () => {
  it("1,000 hops → counted 1,000 times in a handful of rollup rows, archived once each", async () => {
    await ingestViaQueue(rowsOn("2021-03-01"));
    expect(await countedOn("2021-03-01")).toBe(1000);
    // 200 of each hop, in one row per store (platforms folded in) and one total row.
    expect(await rolledUp("scanned", "day = '2021-03-01'")).toBe(200);
    expect(await rolledUp("scanned@p:ios", "day = '2021-03-01'")).toBe(100);
    expect(await rolledUp("bot.previewed", "day = '2021-03-01'")).toBe(200);
    expect(await scalar("SELECT COUNT(*) FROM hop_rollups WHERE day = '2021-03-01'")).toBe(3);
    expect(await scalar("SELECT COUNT(*) FROM hop_rollups_total WHERE day = '2021-03-01'")).toBe(1);
    const archived = await archivedHops({ day: "2021-03-01" });
    expect(archived).toHaveLength(1000);
    expect(new Set(archived.map((r) => r.event_id)).size).toBe(1000);
  });

  it("the same batches delivered again (or in another grouping) count nothing twice", async () => {
    const rows = rowsOn("2021-03-02", 300);
    const snapshot = async () =>
      (
        await testEnv.DB.prepare(
          "SELECT * FROM hop_rollups WHERE day = '2021-03-02' ORDER BY 1, 2, 3, 4, 5, 6, 7",
        ).all()
      ).results;
    await ingestViaQueue(rows);
    const before = await snapshot();
    // Redelivered as queues do: same message ids, more attempts, other batches.
    const again = hopMessages(rows, 2).reverse();
    for (let i = 0; i < again.length; i += 70) {
      const r = await runQueue("qrbridge-hops", again.slice(i, i + 70));
      expect(r.explicitAcks).toHaveLength(Math.min(70, again.length - i));
    }
    expect(await snapshot()).toEqual(before);
    expect(await archivedHops({ day: "2021-03-02" })).toHaveLength(300);
    // A partly new batch (50 messages delivered again, 50 new) counts only the new messages.
    const fresh = rowsOn("2021-03-02", 50);
    await runQueue("qrbridge-hops", [...hopMessages(rows.slice(0, 50), 3), ...hopMessages(fresh)]);
    expect(await countedOn("2021-03-02")).toBe(350);
    expect(await archivedHops({ day: "2021-03-02" })).toHaveLength(350);
  });

  it("a bad row goes alone to the dead letters; the good rows of its message and batch count", async () => {
    const rows = rowsOn("2021-03-04", 30);
    const bad = { ...rows[0]!, referrer_host: "r".repeat(300) }; // what an old writer could send
    const messages = [
      {
        id: "mixed",
        timestamp: new Date(),
        attempts: 1,
        body: { t: "hops", rows: [bad, ...rows.slice(1, 10)] },
      },
      ...hopMessages(rows.slice(10)),
      { id: "poison", timestamp: new Date(), attempts: 1, body: { t: "nope" } },
    ];
    const result = await runQueue("qrbridge-hops", messages);
    expect(result.explicitAcks).toHaveLength(messages.length);
    expect(await countedOn("2021-03-04")).toBe(29);
    const dead = await testEnv.DB.prepare(
      "SELECT id, error FROM dead_letters WHERE id IN ('mixed:0', 'poison') ORDER BY id",
    ).all();
    expect(dead.results).toEqual([
      { id: "mixed:0", error: "referrer_host: longer than 200" },
      { id: "poison", error: "unknown message" },
    ]);
    // Replay repairs the row as today's writer would (the host cut to 200) and counts it once.
    const admin = (testEnv as unknown as { QB_ADMIN_KEY: string }).QB_ADMIN_KEY;
    const replay = (id: string) =>
      call("/v1/dead-letters/replay", { method: "POST", key: admin, json: { ids: [id] } });
    expect(await (await replay("mixed:0")).json()).toEqual({ replayed: 1, skipped: [] });
    expect(await countedOn("2021-03-04")).toBe(30);
    const [repaired] = await archivedHops({ event_id: bad.event_id });
    expect(repaired!.referrer_host).toHaveLength(200);
    expect((await (await replay("mixed:0")).json()) as object).toMatchObject({ replayed: 0 });
    expect(await countedOn("2021-03-04")).toBe(30);
  });

  it("a D1 failure retries the hop messages with backoff; nothing is counted, nothing lost", async () => {
    const rows = rowsOn("2021-03-03", 100);
    const broken = { ...testEnv, DB: failingBatchDb(testEnv.DB) };
    const first = await runQueue("qrbridge-hops", hopMessages(rows, 1), broken);
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages).toHaveLength(100);
    expect(new Set(first.delays)).toEqual(new Set([5]));
    const third = await runQueue("qrbridge-hops", hopMessages(rows, 3), broken);
    expect(new Set(third.delays)).toEqual(new Set([20]));
    const late = await runQueue("qrbridge-hops", hopMessages(rows, 12), broken);
    expect(new Set(late.delays)).toEqual(new Set([300]));
    expect(await countedOn("2021-03-03")).toBe(0);
    const ok = await runQueue("qrbridge-hops", hopMessages(rows, 4));
    expect(ok.explicitAcks).toHaveLength(100);
    expect(await countedOn("2021-03-03")).toBe(100);
  });

  it("the dead-letter consumer stores exhausted messages, and replay counts them", async () => {
    const rows = rowsOn("2021-04-05", 3);
    const result = await runQueue("qrbridge-hops-dlq", hopMessages(rows, 6));
    expect(result.ackAll).toBe(true);
    const stored = await testEnv.DB.prepare(
      "SELECT type, body, attempts FROM dead_letters WHERE queue = 'qrbridge-hops-dlq' AND id = ?",
    )
      .bind(`msg-${rows[0]!.event_id}`)
      .first<{ type: string; body: string; attempts: number }>();
    expect(stored?.type).toBe("hops");
    expect(stored?.attempts).toBe(6);
    expect(JSON.parse(stored!.body).rows[0].event_id).toBe(rows[0]!.event_id);
    expect(await countedOn("2021-04-05")).toBe(0);
    const admin = (testEnv as unknown as { QB_ADMIN_KEY: string }).QB_ADMIN_KEY;
    const ids = rows.map((r) => `msg-${r.event_id}`);
    const res = await call("/v1/dead-letters/replay", {
      method: "POST",
      key: admin,
      json: { ids },
    });
    expect(await res.json()).toEqual({ replayed: 3, skipped: [] });
    expect(await countedOn("2021-04-05")).toBe(3);
  });

  it("an app event counted by a concurrent consumer in the meantime is not counted again", async () => {
    // Recent: a once-only event older than a week is refused, not counted (store/hop-ingest.ts).
    const at = Date.now() - 60_000;
    const open = hopRow({ hop: "app_open", store_id: "st_race", event_id: "ev_race_open" }, at);
    await runQueue("qrbridge-hops", hopMessages([open]));
    // The same event again, in a new message, to a consumer whose first look at hop_once came
    // before the other consumer's commit (its read is made to find nothing).
    let hidden = false;
    const racing = new Proxy(testEnv.DB, {
      get(target, prop) {
        const value = Reflect.get(target, prop);
        if (prop !== "batch") return typeof value === "function" ? value.bind(target) : value;
        return async (statements: D1PreparedStatement[]) => {
          const results = await target.batch(statements);
          if (!hidden) {
            hidden = true;
            for (const r of results) r.results = [];
          }
          return results;
        };
      },
    });
    const again = { ...open, event_id: "ev_race_open" };
    const second = await runQueue(
      "qrbridge-hops",
      [
        {
          id: "race-2",
          timestamp: new Date(at + 5000),
          attempts: 1,
          body: { t: "hops", rows: [again] },
        },
      ],
      { ...testEnv, DB: racing },
    );
    expect(second.explicitAcks).toEqual(["race-2"]);
    expect(hidden).toBe(true);
    expect(await rolledUp("app_open", "store_id = 'st_race'")).toBe(1);
  });

  it("the real HOPS queue delivers what is sent to it", async () => {
    const rows = rowsOn("2021-03-06", 500);
    for (let i = 0; i < rows.length; i += 100)
      await testEnv.HOPS!.sendBatch(
        rows.slice(i, i + 100).map((row) => ({ body: { t: "hops", rows: [row] } })),
      );
    await eventually(async () => (await countedOn("2021-03-06")) === 500, "500 hops counted");
  });
});
