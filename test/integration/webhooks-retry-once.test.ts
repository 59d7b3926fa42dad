// "Retry now" queues one try of a delivery however many times it is called before that try is
// made: a double click or a script repeating its call must not send the receiver two requests
// of one delivery at once. Once the try was made, the next call is a new try; a try queued too
// long ago counts as lost and is queued again (by the call, and by the cron).
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/env";
import worker from "../../src/index";
import { deliverWebhook } from "../../src/store/webhook-delivery";
import { dueDeliveries, QUEUED_STALE_MS } from "../../src/store/webhook-due";
import { redeliver } from "../../src/store/webhook-retry-now";
import { sendTestEvent } from "../../src/store/webhooks";
import { BASE } from "./helpers";
import { runQueue, scalar, testConfig, testEnv } from "./hop-helpers";
import {
  capturingQueue,
  receiver,
  registerWebhook,
  webhookKeyForFile,
  webhookMessages,
} from "./webhooks-helpers";

const key = webhookKeyForFile();

/** POST `path` through the Worker with `env` (a capturing queue, or none). */
async function postVia(env: Env, path: string) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${BASE}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key()}` },
    }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** POST …/retry ("Retry now") through the Worker with `env`. */
const retryVia = (env: Env, endpointId: string, id: string) =>
  postVia(env, `/v1/webhooks/${endpointId}/deliveries/${id}/retry`);

/** A delivery that failed its first try (503), so "Retry now" is what an operator would press. */
async function failedOnce(url: string) {
  const config = await testConfig();
  const hook = await registerWebhook(key(), ["conversion"], url);
  const id = await sendTestEvent(testEnv.DB, hook.id);
  const down = async () => new Response(null, { status: 503 });
  const first = await deliverWebhook(testEnv.DB, config.keyring, id, {
    fetch: down as typeof fetch,
    env: "test",
  });
  expect(first).toMatchObject({ outcome: "retry", attempts: 1 });
  return { config, hook, id };
}

const row = (id: string) =>
  testEnv.DB.prepare(
    "SELECT status, attempts, next_attempt_at FROM webhook_deliveries WHERE id = ?",
  )
    .bind(id)
    .first<{ status: string; attempts: number; next_attempt_at: number | null }>();

describe("Retry now, called again before its try is made", () => {
  it("twelve concurrent calls queue one message and all answer 202 pending", async () => {
    const { hook, id } = await failedOnce("https://hooks.example.com/double-click");
    const { env, sent } = capturingQueue();
    const answers = await Promise.all(Array.from({ length: 12 }, () => retryVia(env, hook.id, id)));
    for (const a of answers) {
      expect(a.status).toBe(202);
      expect(a.body).toEqual({ id, status: "pending" });
    }
    expect(sent).toEqual([{ t: "webhook", id }]);
    expect(await row(id)).toMatchObject({ status: "pending", attempts: 1 });
  });

  it("once the queued try was made, the next call is a new try", async () => {
    const { config, hook, id } = await failedOnce("https://hooks.example.com/after-try");
    const { env, sent } = capturingQueue();
    expect((await retryVia(env, hook.id, id)).status).toBe(202);
    expect((await retryVia(env, hook.id, id)).status).toBe(202);
    expect(sent).toHaveLength(1);

    // The consumer makes the queued try; the receiver is still down.
    const seen = receiver(503);
    await deliverWebhook(testEnv.DB, config.keyring, id, { env: "test" });
    expect(seen).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: "retrying", attempts: 2 });

    expect((await retryVia(env, hook.id, id)).status).toBe(202);
    expect(sent).toEqual([
      { t: "webhook", id },
      { t: "webhook", id },
    ]);
    // A delivered one is replayed on request (a new try each time its try was made).
    receiver(204);
    await deliverWebhook(testEnv.DB, config.keyring, id, { env: "test" });
    expect(await row(id)).toMatchObject({ status: "delivered", attempts: 3 });
    expect((await retryVia(env, hook.id, id)).status).toBe(202);
    expect((await retryVia(env, hook.id, id)).status).toBe(202);
    expect(sent).toHaveLength(3);
  });

  it("without a queue (sent in the request), concurrent calls make one HTTP request", async () => {
    const { hook, id } = await failedOnce("https://hooks.example.com/direct");
    // The receiver holds its answer until every other call has answered (or a second request
    // reaches it), so the other calls all come while one call's try is in flight.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let settle: (what: string) => void = () => {};
    const checkpoint = new Promise<string>((r) => {
      settle = r;
    });
    const seen: string[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
      seen.push(input instanceof Request ? input.url : String(input));
      if (seen.length > 1) settle("a second request");
      await held;
      return new Response(null, { status: 204 });
    });
    const env = { ...testEnv, WEBHOOKS: undefined } as Env;
    let answered = 0;
    const calls = Array.from({ length: 8 }, () =>
      retryVia(env, hook.id, id).then((a) => {
        if (++answered === 7) settle("seven answered");
        return a;
      }),
    );
    // Seven answered while the eighth's request was held, and no second request came.
    const first = await checkpoint;
    release();
    expect(first).toBe("seven answered");
    const answers = await Promise.all(calls);
    for (const a of answers) expect(a).toEqual({ status: 202, body: { id, status: "pending" } });
    expect(seen).toEqual(["https://hooks.example.com/direct"]);
    expect(await row(id)).toMatchObject({ status: "delivered", attempts: 2 });
    expect(await scalar("SELECT COUNT(*) FROM webhook_attempts WHERE delivery_id = ?", id)).toBe(2);
  });

  it("a try queued over 15 minutes ago and never made is queued again, by a call or the cron", async () => {
    const { config, hook, id } = await failedOnce("https://hooks.example.com/lost-enqueue");
    const { env, sent } = capturingQueue();
    const t0 = Date.now();
    // A call marked it pending at t0 and its enqueue was lost: no message exists.
    await testEnv.DB.prepare(
      "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ? WHERE id = ?",
    )
      .bind(t0, id)
      .run();
    expect(await redeliver(env, config, hook.id, id, t0 + QUEUED_STALE_MS - 1)).toBe(
      "already queued",
    );
    expect(sent).toHaveLength(0);
    expect(await dueDeliveries(testEnv.DB, t0 + QUEUED_STALE_MS - 1, true)).not.toContain(id);
    expect(await dueDeliveries(testEnv.DB, t0 + QUEUED_STALE_MS + 1, true)).toContain(id);
    expect(await redeliver(env, config, hook.id, id, t0 + QUEUED_STALE_MS + 1)).toBe("queued");
    expect(sent).toEqual([{ t: "webhook", id }]);
  });

  it("another endpoint's delivery, or none, is still 404 (not an already-queued 202)", async () => {
    const { hook, id } = await failedOnce("https://hooks.example.com/owner");
    const other = await registerWebhook(key(), ["conversion"], "https://hooks.example.com/other");
    const { env, sent } = capturingQueue();
    expect((await retryVia(env, other.id, id)).status).toBe(404);
    expect((await retryVia(env, hook.id, `${id}x`)).status).toBe(404);
    expect(sent).toHaveLength(0);
    // The owner's call still queues it: the 404s changed nothing.
    expect((await retryVia(env, hook.id, id)).status).toBe(202);
    expect(sent).toHaveLength(1);
    // The test route queues its fresh ping (pending from birth, it must still be sent).
    const ping = await postVia(env, `/v1/webhooks/${hook.id}/test`);
    expect(ping.status).toBe(202);
    expect(sent.at(-1)).toEqual({ t: "webhook", id: ping.body.delivery_id });
  });
});

describe("Retry now on a retrying delivery, and the earlier chain's queued try", () => {
  it("arriving while the Retry-now try is pending or under way: no second request, no extra try", async () => {
    const { config, hook, id } = await failedOnce("https://hooks.example.com/old-chain");
    // M1: the earlier chain's try, a queue retry (its second delivery) of a message sent at the
    // first try, before "Retry now"; it comes back 30 s after that try.
    const sentAt = new Date(Date.now() - 1_000);
    const m1 = () =>
      runQueue("qrbridge-webhooks", [{ ...webhookMessages([id], 2)[0]!, timestamp: sentAt }]);
    const { env, sent } = capturingQueue();
    expect(await redeliver(env, config, hook.id, id)).toBe("queued");
    expect(sent).toEqual([{ t: "webhook", id }]);

    // M1 comes before M2 (Retry now's message) is taken: it sends nothing, and leaves M2's try.
    const seen: string[] = [];
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let holding = false;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
      seen.push(input instanceof Request ? input.url : String(input));
      // The first request waits on the receiver; a second one at once lets both go.
      if (seen.length > 1) release();
      if (holding) await held;
      return new Response(null, { status: 204 });
    });
    const early = await m1();
    expect(early.explicitAcks).toEqual([`wm-${id}-2`]);
    expect(seen).toEqual([]);
    expect(await row(id)).toMatchObject({ status: "pending", attempts: 1 });

    // M2 takes the try and waits on the receiver; M1 comes again meanwhile: still nothing.
    holding = true;
    const m2 = runQueue("qrbridge-webhooks", webhookMessages([id], 1));
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    const during = await m1();
    expect(during.explicitAcks).toEqual([`wm-${id}-2`]);
    release();
    expect((await m2).explicitAcks).toEqual([`wm-${id}-1`]);
    expect(seen).toEqual(["https://hooks.example.com/old-chain"]);
    expect(await row(id)).toMatchObject({ status: "delivered", attempts: 2 });
  });
});

describe("Retry now's own try, retried by the queue", () => {
  it("after D1 failed it (its message a second time, sent after the claim): it sends", async () => {
    const { config, hook, id } = await failedOnce("https://hooks.example.com/own-retry");
    const { env } = capturingQueue();
    expect(await redeliver(env, config, hook.id, id, Date.now() - 1_000)).toBe("queued");
    const seen = receiver(204);
    const again = await runQueue("qrbridge-webhooks", webhookMessages([id], 2));
    expect(again.explicitAcks).toEqual([`wm-${id}-2`]);
    expect(seen).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: "delivered", attempts: 2 });
  });
});
