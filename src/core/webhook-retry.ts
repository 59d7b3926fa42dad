/**
 * When a failed webhook delivery is tried next, and how many tries it has left: the schedule the
 * delivery writer stores (`next_attempt_at`, store/webhook-delivery.ts) and the delivery log
 * reads back (`attempts_left`, store/webhooks.ts), from one policy (`RETRY.webhook`, limits.ts).
 */
import { backoffSeconds } from "./webhook-events";

/** A delivery's retry policy: at most `attempts` tries, waits doubling from `base` to `cap` s. */
export interface DeliveryRetryPolicy {
  readonly attempts: number;
  readonly backoff: { readonly base: number; readonly cap: number };
}

/** Where a delivery stands, as the log says it (and the API's `status` enum lists it). */
export const DELIVERY_STATES = [
  "pending",
  "held",
  "retrying",
  "delivered",
  "failed",
  // Held past a pause's bounds and not kept (core/webhook-hold-limits.ts): never sent by itself.
  "expired",
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * Seconds waited after each failed try that another follows: entry `n − 1` is the wait after
 * the `n`-th failure, so there are `attempts − 1` of them (the last failure is followed by none).
 *
 * @example
 * retryDelays({ attempts: 9, backoff: { base: 30, cap: 3600 } })
 * // [30, 60, 120, 240, 480, 960, 1920, 3600]
 */
export function retryDelays(policy: DeliveryRetryPolicy): number[] {
  const { attempts, backoff } = policy;
  return Array.from({ length: Math.max(0, attempts - 1) }, (_, i) =>
    backoffSeconds(i + 1, backoff.base, backoff.cap),
  );
}

/**
 * When the try after the `failures`-th failed one is due (unix ms), given when that failure
 * ended; null once `failures` has used up the policy's tries.
 *
 * @example
 * nextAttemptAt(1, 1_700_000_000_000, RETRY.webhook) // 1_700_000_030_000
 * nextAttemptAt(9, 1_700_000_000_000, RETRY.webhook) // null
 */
export function nextAttemptAt(
  failures: number,
  endedAt: number,
  policy: DeliveryRetryPolicy,
): number | null {
  const wait = retryDelays(policy)[Math.max(1, Math.floor(failures)) - 1];
  return wait === undefined ? null : endedAt + wait * 1000;
}

/**
 * Tries a delivery has left: none once delivered, failed or expired; else what the policy leaves after
 * `attempts` tries, and at least one, because a delivery sent again (retry, dead-letter replay)
 * after using up its tries gets exactly one more.
 *
 * @example
 * attemptsLeft("retrying", 3, 9) // 6
 * attemptsLeft("pending", 9, 9)  // 1 (sent again after giving up)
 * attemptsLeft("failed", 9, 9)   // 0
 * attemptsLeft("expired", 0, 9)  // 0
 */
export function attemptsLeft(status: DeliveryState, attempts: number, maxAttempts: number): number {
  if (status === "delivered" || status === "failed" || status === "expired") return 0;
  return Math.max(1, maxAttempts - attempts);
}
