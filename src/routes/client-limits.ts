/**
 * The HTTP side of the per-client budgets (store/client-limits.ts): a `429` with `Retry-After`,
 * as the JSON error for the API and as a friendly page for people, and a middleware that spends
 * one unit of the `calls` budget per request.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { ApiError, errorResponse } from "../core/errors";
import type { Lang } from "../pages/i18n";
import { renderMessagePage } from "../pages/messages";
import { htmlResponse, newNonce } from "../pages/security";
import {
  clientThrottled,
  guessingKeys,
  RETRY_AFTER_SECONDS,
  spendKeyGuess,
} from "../store/client-limits";
import type { Scope } from "../store/keys";
import { authenticateOptional } from "./middleware";
import { scanLanguage } from "./scan-language";

const retryAfter = { "retry-after": String(RETRY_AFTER_SECONDS) };

/**
 * A 429 JSON error with `message`: every limiter's window lasts `RETRY_AFTER_SECONDS`, so the
 * client is told when to try again, in `Retry-After` and in `details.retry_after` (any other
 * details are kept after it).
 *
 * @example
 * return rateLimitedJson("too many login requests; slow down"); // 429, Retry-After: 60
 */
export function rateLimitedJson(message: string, details?: object): Response {
  const err = new ApiError("rate_limited", message, {
    retry_after: RETRY_AFTER_SECONDS,
    ...details,
  });
  return errorResponse(err, retryAfter);
}

/**
 * The per-client budgets' 429: `{"error": "rate_limited", …, "details": {"retry_after": 60}}`
 * with `Retry-After`.
 *
 * @example
 * if (await clientThrottled(c.env, c.req.raw, "failures")) return throttledJson();
 */
export function throttledJson(): Response {
  return rateLimitedJson(
    `too many requests from your network; try again in ${RETRY_AFTER_SECONDS} s`,
  );
}

/**
 * The scan pages' 429: "Too many tries", with `Retry-After`.
 *
 * @example
 * if (await clientThrottled(c.env, c.req.raw, "failures")) return throttledPage(lang);
 */
export function throttledPage(lang: Lang): Response {
  const nonce = newNonce();
  const res = htmlResponse(renderMessagePage({ status: 429, lang }, nonce), {
    status: 429,
    nonce,
  });
  res.headers.set("retry-after", retryAfter["retry-after"]);
  return res;
}

/**
 * Route middleware: spend one unit of the client's `calls` budget, or answer 429 (JSON for the
 * API, a page for `/c`) before the request is even parsed. With `unlessKey`, a call with a valid
 * secret key holding that scope spends nothing: the budget is the keyless callers', and a
 * shop's server reports every order with its key, many a minute from one address. A call with
 * any other key spends it as a keyless one does.
 *
 * @example
 * app.openapi(createRoute({ …, middleware: [limitCalls("json")] }), handler);
 * app.openapi(createRoute({ …, middleware: [limitCalls("json", "events:write")] }), handler);
 */
export function limitCalls(
  answer: "json" | "page",
  unlessKey: Scope | null = null,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (unlessKey && (await keyHolds(c, unlessKey))) return void (await next());
    if (await clientThrottled(c.env, c.req.raw, "calls")) {
      return answer === "json" ? throttledJson() : throttledPage(await scanLanguage(c));
    }
    await next();
  };
}

/**
 * Whether the call carries a valid secret (or admin) key with `scope`; never throws. A key that
 * is no key spends a unit of the `failures` budget: each costs a D1 lookup, so a client past it
 * (a flood of random `qb_sk_…` bearers) is not looked up again this window and spends `calls`.
 */
async function keyHolds(c: Context<AppEnv>, scope: Scope): Promise<boolean> {
  if (guessingKeys(c.req.raw)) return false;
  try {
    const auth = await authenticateOptional(c, scope);
    return auth !== null && auth.kind !== "publishable";
  } catch (err) {
    if (err instanceof ApiError && err.code === "unauthorized")
      await spendKeyGuess(c.env, c.req.raw);
    return false; // the route answers the refusal; meanwhile the call spends the budget
  }
}
