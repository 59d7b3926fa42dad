import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { optionsFromEnv, resolveConfig } from "../../src/config";
import { type HopName, recordHop } from "../../src/store/hops";
import {
  failingBatchDb,
  hopMessages,
  hopRow,
  ingestViaQueue,
  runQueue,
  scalar,
  testEnv,
  waitFor,
} from "./hop-helpers";

const HOPS: HopName[] = ["scanned", "landing", "app_open", "previewed", "converted"];

async function thousandRows(day: string) {
  const at = Date.parse(`${day}T10:00:00Z`);
  return Promise.all(
    Array.from({ length: 1000 }, (_, i) =>
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
    ),
  );
}

const rowsOn = (day: string) => scalar("SELECT COUNT(*) FROM hops WHERE day = ?", day);
const rolledOn = (day: string) =>
  scalar("SELECT IFNULL(SUM(count), 0) FROM hop_daily WHERE day = ?", day);

describe("hops through the queue consumer", () => {
  it('multi-row messages ({t: "hops", rows}) as the outbox sends them: every row, once', async () => {
    const rows = (await thousandRows("2021-04-05")).slice(0, 200);
    const messages = Array.from({ length: 10 }, (_, i) => ({
      id: `multi-${i}`,
      timestamp: new Date(rows[i * 20]!.at),
      attempts: 1,
      body: { t: "hops", rows: rows.slice(i * 20, i * 20 + 20) },
    }));
    const result = await runQueue("qrbridge-hops", messages);
    expect(result.explicitAcks).toHaveLength(10);
    await runQueue("qrbridge-hops", messages); // redelivered
    expect(await rowsOn("2021-04-05")).toBe(200);
    expect(await rolledOn("2021-04-05")).toBe(200);
  });

  it("a multi-row message with one bad row is set aside whole, the rest of the batch lands", async () => {
    const rows = (await thousandRows("2021-04-06")).slice(0, 30);
    const bad = { ...rows[0]!, hop: "teleported" };
    const result = await runQueue("qrbridge-hops", [
      { id: "good", timestamp: new Date(), attempts: 1, body: { t: "hops", rows: rows.slice(1) } },
      { id: "bad", timestamp: new Date(), attempts: 1, body: { t: "hops", rows: [bad] } },
    ]);
    expect(result.explicitAcks.sort()).toEqual(["bad", "good"]);
    expect(await rowsOn("2021-04-06")).toBe(29);
    expect(
      await scalar(
        "SELECT COUNT(*) FROM dead_letters WHERE id = 'bad' AND error = 'invalid hop row'",
      ),
    ).toBe(1);
  });

  it("1,000 hops → exactly 1,000 rows, counted once in the rollups", async () => {
    const rows = await thousandRows("2021-03-01");
    await ingestViaQueue(rows);
    expect(await rowsOn("2021-03-01")).toBe(1000);
    expect(await rolledOn("2021-03-01")).toBe(1000);
    // 200 of each hop; per-store split adds up.
    expect(
      await scalar(
        "SELECT SUM(count) FROM hop_daily WHERE day = ? AND hop = 'scanned'",
        "2021-03-01",
      ),
    ).toBe(200);
    expect(
      await scalar("SELECT COUNT(DISTINCT store_id) FROM hop_daily WHERE day = ?", "2021-03-01"),
    ).toBe(3);
  });

  it("the same batches delivered twice → still 1,000 rows and unchanged rollups", async () => {
    const rows = await thousandRows("2021-03-02");
    const rollup = async () =>
      (
        await testEnv.DB.prepare(
          "SELECT hop, store_id, platform, bot, count FROM hop_daily WHERE day = ? ORDER BY 1, 2, 3, 4",
        )
          .bind("2021-03-02")
          .all()
      ).results;
    await ingestViaQueue(rows);
    const before = await rollup();
    expect(before.length).toBeGreaterThan(10);
    await ingestViaQueue(rows);
    expect(await rowsOn("2021-03-02")).toBe(1000);
    expect(await rollup()).toEqual(before);
    // A partly new batch (50 old rows + 50 new ones) counts only the new ones.
    const fresh = (await thousandRows("2021-03-02")).slice(0, 50);
    const result = await runQueue("qrbridge-hops", hopMessages([...rows.slice(0, 50), ...fresh]));
    expect(result.explicitAcks).toHaveLength(100);
    expect(await rowsOn("2021-03-02")).toBe(1050);
    expect(await rolledOn("2021-03-02")).toBe(1050);
  });

  it("a D1 failure retries the whole batch with backoff, and nothing is lost", async () => {
    const rows = (await thousandRows("2021-03-03")).slice(0, 100);
    const broken = { ...testEnv, DB: failingBatchDb(testEnv.DB) };
    const first = await runQueue("qrbridge-hops", hopMessages(rows, 1), broken);
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages).toHaveLength(100);
    expect(new Set(first.delays)).toEqual(new Set([5]));
    const third = await runQueue("qrbridge-hops", hopMessages(rows, 3), broken);
    expect(third.retryMessages).toHaveLength(100);
    expect(new Set(third.delays)).toEqual(new Set([20]));
    const late = await runQueue("qrbridge-hops", hopMessages(rows, 12), broken);
    expect(new Set(late.delays)).toEqual(new Set([300]));
    expect(await rowsOn("2021-03-03")).toBe(0);
    // D1 is back: the redelivered batch writes everything.
    const ok = await runQueue("qrbridge-hops", hopMessages(rows, 4));
    expect(ok.retryMessages).toEqual([]);
    expect(ok.explicitAcks).toHaveLength(100);
    expect(await rowsOn("2021-03-03")).toBe(100);
    expect(await rolledOn("2021-03-03")).toBe(100);
  });

  it("a malformed message goes to dead_letters and does not block its batch", async () => {
    const rows = (await thousandRows("2021-03-04")).slice(0, 10);
    const messages = [
      ...hopMessages(rows),
      { id: "poison-1", timestamp: new Date(), attempts: 1, body: { t: "hop", row: { hop: "x" } } },
      { id: "poison-2", timestamp: new Date(), attempts: 1, body: { t: "nope" } },
    ];
    const result = await runQueue("qrbridge-hops", messages);
    expect(result.explicitAcks).toHaveLength(12);
    expect(await rowsOn("2021-03-04")).toBe(10);
    const dead = await testEnv.DB.prepare(
      "SELECT id, error FROM dead_letters WHERE id IN ('poison-1', 'poison-2') ORDER BY id",
    ).all();
    expect(dead.results).toEqual([
      { id: "poison-1", error: "invalid hop row" },
      { id: "poison-2", error: "unknown message" },
    ]);
  });

  it("the dead-letter consumer stores exhausted messages for replay", async () => {
    const rows = (await thousandRows("2021-04-05")).slice(0, 3);
    const result = await runQueue("qrbridge-hops-dlq", hopMessages(rows, 6));
    expect(result.ackAll).toBe(true);
    const stored = await testEnv.DB.prepare(
      "SELECT type, body, attempts FROM dead_letters WHERE queue = 'qrbridge-hops-dlq' AND id = ?",
    )
      .bind(`msg-${rows[0]!.event_id}`)
      .first<{ type: string; body: string; attempts: number }>();
    expect(stored?.type).toBe("hop");
    expect(stored?.attempts).toBe(6);
    expect(JSON.parse(stored!.body).row.event_id).toBe(rows[0]!.event_id);
  });

  it("the real HOPS queue delivers 1,000 sent hops to D1", async () => {
    const rows = await thousandRows("2021-03-06");
    for (let i = 0; i < rows.length; i += 100) {
      await testEnv.HOPS!.sendBatch(
        rows.slice(i, i + 100).map((row) => ({ body: { t: "hop", row }, contentType: "json" })),
      );
    }
    await waitFor(async () => (await rowsOn("2021-03-06")) === 1000, "1,000 rows");
    expect(await rolledOn("2021-03-06")).toBe(1000);
  });
});

