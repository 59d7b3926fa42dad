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
import { RATE_LIMITS } from "../config";
import { clientKey } from "../core/client-ip";
import type { Env } from "../env";

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
