// The billable operations of the queue consumer, pinned (budget.test.ts pins one request's):
// hop messages made by the real Worker, consumed by the real consumer with every binding metered.
import {
  createExecutionContext,
  createMessageBatch,
  waitOnExecutionContext,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { type Counts, meterBatch, meterEnv } from "../support/meter";
import { bindings, CLAIM, count, json, meter } from "./budget-helpers";
import { createHandoff } from "./handoffs-helpers";
import { BASE, mintSecretKey } from "./helpers";
import { hopMessages, hopRow } from "./hop-helpers";
import { makePoster } from "./poster-helpers";

describe("the queue consumer", () => {
  /** The app resolves `url` (straight from the QR: scan and redemption or app open), its hop messages kept. */
  async function redeem(url: string, claim?: string, vars: object = {}): Promise<unknown[]> {
    const sent: unknown[] = [];
    const hops = { send: async (body: unknown) => void sent.push(structuredClone(body)) };
    const ctx = createExecutionContext();
    const request = new Request(`${BASE}/v1/resolve`, json({ url, ...(claim ? { claim } : {}) }));
    const res = await worker.fetch(request, { ...bindings, ...vars, HOPS: hops } as never, ctx);
    expect(res.status).toBe(200);
    await waitOnExecutionContext(ctx);
    return sent;
  }

  /** What the consumer spends on `batch`, acknowledged as the queue would. */
  async function meteredConsume(batch: Parameters<typeof meterBatch>[0]): Promise<Counts> {
    meter.reset();
    const consumption = meterBatch(batch, meter, "consumer");
    const ctx = createExecutionContext();
    await worker.queue(batch, meterEnv(bindings, meter, "consumer"), ctx);
    await waitOnExecutionContext(ctx);
    consumption.settle(true);
    return meter.snapshot();
  }

  /** What the consumer spends on one batch of `bodies`. */
  function consume(bodies: unknown[]): Promise<Counts> {
    return meteredConsume(
      createMessageBatch(
        "qrbridge-hops",
        bodies.map((body) => ({
          id: crypto.randomUUID(),
          timestamp: new Date(),
          attempts: 1,
          body,
        })),
      ),
    );
  }

  it("a redemption's hops, claim or not: one once-only row more per hop; a copy writes only its batch claim", async () => {
    const key = await mintSecretKey();
    const written = (c: Counts) => c["consumer:d1.rows_written"];
    // The day's totals row exists from here on, as it does after the day's first hop.
    await consume(await redeem((await createHandoff(key)).url));
    // Batch claim, rollup row, day row, archive object, pending rows, delete (6, what a
    // redemption without a claim cost when its hops had random ids), + the scan's and the
    // redemption's once-only rows (hop_once), what makes any later copy count nothing: the
    // object's at the end of the replay window, with a claim or without.
    const plain = await consume(await redeem((await createHandoff(key)).url));
    expect(written(plain)).toBe(6 + 2);
    const h = await createHandoff(key);
    const first = await redeem(h.url, CLAIM);
    const replay = await redeem(h.url, CLAIM);
    expect(written(await consume(first))).toBe(6 + 2);
    // The replay's copy (and the object's at the end of the window): counted as nothing; the
    // batch claim is its only row, shared with whatever else that batch carries.
    const copy = await consume(replay);
    expect(written(copy)).toBe(1);
    expect(copy["consumer:r2.class_a"] ?? 0).toBe(0);
  });

  it("a bare poster link with the app's claim: its app open is once-only anyway; counting its retry once (opt-in) is one row more", async () => {
    const p = await makePoster({ name: "Budget retry" });
    const written = (c: Counts) => c["consumer:d1.rows_written"];
    await consume(await redeem(p.url)); // the poster's and the day's rollup rows exist from here on
    // Batch claim, the app open's once-only row, poster row, day row, archive object, pending
    // rows, their delete: the same with or without a claim.
    expect(written(await consume(await redeem(p.url)))).toBe(7);
    expect(written(await consume(await redeem(p.url, CLAIM)))).toBe(7);
    // QB_POSTER_CLAIMED_RESOLVES: + the scan's once-only row (hop_once), so that a retry's copy
    // counts nothing and writes only its batch claim. Opt-in: on the bench's funnel day (20 % of
    // person scans straight into the app) it is +0.2 rows per person scan (docs/stats.md).
    const claimed = { QB_POSTER_CLAIMED_RESOLVES: "true" };
    const first = await redeem(p.url, `${CLAIM}-retried`, claimed);
    const retry = await redeem(p.url, `${CLAIM}-retried`, claimed);
    expect(written(await consume(first))).toBe(7 + 1);
    expect(written(await consume(retry))).toBe(1);
  });

  it("counts a batch of hop messages in one read and one transaction, writing a few rows whatever its size", async () => {
    const now = Date.now();
    const rows = await Promise.all(
      Array.from({ length: 40 }, (_, i) => hopRow({ hop: "scanned" }, now + i)),
    );
    const counts = await meteredConsume(createMessageBatch("qrbridge-hops", hopMessages(rows)));
    // One read (webhook subscriptions, once-only events seen, resent copies counted: an empty
    // table, nothing read) and one transaction (claim, copies waiting in the dead letters: none,
    // nothing written, rollups by poster, month and day, the archive object and its pending rows), then the R2
    // object and the statement that clears its pending rows: 6 rows for 40 scans of one key
    // (claim, poster row, day row, object, pending, its delete), none per message.
    expect(counts["consumer:d1.batch"]).toBe(2);
    expect(counts["consumer:d1.query"]).toBe(12);
    expect(counts["consumer:d1.rows_written"]).toBe(6);
    expect(counts["consumer:r2.class_a"]).toBe(1);
    expect(counts["consumer:queue.read_op"]).toBe(40);
    expect(counts["consumer:queue.delete_op"]).toBe(40);
    expect(count(counts, "kv") + count(counts, "do") + count(counts, "queue.send")).toBe(0);
  });
});
