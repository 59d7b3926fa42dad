import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import {
  BATCH_BYTES,
  estimatedRowBytes,
  MESSAGE_BYTES,
  SHIFT_MS,
  sendHopsTogether,
  TAKEOVER_MS,
} from "../../src/store/hop-outbox";
import type { HopRow } from "../../src/store/hops";

const row = (event_id: string, detail: string | null = null) =>
  ({ event_id, detail }) as unknown as HopRow;
type Sent = { body: { t: string; rows: HopRow[] } }[];

/** A queue stand-in that records each sendBatch (event ids, and rows per message), and can fail the first `failures` calls. */
function fakeQueue(failures = 0) {
  const batches: string[][] = [];
  const messageSizes: number[] = [];
  /** Estimated bytes of each message, and of each sendBatch. */
  const messageBytes: number[] = [];
  const batchBytes: number[] = [];
  let calls = 0;
  const queue = {
    send: async () => {
      throw new Error("send() should not be used");
    },
    sendBatch: async (msgs: Sent) => {
      calls++;
      if (calls <= failures) throw new Error("queue unavailable");
      let total = 0;
      for (const m of msgs) {
        if (m.body.t !== "hops") throw new Error(`unexpected message ${m.body.t}`);
        messageSizes.push(m.body.rows.length);
        const bytes = m.body.rows.reduce((sum, r) => sum + estimatedRowBytes(r), 0);
        messageBytes.push(bytes);
        total += bytes;
      }
      batchBytes.push(total);
      batches.push(msgs.flatMap((m) => m.body.rows.map((r) => r.event_id)));
    },
  } as unknown as Queue<unknown>;
  return { queue, batches, messageSizes, messageBytes, batchBytes, calls: () => calls };
}

describe("hop outbox", () => {
  it("sends the hops of concurrent requests in one batch, as one message", async () => {
    const { queue, batches, messageSizes } = fakeQueue();
    const contexts = Array.from({ length: 5 }, () => createExecutionContext());
    contexts.forEach((ctx, i) => {
      sendHopsTogether(queue, ctx, [row(`a${i}`), row(`b${i}`)]);
    });
    await Promise.all(contexts.map((ctx) => waitOnExecutionContext(ctx)));
    expect(batches).toHaveLength(1);
    expect(messageSizes).toEqual([10]);
    expect(batches[0]!.sort()).toEqual([
      "a0",
      "a1",
      "a2",
      "a3",
      "a4",
      "b0",
      "b1",
      "b2",
      "b3",
      "b4",
    ]);
  });

  it("packs a busy window's rows into one message, under the 64 KB a queue operation covers", async () => {
    const { queue, batches, messageSizes, messageBytes } = fakeQueue();
    const contexts = Array.from({ length: 70 }, () => createExecutionContext());
    contexts.forEach((ctx, i) => {
      sendHopsTogether(queue, ctx, [row(`x${i}`), row(`y${i}`)]);
    });
    await Promise.all(contexts.map((ctx) => waitOnExecutionContext(ctx)));
    expect(messageSizes).toEqual([140]);
    expect(Math.max(...messageBytes)).toBeLessThanOrEqual(MESSAGE_BYTES);
    expect(batches.flat().sort()).toEqual(
      Array.from({ length: 70 }, (_, i) => [`x${i}`, `y${i}`])
        .flat()
        .sort(),
    );
  });

  it("splits big rows into messages ≤ 60 KB and sends ≤ 240 KB, and sends every row", async () => {
    const { queue, batches, messageBytes, batchBytes } = fakeQueue();
    const detail = "详".repeat(2000); // the largest detail a row carries, two bytes a character
    const contexts = Array.from({ length: 80 }, () => createExecutionContext());
    contexts.forEach((ctx, i) => {
      sendHopsTogether(queue, ctx, [row(`big${i}`, detail)]);
    });
    await Promise.all(contexts.map((ctx) => waitOnExecutionContext(ctx)));
    expect(messageBytes.length).toBeGreaterThan(1);
    expect(Math.max(...messageBytes)).toBeLessThanOrEqual(MESSAGE_BYTES);
    expect(Math.max(...batchBytes)).toBeLessThanOrEqual(BATCH_BYTES);
    // Messages are filled: all but the last of each send hold more than half the budget.
    expect(Math.min(...messageBytes.slice(0, 3))).toBeGreaterThan(MESSAGE_BYTES / 2);
    expect(batches.flat().sort()).toEqual(Array.from({ length: 80 }, (_, i) => `big${i}`).sort());
  });

  it("loses nothing when a batch send fails: the rows are sent again", async () => {
    const { queue, batches, calls } = fakeQueue(1);
    const contexts = Array.from({ length: 4 }, () => createExecutionContext());
    contexts.forEach((ctx, i) => {
      sendHopsTogether(queue, ctx, [row(`r${i}`)]);
    });
    await Promise.all(contexts.map((ctx) => waitOnExecutionContext(ctx)));
    expect(calls()).toBeGreaterThan(1);
    expect([...new Set(batches.flat())].sort()).toEqual(["r0", "r1", "r2", "r3"]);
  });
});

