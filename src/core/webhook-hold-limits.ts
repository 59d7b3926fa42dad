/**
 * How long and how many deliveries a paused webhook endpoint holds, and which of them the hourly
 * cron marks `expired` (store/webhook-hold-expiry.ts). Pure: the store reads the counts, this
 * decides.
 */

const DAY = 86_400_000;

/** The hold's bounds and the cron's share of work per run. */
export interface HoldLimits {
  /** A held delivery older than this (by its event's time, `created_at`) is not kept, ms. */
  readonly windowMs: number;
  /** Held deliveries one endpoint keeps at most; the oldest beyond it are not kept. */
  readonly maxHeld: number;
  /** Deliveries one cron run marks `expired` at most, over every endpoint. */
  readonly perRun: number;
  /** Deliveries one statement marks (a bounded D1 write). */
  readonly chunk: number;
}

/**
 * The bounds. Seven days: longer than a failing endpoint is retried elsewhere (Stripe 3 days,
 * Svix 5), so pausing never keeps less than letting it fail would, and long enough for a week's
 * maintenance; past that the events are in the hop export and the funnel, and a receiver woken
 * after weeks would mostly act on stale ones. 100,000 held: a `poster.scanned` delivery's row
 * holds ~410 bytes of payload and ids (docs/scale.md), some 600 with its index entries, so
 * roughly 60 MB an endpoint and 1.5 GB for the 25 endpoints a deployment may have, inside one
 * 10 GB database. 50,000 a run exceeds what
 * one endpoint on `*` gains in an hour at 1 M scans a day (~42,000), so the cap holds from
 * one run to the next; 5,000 to a statement keeps each write short.
 */
export const HOLD_LIMITS: HoldLimits = {
  windowMs: 7 * DAY,
  maxHeld: 100_000,
  perRun: 50_000,
  chunk: 5_000,
};

/** A paused endpoint's hold as the cron reads it. */
export interface PausedHold {
  id: string;
  /** When the pause began: the cron acts only if it is still that pause. */
  paused_at: number;
  /** Deliveries held now. */
  held: number;
  /** Of those, how many are older than the window. */
  past_window: number;
}

/** How many of an endpoint's oldest held deliveries one run marks `expired`. */
export interface HoldExpiry {
  id: string;
  paused_at: number;
  count: number;
}

/**
 * The oldest held deliveries to mark `expired`, per endpoint: every one past the window, and
 * beyond that the oldest over `maxHeld` (both are the oldest, so "the oldest `count`" is exact).
 * At most `perRun` in all, in the order given; `more` when some were left for the next run.
 *
 * @example
 * holdExpiryPlan([{ id: "whe_…", paused_at: 1, held: 120_000, past_window: 5 }], HOLD_LIMITS)
 * // { expire: [{ id: "whe_…", paused_at: 1, count: 20_000 }], more: false }
 */
export function holdExpiryPlan(
  holds: readonly PausedHold[],
  limits: HoldLimits,
): { expire: HoldExpiry[]; more: boolean } {
  let budget = limits.perRun;
  let more = false;
  const expire: HoldExpiry[] = [];
  for (const h of holds) {
    const wanted = Math.min(h.held, Math.max(h.past_window, h.held - limits.maxHeld));
    if (wanted <= 0) continue;
    const count = Math.min(wanted, budget);
    if (count < wanted) more = true;
    if (count > 0) expire.push({ id: h.id, paused_at: h.paused_at, count });
    budget -= count;
  }
  return { expire, more };
}

/**
 * Why a delivery was not kept: its `last_error` once `expired`.
 *
 * @example
 * expiryReason("window", HOLD_LIMITS) // "not kept while paused: held over 7 days"
 */
export function expiryReason(why: "window" | "cap", limits: HoldLimits): string {
  return why === "window"
    ? `not kept while paused: held over ${Math.round(limits.windowMs / DAY)} days`
    : `not kept while paused: over ${limits.maxHeld.toLocaleString("en-US")} held`;
}
