// A resumed endpoint's backlog drains through the WEBHOOKS queue (store/webhook-drain.ts): each
// "release more" message releases the next step and queues the next while any remain. Attacked
// as a busy day would: a backlog over many steps, a pause and a delete mid-drain, a release
// message delivered twice, a lost chain (the cron's backstop), and the rows a page reads while
// another endpoint holds thousands. On fresh storage: the cron's backstop acts on every resumed
// endpoint, so what it releases is this file's.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/env";
import { runMaintenance } from "../../src/store/maintenance";
import { type DrainPace, drainStep, releaseHeldBackstop } from "../../src/store/webhook-drain";
import { RELEASE_SQL, releaseHeld } from "../../src/store/webhook-hold";
import { Meter, meterEnv } from "../support/meter";
import { call } from "./helpers";
import { runQueue, testConfig, testEnv } from "./hop-helpers";
import { receiver, webhookKeyForFile, webhookMessages } from "./webhooks-helpers";
import { db, holdKit, statuses } from "./webhooks-hold-helpers";

const key = webhookKeyForFile();
const { patch, pausedHolding } = holdKit(key);

/** The tests' clock, pinned for the routes and the Worker too: no row's time depends on when the suite runs. */
const NOW = Date.UTC(2026, 11, 7, 12);
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A small pace, so a backlog of a few dozen takes several steps. */
const PACE: DrainPace = { pages: 2, page: 3, delaySeconds: 12 };

/** A WEBHOOKS queue that records each message with the delay it was sent with. */
function recordingQueue(base: Env = testEnv) {
  const deliveries: string[] = [];
  const steps: { endpoint: string; delaySeconds: number | undefined }[] = [];
  const take = (body: { t: string; id?: string; endpoint?: string }, delay?: number) => {
    if (body.t === "webhook") deliveries.push(body.id!);
    else steps.push({ endpoint: body.endpoint!, delaySeconds: delay });
  };
  // A class, not a plain object: the meter counts a binding's sends, and passes plain objects.
  class Recording {
    async send(body: never, opts?: { delaySeconds?: number }) {
      take(body, opts?.delaySeconds);
    }
    async sendBatch(msgs: { body: never; delaySeconds?: number }[]) {
      for (const m of msgs) take(m.body, m.delaySeconds);
    }
  }
  const queue = new Recording();
  return { deliveries, steps, env: { ...base, WEBHOOKS: queue as unknown as Queue } as Env };
}

/** Add `n` held deliveries to endpoint `hook`, oldest first (the order a release takes). */
async function hold(hook: string, n: number, tag = "h"): Promise<string[]> {
  await db()
    .prepare(
      `WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < ?2)
       INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status, attempts, created_at)
       SELECT 'whd_' || substr(?1, 5) || '_' || ?3 || printf('%06d', i), ?1, ?3 || i,
              'poster.scanned', '{"id":"e"}', 'held', 0, ?4 + i
       FROM k`,
    )
    .bind(hook, n, tag, NOW - 3_600_000)
    .run();
  return Array.from(
    { length: n },
    (_, i) => `whd_${hook.slice(4)}_${tag}${String(i).padStart(6, "0")}`,
  );
}

/** A resumed endpoint still holding `n` (its resume stopped short): the drain's start. */
async function resumedHolding(label: string, n: number) {
  const { hook } = await pausedHolding(label, []);
  expect(await patch(recordingQueue().env, hook, { enabled: true })).toMatchObject({
    released: 0,
  });
  return { hook, ids: await hold(hook, n) };
}

/** Run the chain from one step message to its end; what each step released, and the queue. */
async function runChain(hook: string, pace = PACE) {
  const q = recordingQueue();
  const config = await testConfig();
  const released: number[] = [];
  q.steps.push({ endpoint: hook, delaySeconds: 0 });
  for (let i = 0; i < q.steps.length; i++)
    released.push(await drainStep(q.env, config, q.steps[i]!.endpoint, NOW, pace));
  return { released, q };
}

