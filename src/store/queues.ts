/**
 * The Worker's queue handler: routes each message to its consumer by the message's `t` field,
 * so queue names can differ between deployments.
 */
import type { BridgeConfig } from "../config";
import type { Env } from "../env";
import { type HopMessage, writeHops } from "./hops";

/**
 * Consume a batch. Hops are written with one `DB.batch()`; if that throws, the whole batch is
 * retried (inserts are idempotent on event id) and, after `max_retries`, goes to the dead-letter queue.
 *
 * @example
 * export default { queue: (batch, env, ctx) => consumeQueueBatch(batch, env, ctx, config) };
 */
export async function consumeQueueBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  _ctx: ExecutionContext,
  _config: BridgeConfig,
): Promise<void> {
  const hops: Message<HopMessage>[] = [];
  for (const msg of batch.messages) {
    const body = msg.body as { t?: string } | null;
    if (body?.t === "hop") hops.push(msg as Message<HopMessage>);
    else {
      console.error("qrbridge: unknown queue message, dropping", batch.queue, msg.id);
      msg.ack();
    }
  }
  if (hops.length) {
    await writeHops(
      env.DB,
      hops.map((m) => m.body.row),
    );
  }
}
