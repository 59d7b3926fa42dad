/**
 * The webhook circuit breaker's rule: an endpoint whose receiver keeps failing is paused (its
 * new deliveries held, store/webhook-hold.ts) instead of tried and failed. Pure: the delivery
 * writer asks {@link breakerWrite} whether an attempt changes the endpoint's failing state (it
 * writes the endpoint only then), and the hourly cron pauses what {@link BreakerRule} says
 * (store/webhook-breaker.ts).
 */

/** When the breaker pauses an endpoint; null in the config: never. */
export interface BreakerRule {
  /** Hours with no successful attempt, counted from the first failure since the last success. */
  readonly hours: number;
  /** Failed attempts since the last success (counted up to this number, no further). */
  readonly failures: number;
}

/**
 * 6 hours and 50 failed attempts. A busy endpoint (a failure a second) trips at the first hourly
 * cron after 6 h; one with an event a day makes 9 tries a day (limits.ts `RETRY.webhook`), so it
 * trips only after ~6 days of a dead receiver, and a short outage (one delivery's tries) never.
 */
export const DEFAULT_BREAKER: BreakerRule = { hours: 6, failures: 50 };

/** The endpoint's failing state as the delivery writer reads it with the delivery. */
export interface FailingState {
  failing_since: number | null;
  failures: number;
}

/**
 * What an attempt writes to its endpoint: `"clear"` (a success ends a failing run), `"count"`
 * (a failure starts one, or counts one more while under the rule's count), or null: nothing, as
 * for every success of a healthy endpoint and every failure past the count. With the breaker off
 * (`rule` null) failures count nothing, but a success still clears a run counted before it was
 * turned off: else turning it on again would pause an endpoint that has long been answering.
 *
 * @example
 * breakerWrite(true, { failing_since: null, failures: 0 }, DEFAULT_BREAKER) // null
 * breakerWrite(false, { failing_since: null, failures: 0 }, DEFAULT_BREAKER) // "count"
 * breakerWrite(true, { failing_since: 1_767_225_600_000, failures: 3 }, DEFAULT_BREAKER) // "clear"
 * breakerWrite(false, { failing_since: 1_767_225_600_000, failures: 50 }, DEFAULT_BREAKER) // null
 */
export function breakerWrite(
  ok: boolean,
  state: FailingState,
  rule: BreakerRule | null,
): "clear" | "count" | null {
  if (ok) return state.failing_since === null && state.failures === 0 ? null : "clear";
  if (!rule) return null;
  return state.failing_since === null || state.failures < rule.failures ? "count" : null;
}

/**
 * The latest `failing_since` (unix ms) an endpoint may have at `now` and be paused.
 *
 * @example
 * failingBefore(1_767_225_600_000, { hours: 6, failures: 50 }) // 1_767_204_000_000
 */
export function failingBefore(now: number, rule: BreakerRule): number {
  return now - rule.hours * 3_600_000;
}