describe("the direct fallback and the logging switch", () => {
  async function config(hops?: boolean) {
    const e = testEnv as unknown as Record<string, string>;
    return resolveConfig({
      adminKey: e.QB_ADMIN_KEY,
      signingKeys: e.QB_SIGNING_KEYS,
      ipSalt: "test-ip-salt",
      hops,
    });
  }
  const request = () =>
    new Request("https://qr.test/p/X", { headers: { "cf-connecting-ip": "192.0.2.7" } });

  it("without a HOPS queue, recordHop writes the row and its rollup in waitUntil", async () => {
    const ctx = createExecutionContext();
    const subject = `direct-${Date.now()}`;
    recordHop(
      { env: { ...testEnv, HOPS: undefined }, ctx, config: await config(), request: request() },
      {
        kind: "poster",
        subject_id: subject,
        hop: "scanned",
        store_id: "st_direct",
        platform: "ios",
      },
    );
    await waitOnExecutionContext(ctx);
    const row = await testEnv.DB.prepare("SELECT day, ip_hash FROM hops WHERE subject_id = ?")
      .bind(subject)
      .first<{ day: string; ip_hash: string }>();
    expect(row?.ip_hash).toMatch(/^[0-9a-f]{16}$/);
    expect(
      await scalar(
        "SELECT count FROM hop_daily WHERE day = ? AND store_id = 'st_direct' AND hop = 'scanned'",
        row!.day,
      ),
    ).toBe(1);
  });

  it("hops recorded together by one request travel in one sendBatch", async () => {
    const batches: unknown[][] = [];
    const queue = {
      send: async () => {
        throw new Error("send() should not be used");
      },
      sendBatch: async (msgs: unknown[]) => void batches.push(msgs),
    } as unknown as Queue;
    const ctx = createExecutionContext();
    const scope = {
      env: { ...testEnv, HOPS: queue },
      ctx,
      config: await config(),
      request: request(),
    };
    recordHop(scope, { kind: "poster", subject_id: "P-b", hop: "scanned" });
    recordHop(scope, { kind: "poster", subject_id: "P-b", hop: "landing" });
    await new Promise((r) => setTimeout(r, 5));
    // Within the outbox's flush delay: still the same batch.
    recordHop(scope, { kind: "poster", subject_id: "P-b", hop: "app_open" });
    await waitOnExecutionContext(ctx);
    expect(batches.map((b) => b.length)).toEqual([1]); // one message …
    const hops = batches
      .flat()
      .flatMap((m) => (m as { body: { rows: { hop: string }[] } }).body.rows.map((r) => r.hop));
    expect(hops).toEqual(["scanned", "landing", "app_open"]);
  });

  it("QB_HOPS=off records nothing", async () => {
    const ctx = createExecutionContext();
    const subject = `off-${Date.now()}`;
    const off = await config(false);
    expect(off.hops).toBe(false);
    recordHop(
      { env: { ...testEnv, HOPS: undefined }, ctx, config: off, request: request() },
      { kind: "poster", subject_id: subject, hop: "scanned" },
    );
    await waitOnExecutionContext(ctx);
    expect(await scalar("SELECT COUNT(*) FROM hops WHERE subject_id = ?", subject)).toBe(0);
    expect(optionsFromEnv({ ...testEnv, QB_HOPS: "off" }).hops).toBe(false);
    expect(optionsFromEnv({ ...testEnv, QB_HOPS: "on" }).hops).toBe(true);
  });
});