describe("hop outbox hand-over", () => {
  it("rows of a flusher that gave up are sent by the next request's flusher", async () => {
    const { queue, batches, calls } = fakeQueue(3); // the first flusher's three attempts fail
    const first = createExecutionContext();
    sendHopsTogether(queue, first, [row("early1"), row("early2")]);
    await waitOnExecutionContext(first);
    expect(calls()).toBe(3);
    expect(batches).toHaveLength(0);
    const next = createExecutionContext();
    sendHopsTogether(queue, next, [row("late")]);
    await waitOnExecutionContext(next);
    expect(batches).toEqual([["early1", "early2", "late"]]);
  });

  it("a flusher that goes silent is replaced after TAKEOVER_MS and nothing is lost", async () => {
    let calls = 0;
    const batches: string[][] = [];
    const queue = {
      sendBatch: (msgs: Sent) => {
        calls++;
        if (calls === 1) return new Promise(() => {}); // the first flusher hangs forever
        batches.push(msgs.flatMap((m) => m.body.rows.map((r) => r.event_id)));
        return Promise.resolve();
      },
    } as unknown as Queue<unknown>;
    sendHopsTogether(queue, createExecutionContext(), [row("stuck")]);
    await new Promise((r) => setTimeout(r, 100));
    const soon = createExecutionContext();
    sendHopsTogether(queue, soon, [row("soon")]); // the flusher still counts as alive
    await new Promise((r) => setTimeout(r, TAKEOVER_MS));
    const later = createExecutionContext();
    sendHopsTogether(queue, later, [row("later")]);
    await waitOnExecutionContext(later);
    expect(batches.flat().sort()).toEqual(["later", "soon", "stuck"]);
  });
});

describe("hop outbox windows under steady traffic", () => {
  it("rows arriving while a batch is being sent wait for company, not one send each", async () => {
    const batches: string[][] = [];
    const queue = {
      sendBatch: async (msgs: Sent) => {
        await new Promise((r) => setTimeout(r, 3)); // a send takes a few ms
        batches.push(msgs.flatMap((m) => m.body.rows.map((r) => r.event_id)));
      },
    } as unknown as Queue<unknown>;
    const contexts: ExecutionContext[] = [];
    for (let i = 0; i < 60; i++) {
      const ctx = createExecutionContext();
      contexts.push(ctx);
      sendHopsTogether(queue, ctx, [row(`s${i}`)]);
      await new Promise((r) => setTimeout(r, 1)); // one request a millisecond, for ~60 ms
    }
    await Promise.all(contexts.map((ctx) => waitOnExecutionContext(ctx)));
    expect(batches.flat().sort()).toEqual(Array.from({ length: 60 }, (_, i) => `s${i}`).sort());
    // ~20 ms windows over ~60 ms: a handful of sends, not one per few rows.
    expect(batches.length).toBeLessThanOrEqual(6);
  });

  it("a flusher retires after SHIFT_MS: it sends what it holds and the next request takes over", async () => {
    let now = Date.now();
    const clock = vi.spyOn(Date, "now").mockImplementation(() => now);
    const batches: string[][] = [];
    // What happens while each send is in flight: the traffic that keeps arriving.
    const duringSend: (() => void)[] = [];
    const queue = {
      sendBatch: async (msgs: Sent) => {
        batches.push(msgs.flatMap((m) => m.body.rows.map((r) => r.event_id)));
        duringSend.shift()?.();
      },
    } as unknown as Queue<unknown>;
    const during = { waitUntil: vi.fn() };
    const after = { waitUntil: vi.fn() };
    duringSend.push(
      () => {
        // Mid-shift, a request only appends (the flusher is alive); then the shift runs out.
        sendHopsTogether(queue, during, [row("during")]);
        now += SHIFT_MS;
      },
      // A request arriving while the retiring flusher sends its last batch.
      () => sendHopsTogether(queue, after, [row("after")]),
    );
    try {
      const first = createExecutionContext();
      sendHopsTogether(queue, first, [row("a")]);
      await waitOnExecutionContext(first); // the first flusher's waitUntil ends: it retired
      expect(during.waitUntil).not.toHaveBeenCalled();
      expect(after.waitUntil).toHaveBeenCalledTimes(1); // that request became the flusher
      expect(batches).toEqual([["a"], ["during"]]);
      await after.waitUntil.mock.calls[0]![0];
      expect(batches).toEqual([["a"], ["during"], ["after"]]);
    } finally {
      clock.mockRestore();
    }
  });
});
