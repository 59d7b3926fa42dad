// The delivery log says when a failing endpoint is tried next and how many tries are left: the
// due time the writer stores after each failure follows the backoff schedule from the injected
// clock, the queue waits exactly that long, and both settle (null, 0) once delivered or given up.
import { describe, expect, it } from "vitest";
import { retryDelays } from "../../src/core/webhook-retry";
import { RETRY } from "../../src/limits";
import { deliverWebhook } from "../../src/store/webhook-delivery";
import { redeliver } from "../../src/store/webhook-retry-now";
import { sendTestEvent } from "../../src/store/webhooks";
import { call } from "./helpers";
import { testConfig, testEnv } from "./hop-helpers";
import { capturingQueue, registerWebhook, webhookKeyForFile } from "./webhooks-helpers";

const key = webhookKeyForFile();

interface LoggedDelivery {
  id: string;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  attempts_left: number;
  delivered_at: number | null;
}

/** A receiver that answers every request with `status`, counting them. */
function answering(status: number) {
  const calls: string[] = [];
  const fetch = (async (input: RequestInfo | URL) => {
    calls.push(String(input));
    return new Response(null, { status });
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

/** A clock for one attempt: it starts at `at` and ends `durationMs` later. */
function attemptClock(at: number, durationMs = 120) {
  let reads = 0;
  return () => (reads++ === 0 ? at : at + durationMs);
}

/** The delivery as the log lists it, and as its detail shows it (the two must agree). */
async function logged(endpointId: string, id: string): Promise<LoggedDelivery> {
  const list = await call(`/v1/webhooks/${endpointId}/deliveries`, { key: key() });
  expect(list.status).toBe(200);
  const { deliveries } = (await list.json()) as { deliveries: LoggedDelivery[] };
  const row = deliveries.find((d) => d.id === id)!;
  const one = await call(`/v1/webhooks/${endpointId}/deliveries/${id}`, { key: key() });
  const detail = (await one.json()) as LoggedDelivery;
  for (const field of ["status", "attempts", "next_attempt_at", "attempts_left"] as const)
    expect(detail[field], field).toEqual(row[field]);
  return row;
}

describe("the delivery log's next try and tries left", () => {
  it("follows the backoff schedule after each failure, then gives up and says so", async () => {
    const config = await testConfig();
    const hook = await registerWebhook(key(), ["conversion"], "https://hooks.example.com/down");
    const id = await sendTestEvent(testEnv.DB, hook.id);

    const fresh = await logged(hook.id, id);
    expect(fresh).toMatchObject({ status: "pending", attempts: 0, attempts_left: 9 });
    expect(fresh.next_attempt_at).toEqual(expect.any(Number));

    const down = answering(503);
    const delays = retryDelays(RETRY.webhook);
    let at = 1_767_225_600_000;
    const gaps: number[] = [];
    for (let n = 1; n < RETRY.webhook.attempts; n++) {
      const ended = at + 120;
      const result = await deliverWebhook(testEnv.DB, config.keyring, id, {
        fetch: down.fetch,
        now: attemptClock(at),
        env: "test",
      });
      const row = await logged(hook.id, id);
      expect(row).toMatchObject({ status: "retrying", attempts: n, attempts_left: 9 - n });
      expect(row.next_attempt_at).toBe(ended + delays[n - 1]! * 1000);
      // The queue is told to wait until exactly the time the log shows.
      expect(result).toEqual({ outcome: "retry", attempts: n, delaySeconds: delays[n - 1] });
      gaps.push((row.next_attempt_at! - ended) / 1000);
      at = row.next_attempt_at!;
    }
    // docs/webhooks.md: 30 s doubling, capped at one hour.
    expect(gaps).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600]);

    const last = await deliverWebhook(testEnv.DB, config.keyring, id, {
      fetch: down.fetch,
      now: attemptClock(at),
      env: "test",
    });
    expect(last).toEqual({ outcome: "failed", attempts: 9 });
    expect(await logged(hook.id, id)).toMatchObject({
      status: "failed",
      attempts: 9,
      next_attempt_at: null,
      attempts_left: 0,
    });
    expect(down.calls).toHaveLength(9);

    // Sent again after giving up: one more try, due now; failing it gives up again.
    const { env } = capturingQueue();
    expect(await redeliver(env, config, hook.id, id)).toBe("queued");
    const again = await logged(hook.id, id);
    expect(again).toMatchObject({ status: "pending", attempts: 9, attempts_left: 1 });
    expect(again.next_attempt_at).toEqual(expect.any(Number));
    await deliverWebhook(testEnv.DB, config.keyring, id, {
      fetch: down.fetch,
      now: attemptClock(at + 60_000),
      env: "test",
    });
    expect(await logged(hook.id, id)).toMatchObject({
      status: "failed",
      attempts: 10,
      next_attempt_at: null,
      attempts_left: 0,
    });
  });

  it("has no next try once delivered, nor once its endpoint is deleted", async () => {
    const config = await testConfig();
    const hook = await registerWebhook(key(), ["conversion"], "https://hooks.example.com/flaky");
    const id = await sendTestEvent(testEnv.DB, hook.id);
    const at = 1_767_229_200_000;
    await deliverWebhook(testEnv.DB, config.keyring, id, {
      fetch: answering(500).fetch,
      now: attemptClock(at),
      env: "test",
    });
    expect(await logged(hook.id, id)).toMatchObject({
      status: "retrying",
      next_attempt_at: at + 120 + 30_000,
      attempts_left: 8,
    });
    const ok = await deliverWebhook(testEnv.DB, config.keyring, id, {
      fetch: answering(204).fetch,
      now: attemptClock(at + 150_000),
      env: "test",
    });
    expect(ok).toEqual({ outcome: "delivered", attempts: 2 });
    expect(await logged(hook.id, id)).toMatchObject({
      status: "delivered",
      attempts: 2,
      next_attempt_at: null,
      attempts_left: 0,
      delivered_at: at + 150_120,
    });

    const gone = await registerWebhook(key(), ["conversion"], "https://hooks.example.com/gone");
    const pending = await sendTestEvent(testEnv.DB, gone.id);
    await deliverWebhook(testEnv.DB, config.keyring, pending, {
      fetch: answering(502).fetch,
      now: attemptClock(at),
      env: "test",
    });
    expect((await logged(gone.id, pending)).next_attempt_at).toBe(at + 120 + 30_000);
    expect((await call(`/v1/webhooks/${gone.id}`, { method: "DELETE", key: key() })).status).toBe(
      200,
    );
    expect(await logged(gone.id, pending)).toMatchObject({
      status: "failed",
      attempts: 1,
      next_attempt_at: null,
      attempts_left: 0,
    });
  });
});

describe("Retry now on a delivery that is still retrying", () => {
  it("takes the schedule over: the earlier chain's try, arriving before the new due time, sends nothing", async () => {
    const config = await testConfig();
    const hook = await registerWebhook(key(), ["conversion"], "https://hooks.example.com/back-up");
    const id = await sendTestEvent(testEnv.DB, hook.id);
    const down = answering(503);
    const t0 = Date.now() - 10_000;
    const first = await deliverWebhook(testEnv.DB, config.keyring, id, {
      fetch: down.fetch,
      now: attemptClock(t0),
      env: "test",
    });
    // The queue would bring this chain's next try (M1) back at t0 + 120 ms + 30 s.
    expect(first).toEqual({ outcome: "retry", attempts: 1, delaySeconds: 30 });

    // The operator fixed nothing yet, but presses Retry: a new message (M2) is sent now.
    const { env, sent } = capturingQueue();
    expect(await redeliver(env, config, hook.id, id)).toBe("queued");
    expect(sent.map((m) => m.id)).toEqual([id]);
    const t1 = Date.now();
    await deliverWebhook(testEnv.DB, config.keyring, id, {
      fetch: down.fetch,
      now: attemptClock(t1),
      env: "test",
    });
    const afterRetry = await logged(hook.id, id);
    expect(afterRetry).toMatchObject({ status: "retrying", attempts: 2, attempts_left: 7 });
    expect(afterRetry.next_attempt_at).toBe(t1 + 120 + 60_000);

    // M1 arrives at its own due time: the log says the next try is a minute after M2's.
    const stale = await deliverWebhook(testEnv.DB, config.keyring, id, {
      fetch: down.fetch,
      now: attemptClock(t0 + 30_120),
      env: "test",
    });
    expect(stale).toEqual({ outcome: "skipped", reason: "superseded by a later try" });
    expect(down.calls).toHaveLength(2);
    expect(await logged(hook.id, id)).toEqual(afterRetry);

    // M2's chain goes on: its try, a moment early as the queue's whole seconds may make it, sends.
    const next = await deliverWebhook(testEnv.DB, config.keyring, id, {
      fetch: answering(204).fetch,
      now: attemptClock(afterRetry.next_attempt_at! - 1_000),
      env: "test",
    });
    expect(next).toEqual({ outcome: "delivered", attempts: 3 });
  });
});
