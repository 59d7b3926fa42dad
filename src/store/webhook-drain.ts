/**
 * Draining a resumed endpoint's backlog through the `WEBHOOKS` queue: a resume releases what it
 * can at once, and when more is held it queues a "release more" message; each such message
 * releases the next step of the endpoint's held deliveries, queues them, and queues the next
 * "release more" (delayed, so the drain is paced) while any remain. Each delivery is still
 * released by one UPDATE that claims it (store/webhook-hold.ts), so a message delivered twice,
 * or two chains at once, never queue one twice (the copy runs on as a second chain until the
 * backlog is gone: the drain goes faster, nothing is sent twice); a pause or a delete since ends the chain (its
 * release finds nothing); a lost message is picked up by the hourly cron, which releases too
 * and starts a new chain. Without a queue the cron's bounded pace stays (store/maintenance.ts).
 */
import type { BridgeConfig } from "../config";
import type { Env } from "../env";
import { dispatchDeliveries } from "./webhook-dispatch";
import { endpointsWithHeld, RELEASE_PAGE, releaseHeld } from "./webhook-hold";

/** The queue message asking for the next step of an endpoint's drain. */
export interface ReleaseMessage {
  t: "webhook-release";
  endpoint: string;
}

/** How much a drain step releases and how long until the next. */
export interface DrainPace {
  /** Release statements a step runs. */
  readonly pages: number;
  /** Deliveries a statement releases. */
  readonly page: number;
  /** Wait before the next step, s. */
  readonly delaySeconds: number;
}

/**
 * 2,000 deliveries every 12 s: 10,000 a minute, so 100,000 held (the cap of a pause,
 * core/webhook-hold-limits.ts) drain in ~10 minutes. A step's queue sends (20 `sendBatch` of 100)
 * stay well under a queue's 5,000 messages a second even when they go out at once, and its
 * ~25 subrequests far under a consumer's limit; the webhooks consumer (batches of 10, up to 250
 * at once) sends 10,000 a minute with receivers taking up to its 10 s timeout (250 × 10 / 10 s =
 * 250 a second), so released deliveries do not wait in the queue for its 15-minute lost-message
 * push (store/webhook-due.ts QUEUED_STALE_MS).
 */
export const DRAIN_PACE: DrainPace = { pages: 4, page: RELEASE_PAGE, delaySeconds: 12 };

/**
 * Queue the next step of `endpoint`'s drain, `delaySeconds` from now.
 *
 * @example
 * if (released.length === pages * RELEASE_PAGE) await queueDrainStep(env, "whe_…", 12);
 */
export async function queueDrainStep(
  env: Env,
  endpoint: string,
  delaySeconds: number,
): Promise<void> {
  if (!env.WEBHOOKS) return;
  await env.WEBHOOKS.send({ t: "webhook-release", endpoint } satisfies ReleaseMessage, {
    contentType: "json",
    delaySeconds,
  });
}

/**
 * One drain step (a {@link ReleaseMessage}): release the next `pace.pages × pace.page` held
 * deliveries of `endpoint`, queue them, and, when the step was full (more may be held), queue
 * the next step. How many it released.
 *
 * @example
 * await drainStep(env, config, msg.body.endpoint, Date.now());
 */
export async function drainStep(
  env: Env,
  config: Pick<BridgeConfig, "keyring" | "env" | "webhookBreaker">,
  endpoint: string,
  now: number,
  pace: DrainPace = DRAIN_PACE,
): Promise<number> {
  const released = await releaseHeld(env.DB, endpoint, now, pace.pages, pace.page);
  // Queued before the next step: a send that fails leaves these `pending` (the cron pushes them
  // again) and the message is retried, releasing the next step then.
  await dispatchDeliveries(env, config, released);
  if (released.length === pace.pages * pace.page)
    await queueDrainStep(env, endpoint, pace.delaySeconds);
  return released.length;
}

/**
 * The hourly cron's backstop: release up to `budget` held deliveries of resumed endpoints (a
 * resume stopped short, a delivery held while a resume ran, a drain message lost), a page at a
 * time, each page reading only its endpoint's held rows. With a queue, an endpoint that still
 * holds some gets a drain step queued, so a lost chain goes on within the hour (beside a live
 * one it only speeds the drain: each delivery is claimed once). The ids released.
 *
 * @example
 * await dispatchDeliveries(env, config, await releaseHeldBackstop(env, Date.now()));
 */
export async function releaseHeldBackstop(
  env: Env,
  now: number,
  budget = 2 * RELEASE_PAGE,
  page = RELEASE_PAGE,
): Promise<string[]> {
  const ids: string[] = [];
  for (const endpoint of await endpointsWithHeld(env.DB)) {
    let emptied = false;
    while (!emptied && ids.length < budget) {
      const limit = Math.min(page, budget - ids.length);
      const released = await releaseHeld(env.DB, endpoint, now, 1, limit);
      ids.push(...released);
      emptied = released.length < limit;
    }
    // Out of budget before this endpoint was emptied: the rest goes through the queue.
    if (!emptied) await queueDrainStep(env, endpoint, 0);
  }
  return ids;
}
