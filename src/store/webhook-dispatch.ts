/**
 * Handing new webhook deliveries on: to the `WEBHOOKS` queue when it is bound (its consumer
 * sends each, store/background-work.ts), else sent now, one try each (the cron retries what
 * failed). Kept apart from the sending itself (store/webhook-delivery.ts), which in this
 * repository's Worker is loaded on first use (store/background.ts): the hop writer hands
 * deliveries on after every counted batch, and with a queue that is all it does.
 */
import type { BridgeConfig } from "../config";
import type { Env } from "../env";
import { backgroundWork } from "./background";
import type { WebhookMessage } from "./webhook-delivery";

/**
 * Hand new deliveries on: to the `WEBHOOKS` queue when bound, else send them now (one attempt
 * each; the cron retries what failed), with the bridge's signing keys and deployment rules.
 *
 * @example
 * await dispatchDeliveries(env, config, ["whd_…"]);
 */
export async function dispatchDeliveries(
  env: Env,
  config: Pick<BridgeConfig, "keyring" | "env" | "webhookBreaker">,
  ids: string[],
): Promise<void> {
  if (ids.length === 0) return;
  if (env.WEBHOOKS) {
    for (let i = 0; i < ids.length; i += 100) {
      await env.WEBHOOKS.sendBatch(
        ids.slice(i, i + 100).map((id) => ({
          body: { t: "webhook", id } satisfies WebhookMessage,
          contentType: "json" as const,
        })),
      );
    }
    return;
  }
  await (await backgroundWork()).sendDeliveries(env, config, ids);
}