describe("a resumed endpoint's drain through the queue", () => {
  it("a backlog of many steps drains completely, paced, each delivery queued and sent once", async () => {
    const { hook, ids } = await resumedHolding("chain", 14);
    const { released, q } = await runChain(hook);
    // Steps of 2 × 3: full, full, then the last 2 (and no step after a short one).
    expect(released).toEqual([6, 6, 2]);
    expect(q.steps.slice(1).map((s) => s.delaySeconds)).toEqual([12, 12]);
    expect(q.deliveries).toEqual(ids);
    expect(await statuses(ids)).toEqual(ids.map(() => "pending"));
    // Sent through the consumer, each message twice: one POST a delivery.
    const seen = receiver(204);
    await runQueue("qrbridge-webhooks", webhookMessages(q.deliveries));
    await runQueue("qrbridge-webhooks", webhookMessages(q.deliveries, 2));
    expect(seen.map((s) => s.headers.get("webhook-id")).sort()).toEqual(ids);
  });

  it("a resume over 10,000 held queues the rest's drain, and the consumer runs it", async () => {
    const { hook } = await pausedHolding("big", []);
    const ids = await hold(hook, 10_700);
    const q = recordingQueue();
    expect(await patch(q.env, hook, { enabled: true })).toMatchObject({ released: 10_000 });
    expect(q.deliveries).toEqual(ids.slice(0, 10_000));
    expect(q.steps).toEqual([{ endpoint: hook, delaySeconds: 12 }]);
    // The step, through the Worker's queue handler, as the WEBHOOKS consumer gets it.
    const step = {
      id: "step-1",
      timestamp: new Date(),
      attempts: 1,
      body: { t: "webhook-release", endpoint: hook },
    };
    const result = await runQueue("qrbridge-webhooks", [step], q.env);
    expect(result.explicitAcks).toEqual(["step-1"]);
    expect(q.deliveries).toEqual(ids);
    expect(q.steps).toHaveLength(1);
    expect((await statuses(ids.slice(-3))).every((s) => s === "pending")).toBe(true);
  });

  it("a pause mid-drain stops it: the next step releases nothing and queues nothing; the rest stays held", async () => {
    const { hook, ids } = await resumedHolding("repause", 14);
    const q = recordingQueue();
    const config = await testConfig();
    expect(await drainStep(q.env, config, hook, NOW, PACE)).toBe(6);
    expect(q.steps).toHaveLength(1);
    await patch(recordingQueue().env, hook, { enabled: false });
    expect(await drainStep(q.env, config, hook, NOW, PACE)).toBe(0);
    expect(q.steps).toHaveLength(1);
    expect(q.deliveries).toEqual(ids.slice(0, 6));
    expect(await statuses(ids.slice(6))).toEqual(ids.slice(6).map(() => "held"));
    // Resumed again: the rest is released then, none of the first six again.
    const again = recordingQueue();
    expect(await patch(again.env, hook, { enabled: true })).toMatchObject({ released: 8 });
    expect(again.deliveries).toEqual(ids.slice(6));
  });

  it("a delete mid-drain stops it: nothing more is released or queued", async () => {
    const { hook, ids } = await resumedHolding("deleted", 14);
    const q = recordingQueue();
    const config = await testConfig();
    expect(await drainStep(q.env, config, hook, NOW, PACE)).toBe(6);
    expect((await call(`/v1/webhooks/${hook}`, { method: "DELETE", key: key() })).status).toBe(200);
    expect(await drainStep(q.env, config, hook, NOW, PACE)).toBe(0);
    expect(q.steps).toHaveLength(1);
    expect(q.deliveries).toEqual(ids.slice(0, 6));
    expect(await statuses(ids.slice(6))).toEqual(ids.slice(6).map(() => "failed"));
  });

  it("a step message delivered twice, at once: no delivery is queued or sent twice", async () => {
    const { hook, ids } = await resumedHolding("twice", 14);
    const q = recordingQueue();
    const config = await testConfig();
    const step = () => drainStep(q.env, config, hook, NOW, PACE);
    const [a, b] = await Promise.all([step(), step()]);
    expect(a + b).toBe(12);
    expect(new Set(q.deliveries).size).toBe(12);
    // Both copies go on (the drain runs at twice the pace); still each delivery once.
    for (let i = 0; i < q.steps.length; i++) await step();
    expect([...q.deliveries].sort()).toEqual(ids);
    const seen = receiver(204);
    await runQueue("qrbridge-webhooks", webhookMessages(q.deliveries));
    expect(seen.map((s) => s.headers.get("webhook-id")).sort()).toEqual(ids);
  });
});

