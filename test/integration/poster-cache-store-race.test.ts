// A store's rename or time zone change drops its posters' cache entries (up to 500) once in its
// request; a scan in another isolate that read D1 just before writes its old entry back after
// that drop, and without a second one it stayed the entry's 300 s: that store's hops filed on the
// old zone's days. The second drop runs 10 s later in a queue consumer's invocation, with its own
// KV budget (store/poster-redrop.ts); without a queue, in the request's `waitUntil` as far as its
// budget goes. Attacked as a busy day would: the race itself, through the real queue too, KV
// failing, and a 500-poster store's cost (more posters than one invocation may drop, several
// stores in one batch: poster-cache-store-paging.test.ts).
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/env";
import { loadScanPoster, posterCacheKey, REDROP_AFTER_MS } from "../../src/store/poster-cache";
import { updateStore } from "../../src/store/stores";
import { Meter, meterEnv } from "../support/meter";
import { call } from "./helpers";
import { eventually, runQueue, testEnv } from "./hop-helpers";
import { heldKv } from "./poster-cache-helpers";
import { delivered, withQueue } from "./poster-drop-helpers";
import { env, makePoster, makeStore, posterKey } from "./poster-helpers";

const entryOf = (id: string) =>
  env.CACHE.get<{ p: { time_zone: string | null } | null }>(posterCacheKey(id), "json");

async function tokyoPoster() {
  const store = (await makeStore("Shinjuku", { time_zone: "Asia/Tokyo" })).id;
  const poster = await makePoster({ store_id: store });
  return { store, id: poster.id };
}

/**
 * A scan in another isolate (its own memory: another namespace object on the same KV) that read
 * D1 (Tokyo) and whose write of the entry is held until `release()`.
 */
async function racingScan(id: string) {
  const { kv, reached, release } = heldKv(env.CACHE, "put");
  const ctx = createExecutionContext();
  expect((await loadScanPoster({ DB: env.DB, CACHE: kv }, ctx, id))?.time_zone).toBe("Asia/Tokyo");
  await reached;
  return {
    /** Let its write land (after the change's drop), and wait for it. */
    land: async () => {
      release();
      await waitOnExecutionContext(ctx);
    },
  };
}

const LA = { time_zone: "America/Los_Angeles" };

afterEach(() => {
  vi.useRealTimers();
});

describe("a scan in another isolate racing a store's zone change", () => {
  it("its old entry, written after the change's drop, is dropped again by the delayed message", async () => {
    const { store, id } = await tokyoPoster();
    const scan = await racingScan(id);
    const { queue, env: queued } = withQueue();
    expect((await updateStore(queued, store, LA))?.time_zone).toBe("America/Los_Angeles");
    await scan.land();
    // Without a second drop: 300 s of the old zone, the store's hops on Tokyo's days.
    expect((await entryOf(id))?.p?.time_zone).toBe("Asia/Tokyo");
    expect(queue.sent).toEqual([
      { body: { t: "poster-drop", store }, delaySeconds: REDROP_AFTER_MS / 1000 },
    ]);
    // The Worker's queue handler, as the WEBHOOKS consumer gets it 10 s later.
    const result = await runQueue(
      "qrbridge-webhooks",
      delivered(queue.sent.map((s) => s.body)),
      queued,
    );
    expect(result.explicitAcks).toEqual(["drop-0"]);
    expect(result.retryMessages).toEqual([]);
    expect(await entryOf(id)).toBeNull();
    const next = createExecutionContext();
    expect((await loadScanPoster(env, next, id))?.time_zone).toBe("America/Los_Angeles");
    await waitOnExecutionContext(next);
  });

  it("through the Worker and its real queue: the PATCH's message drops the entry again", async () => {
    const { store, id } = await tokyoPoster();
    const scan = await racingScan(id);
    const res = await call(`/v1/stores/${store}`, {
      method: "PATCH",
      key: await posterKey(),
      json: LA,
    });
    expect(res.status).toBe(200);
    await scan.land();
    expect((await entryOf(id))?.p?.time_zone).toBe("Asia/Tokyo");
    // Delivered by the test runtime's queue ~10 s after the PATCH (not asserted: polled for).
    await eventually(async () => (await entryOf(id)) === null, "the delayed second drop", 900);
  }, 60_000);

  it("without a queue, the request drops the entry again 10 s later in its waitUntil", async () => {
    const { store, id } = await tokyoPoster();
    const scan = await racingScan(id);
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    const ctx = createExecutionContext();
    await updateStore({ DB: env.DB, CACHE: env.CACHE }, store, LA, undefined, ctx);
    await scan.land();
    expect((await entryOf(id))?.p?.time_zone).toBe("Asia/Tokyo");
    await vi.advanceTimersByTimeAsync(REDROP_AFTER_MS);
    await waitOnExecutionContext(ctx);
    expect(await entryOf(id)).toBeNull();
  });
});

