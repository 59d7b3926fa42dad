/**
 * Per-client budgets of the keyless public endpoints, over the `[[ratelimits]]` bindings:
 *
 * - `calls` (`CLIENT_LIMITER`): every call of `POST /v1/resolve`, `POST /v1/events` and `GET /c`
 *   — what an app makes a few of per scan and a script makes thousands of;
 * - `failures` (`FAILURE_LIMITER`, stricter): every forged, mistyped or expired code or token on
 *   `/p/:code`, `/h/:token`, `/c` and `/v1/resolve`. A person mistypes a few; a guesser or a
 *   flood of forged links is held to this many rejections a minute, and a throttled request
 *   records no hop at all.
 *
 * Scans of real codes (`/p`, `/h`) are never limited: a crowd behind one carrier NAT scans the
 * same poster. Keyed by client IP (`CF-Connecting-IP`; IPv6 by its /64, see core/client-ip.ts).
 * Without a binding, or a request without a client IP (not from the internet through
 * Cloudflare, which always sets it), there is no limit; if the limiter itself fails, the request
 * passes (a limiter outage must not take scans down).
 */

import { BoundedCache } from "../core/bounded-cache";
import { clientKey } from "../core/client-ip";
import type { Env } from "../env";
import { RATE_LIMITS } from "../limits";

export type ClientBudget = "calls" | "failures";

/**
 * What a throttled client is told to wait, seconds: the `period` of both bindings in
 * wrangler.toml (a window starts at most this long ago).
 */
export const RETRY_AFTER_SECONDS = RATE_LIMITS.periodSeconds;

/**
 * Spend one unit of a client's budget: true when the client is over it (answer 429 and record
 * nothing), false when the request may go on.
 *
 * @example
 * if (await clientThrottled(c.env, c.req.raw, "failures")) return tooManyPage(lang);
 */
export async function clientThrottled(
  env: Env,
  request: Request,
  budget: ClientBudget,
): Promise<boolean> {
  const limiter = budget === "calls" ? env.CLIENT_LIMITER : env.FAILURE_LIMITER;
  const ip = request.headers.get("cf-connecting-ip");
  if (!limiter || !ip) return false;
  try {
    const { success } = await limiter.limit({ key: clientKey(ip) });
    return !success;
  } catch (err) {
    console.error("qrbridge: rate limiter failed; letting the request through", err);
    return false;
  }
}

// Addresses that sent more made-up API keys than the failures budget allows, for one window: per
// isolate, so a flood of random `qb_sk_…` bearers stops costing a D1 lookup each.
const keyGuessers = new BoundedCache<string, true>(10_000, RETRY_AFTER_SECONDS * 1000);

const clientOf = (request: Request) => {
  const ip = request.headers.get("cf-connecting-ip");
  return ip ? clientKey(ip) : null;
};

/**
 * Whether this client sent more made-up API keys than its `failures` budget in the last window
 * ({@link spendKeyGuess}): its bearer is then not looked up to skip the `calls` budget.
 *
 * @example
 * if (!guessingKeys(c.req.raw)) skip = await keyHolds(c, "events:write");
 */
export function guessingKeys(request: Request): boolean {
  const client = clientOf(request);
  return client !== null && keyGuessers.get(client) === true;
}

/**
 * Spend one unit of the client's `failures` budget for an API key that is no key (each cost a
 * D1 lookup); past the budget the client is remembered by {@link guessingKeys} for a window.
 *
 * @example
 * if (err.code === "unauthorized") await spendKeyGuess(c.env, c.req.raw);
 */
export async function spendKeyGuess(env: Env, request: Request): Promise<void> {
  const client = clientOf(request);
  if (client && (await clientThrottled(env, request, "failures"))) keyGuessers.set(client, true);
}