describe("the cron's backstop", () => {
  it("a lost chain: the cron releases its share and queues the next step; without a queue, its share only", async () => {
    const { hook, ids } = await resumedHolding("lost", 1_100);
    const config = await testConfig();
    const q = recordingQueue();
    const report = await runMaintenance(q.env, config, NOW);
    expect(report.deliveriesDispatched).toBe(1_000);
    expect(q.deliveries).toEqual(ids.slice(0, 1_000));
    expect(q.steps).toEqual([{ endpoint: hook, delaySeconds: 0 }]);
    expect(await drainStep(q.env, config, hook, NOW)).toBe(100);
    expect(q.deliveries).toEqual(ids);
    expect(q.steps).toHaveLength(1);

    const other = await resumedHolding("no-queue", 5);
    const direct = await releaseHeldBackstop({ ...testEnv, WEBHOOKS: undefined }, NOW, 3);
    expect(direct).toEqual(other.ids.slice(0, 3));
  });
});

describe("what a release reads", () => {
  it("a page reads its own rows, not every held row of every endpoint", async () => {
    const paused = await pausedHolding("crowd", []);
    await hold(paused.hook, 3_000);
    const { hook, ids } = await resumedHolding("reader", 40);
    const meter = new Meter();
    const metered = meterEnv(testEnv, meter, "release");
    expect(await releaseHeld(metered.DB, hook, NOW, 1, 10)).toEqual(ids.slice(0, 10));
    const page = meter.snapshot();
    expect(page["release:d1.query"]).toBe(1);
    // Ten index entries to pick, ten rows by primary key with their index entries to write,
    // the endpoint: never the 3,000 held rows of the paused endpoint (the old statement read
    // them all, and its own 40, every page).
    expect(page["release:d1.rows_read"]).toBeLessThan(10 * 8 + 20);
    meter.reset();
    // The cron's backstop: one probe of the held index an active endpoint, then its pages.
    expect(await releaseHeldBackstop(metered, NOW, 10, 10)).toEqual(ids.slice(10, 20));
    expect(meter.snapshot()["release:d1.rows_read"]).toBeLessThan(10 * 8 + 50);
    expect(await statuses(ids.slice(20))).toEqual(ids.slice(20).map(() => "held"));
  });

  it("picks by the held index and writes by primary key", async () => {
    const plan = (
      await db()
        .prepare(`EXPLAIN QUERY PLAN ${RELEASE_SQL}`)
        .bind(0, "whe_x", 5)
        .all<{ detail: string }>()
    ).results
      .map((r) => r.detail)
      .join("\n");
    expect(plan).toMatch(/USING (COVERING )?INDEX webhook_deliveries_held/);
    expect(plan).toMatch(
      /SEARCH webhook_deliveries USING INDEX sqlite_autoindex_webhook_deliveries_1 \(id=\?\)/,
    );
    expect(plan).not.toMatch(/webhook_deliveries_due|SCAN webhook_deliveries/);
  });
});

describe("what a drain costs", () => {
  it("1,000 released in a step of 2 × 500: D1 rows and queue messages", async () => {
    const paused = await pausedHolding("crowd-2", []);
    await hold(paused.hook, 2_000);
    const { hook, ids } = await resumedHolding("cost", 1_500);
    const meter = new Meter();
    const q = recordingQueue();
    const metered = meterEnv(q.env, meter, "step");
    const pace = { pages: 2, page: 500, delaySeconds: 12 };
    expect(await drainStep(metered, await testConfig(), hook, NOW, pace)).toBe(1_000);
    const cost = meter.snapshot();
    expect(q.deliveries).toEqual(ids.slice(0, 1_000));
    // Two release statements; each delivery: its held index entry picked, its row found by
    // primary key and its index entries moved (~6 rows read, 2 written). Never the 2,000 held
    // by the paused endpoint nor this one's 500 left (docs/performance.md).
    expect(cost["step:d1.query"]).toBe(2);
    expect(cost["step:d1.rows_read"]).toBeLessThanOrEqual(6 * 1_000 + 10);
    expect(cost["step:d1.rows_written"]).toBe(2 * 1_000);
    // One message a delivery in sendBatch calls of 100, and the next step's.
    expect(cost["step:queue.message"]).toBe(1_001);
    expect(cost["step:queue.send"]).toBe(11);
  });
});
