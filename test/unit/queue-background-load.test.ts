// The queue consumer hands hop batches and webhook messages to the background work's module
// (store/background.ts: the maintenance kit in this repository's Worker). While that module cannot
// be loaded, each message is retried after its backoff (the hops' as when D1 fails, the
// webhooks'), none acknowledged (so none lost), and the next batch loads it again.
import { afterEach, describe, expect, it, type Mock, vi } from "vitest";
import type { BridgeConfig } from "../../src/config";
import type { Env } from "../../src/env";

const SOURCE = "../../src/store/background-work";

interface FakeMessage {
  id: string;
  body: unknown;
  attempts: number;
  timestamp: Date;
  ack: Mock<() => void>;
  retry: Mock<(options?: { delaySeconds?: number }) => void>;
}

function message(id: string, body: unknown, attempts: number): FakeMessage {
  return {
    id,
    body,
    attempts,
    timestamp: new Date(0),
    ack: vi.fn<() => void>(),
    retry: vi.fn<(options?: { delaySeconds?: number }) => void>(),
  };
}

function batchOf(messages: FakeMessage[]): MessageBatch<unknown> {
  return { queue: "qrbridge-webhooks", messages } as unknown as MessageBatch<unknown>;
}

/** A hop row the consumer accepts (core/hop-row.ts `hopRowProblem`). */
const ROW = {
  event_id: "evt_1",
  at: Date.UTC(2026, 11, 7, 12),
  day: "2026-12-07",
  kind: "poster",
  subject_id: "pst_1",
  hop: "scanned",
  bot: 0,
};

afterEach(() => {
  vi.doUnmock(SOURCE);
  vi.resetModules();
  vi.restoreAllMocks();
});

describe("webhook messages while their module cannot be loaded", () => {
  it("are retried with the webhooks' backoff, never acknowledged; the next batch loads it", async () => {
    vi.resetModules();
    let broken = true;
    const consumed: string[] = [];
    vi.doMock(SOURCE, () => {
      if (broken) throw new Error("no such module");
      return {
        consumeWebhook: async (_e: Env, _c: BridgeConfig, m: FakeMessage) => {
          consumed.push(m.id);
          m.ack();
        },
        consumeDrainStep: async (_e: Env, _c: BridgeConfig, m: FakeMessage) => {
          consumed.push(m.id);
          m.ack();
        },
        sendDeliveries: async () => {},
        ingestHops: async (_e: Env, _c: BridgeConfig, envelopes: { id: string }[]) => {
          consumed.push(...envelopes.map((e) => e.id));
        },
      };
    });
    const { consumeQueueBatch } = await import("../../src/store/queues");
    const { RETRY } = await import("../../src/limits");
    const { backoffSeconds } = await import("../../src/core/webhook-events");
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const env = {} as Env;
    const config = {} as BridgeConfig;
    const ctx = {} as ExecutionContext;

    const first = [
      message("m1", { t: "webhook", id: "whd_1" }, 1),
      message("m2", { t: "webhook-release", endpoint: "whe_1" }, 4),
    ];
    await consumeQueueBatch(batchOf(first), env, ctx, config);
    const { base, cap } = RETRY.webhook.backoff;
    for (const m of first) {
      expect(m.ack).not.toHaveBeenCalled();
      expect(m.retry).toHaveBeenCalledExactlyOnceWith({
        delaySeconds: backoffSeconds(m.attempts, base, cap),
      });
    }
    // Not the same delay for both: each message's own attempts count.
    expect(first[0]!.retry.mock.calls[0]).not.toEqual(first[1]!.retry.mock.calls[0]);
    expect(consumed).toEqual([]);
    expect(error).toHaveBeenCalledOnce();

    broken = false;
    const second = [
      message("m3", { t: "webhook", id: "whd_1" }, 2),
      message("m4", { t: "webhook-release", endpoint: "whe_1" }, 5),
    ];
    await consumeQueueBatch(batchOf(second), env, ctx, config);
    expect(consumed.sort()).toEqual(["m3", "m4"]);
    for (const m of second) expect(m.retry).not.toHaveBeenCalled();
  });

  it("hop batches are retried as when D1 fails, never acknowledged; the next batch counts them", async () => {
    vi.resetModules();
    let broken = true;
    const counted: string[] = [];
    vi.doMock(SOURCE, () => {
      if (broken) throw new Error("no such module");
      return {
        ingestHops: async (_e: Env, _c: BridgeConfig, envelopes: { id: string }[]) => {
          counted.push(...envelopes.map((e) => e.id));
        },
      };
    });
    const { consumeQueueBatch } = await import("../../src/store/queues");
    const { HOP_COLUMNS } = await import("../../src/core/hop-row");
    const { RETRY } = await import("../../src/limits");
    const { backoffSeconds } = await import("../../src/core/webhook-events");
    vi.spyOn(console, "error").mockImplementation(() => {});
    const row = Object.fromEntries(HOP_COLUMNS.map((c) => [c, null]));
    // A writer's id (store/hop-ids.ts), which every copy of the rows carries.
    const { newHopId } = await import("../../src/store/hop-ids");
    const id = newHopId(ROW.at);
    const body = { t: "hops", id, rows: [{ ...row, ...ROW }] };
    const { hopRowProblem } = await import("../../src/core/hop-row");
    expect(hopRowProblem(body.rows[0])).toBeNull();
    const env = {} as Env;
    const ctx = {} as ExecutionContext;

    const first = message("q1", body, 1);
    await consumeQueueBatch(batchOf([first]), env, ctx, {} as BridgeConfig);
    expect(first.ack).not.toHaveBeenCalled();
    const { base, cap } = RETRY.hopBatch.backoff;
    expect(first.retry).toHaveBeenCalledExactlyOnceWith({
      delaySeconds: backoffSeconds(1, base, cap),
    });
    expect(counted).toEqual([]);

    broken = false;
    const again = message("q1", body, 2);
    await consumeQueueBatch(batchOf([again]), env, ctx, {} as BridgeConfig);
    expect(counted).toEqual([id]);
    expect(again.ack).toHaveBeenCalledOnce();
    expect(again.retry).not.toHaveBeenCalled();
  });
});
