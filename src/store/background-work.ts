/**
 * What the queue consumer and the hop writer hand to the background, as one module: counting
 * hops exactly once (store/hop-ingest.ts: a batch of `hops` messages, or a request's hops written
 * directly when no queue or spool took them), a webhook delivery's try (a `webhook` message), a
 * resumed endpoint's drain step (a `webhook-release` message) and, without a `WEBHOOKS` queue, the
 * deliveries sent at once. In this repository's Worker it is part of the maintenance kit, loaded
 * on first use (store/background.ts), so the bundle every scan's isolate starts with carries
 * none of it: the rollup deltas, the claims, the archive, the webhook fan-out, the signing, the
 * outbound URL check, the circuit breaker and the delivery log.
 */
import type { BridgeConfig } from "../config";
import { backoffSeconds } from "../core/webhook-events";
import type { Env } from "../env";
import { RETRY } from "../limits";
import { deliverWebhook, type WebhookMessage } from "./webhook-delivery";
import { drainStep, type ReleaseMessage } from "./webhook-drain";

export { ingestHops } from "./hop-ingest";

/**
 * Send deliveries now, one try each, with the bridge's signing keys and deployment rules: the
 * way without a `WEBHOOKS` queue (store/webhook-dispatch.ts); the cron retries what failed.
 *
 * @example
 * await sendDeliveries(env, config, ["whd_…"]);
 */
export async function sendDeliveries(
  env: Env,
  config: Pick<BridgeConfig, "keyring" | "env" | "webhookBreaker">,
  ids: string[],
): Promise<void> {
  await Promise.allSettled(
    ids.map((id) =>
      deliverWebhook(env.DB, config.keyring, id, {
        env: config.env,
        breaker: config.webhookBreaker,
      }),
    ),
  );
}

/**
 * Consume a `webhook` message: one try of its delivery; a failed try is retried after the
 * delivery's backoff, and a D1 failure after the queue's.
 *
 * @example
 * await consumeWebhook(env, config, msg);
 */
export async function consumeWebhook(
  env: Env,
  config: BridgeConfig,
  msg: Message<WebhookMessage>,
): Promise<void> {
  try {
    const result = await deliverWebhook(env.DB, config.keyring, msg.body.id, {
      env: config.env,
      queued: { attempts: msg.attempts, sentAt: msg.timestamp.getTime() },
      breaker: config.webhookBreaker,
    });
    if (result.outcome === "retry") msg.retry({ delaySeconds: result.delaySeconds });
    else msg.ack();
  } catch (err) {
    // D1 itself failed: try again later; the queue's max_retries ends in the DLQ.
    console.error("qrbridge: webhook delivery could not run", msg.body.id, err);
    const { base, cap } = RETRY.webhook.backoff;
    msg.retry({ delaySeconds: backoffSeconds(msg.attempts, base, cap) });
  }
}

/**
 * Consume a `webhook-release` message: the next step of a resumed endpoint's drain
 * (store/webhook-drain.ts).
 *
 * @example
 * await consumeDrainStep(env, config, msg);
 */
export async function consumeDrainStep(
  env: Env,
  config: BridgeConfig,
  msg: Message<ReleaseMessage>,
): Promise<void> {
  try {
    await drainStep(env, config, msg.body.endpoint, Date.now());
    msg.ack();
  } catch (err) {
    // What this step released before failing is `pending` (the cron pushes it); a retry
    // releases the next step, so nothing is released twice.
    console.error("qrbridge: webhook drain step could not run", msg.body.endpoint, err);
    const { base, cap } = RETRY.webhook.backoff;
    msg.retry({ delaySeconds: backoffSeconds(msg.attempts, base, cap) });
  }
}