describe("the drop messages' consumer", () => {
  it("when KV fails, retries a message twice, then lets it go rather than dead-letter it", async () => {
    const failing = new Proxy(env.CACHE, {
      get: (target, prop) =>
        prop === "delete"
          ? async () => {
              throw new Error("KV down");
            }
          : (Reflect.get(target, prop) as unknown),
    });
    const broken = { ...testEnv, CACHE: failing } as Env;
    const { store } = await tokyoPoster();
    const body = { t: "poster-drop", store };
    const early = await runQueue("qrbridge-webhooks", delivered([body], 2), broken);
    expect(early.retryMessages.map((m) => m.msgId)).toEqual(["drop-0"]);
    expect(early.delays).toEqual([REDROP_AFTER_MS / 1000]);
    const last = await runQueue("qrbridge-webhooks", delivered([body], 3), broken);
    expect(last.explicitAcks).toEqual(["drop-0"]);
    expect(last.retryMessages).toEqual([]);
  });
});

describe("what a store change costs", () => {
  /** A store with 500 posters (`LIMITS.renameInvalidatePosters`), made in one batch. */
  async function bigStore() {
    const store = (await makeStore("Umeda", { time_zone: "Asia/Tokyo" })).id;
    const posters = Array.from({ length: 500 }, (_, i) => ({
      name: `Shelf ${i}`,
      path: "/menu",
      store_id: store,
    }));
    const res = await call("/v1/posters/batch", {
      method: "POST",
      key: await posterKey(),
      json: { posters },
    });
    expect(res.status).toBe(201);
    return store;
  }

  it("500 posters: 500 KV deletes and one message in the request, 500 deletes in the consumer", async () => {
    const store = await bigStore();
    const { queue, env: queued } = withQueue();
    const meter = new Meter();
    await updateStore(meterEnv(queued, meter, "request"), store, LA);
    expect(queue.sent).toHaveLength(1);
    expect(queue.sent[0]!.body).toEqual({ t: "poster-drop", store });
    const result = await runQueue(
      "qrbridge-webhooks",
      delivered([queue.sent[0]!.body]),
      meterEnv(queued, meter, "consumer"),
    );
    expect(result.explicitAcks).toEqual(["drop-0"]);
    const c = meter.snapshot();
    expect([
      c["request:kv.delete"],
      c["request:queue.message"],
      c["request:queue.write_op"],
    ]).toEqual([500, 1, 1]);
    // The consumer: one page of the store's 500 posters (it asks for 501: none more, so no
    // message carried); D1 reads those rows, and one index entry past them when there is one.
    expect([c["consumer:kv.delete"], c["consumer:d1.query"]]).toEqual([500, 1]);
    expect(c["consumer:d1.rows_read"]).toBeGreaterThanOrEqual(500);
    expect(c["consumer:d1.rows_read"]).toBeLessThanOrEqual(501);
    expect(c["consumer:queue.message"]).toBeUndefined();
    expect(Object.keys(c).filter((k) => k.includes("do."))).toEqual([]);
  });

  it("without a queue, a 500-poster store's request stays within 1,000 KV operations", async () => {
    const store = await bigStore();
    const meter = new Meter();
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    const ctx = createExecutionContext();
    const bare = meterEnv({ DB: env.DB, CACHE: env.CACHE }, meter, "request");
    await updateStore(bare, store, LA, undefined, ctx);
    await vi.advanceTimersByTimeAsync(REDROP_AFTER_MS);
    await waitOnExecutionContext(ctx);
    // 500 at once, then again as many as the request's budget leaves (1,000 − 20 − 500).
    expect(meter.snapshot()["request:kv.delete"]).toBe(980);
  });
});
