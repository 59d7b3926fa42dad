/**
 * Turns anything thrown in a route into the one JSON error shape. Nothing escapes as a bare 500
 * page: unknown errors are logged and answered with `internal_error`.
 */
import type { Hook } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env";
import { ApiError, errorResponse } from "../core/errors";
import { inProgressError, isClaimLost } from "../core/idempotency";
import { rateLimitedJson } from "./client-limits";

interface Issue {
  path: PropertyKey[];
  message: string;
  /** A strict object's unknown fields (zod's `unrecognized_keys`). */
  keys?: readonly string[];
}

/**
 * Name the failing fields of a zod error: `[{field: "posters.3.path", message: "Required"}]`;
 * a strict object's unknown field by its name (`{field: "kind", message: "Unrecognized key: …"}`).
 *
 * @example
 * const fields = describeIssues(result.error.issues);
 */
export function describeIssues(issues: readonly Issue[]): { field: string; message: string }[] {
  return issues.map((i) => ({
    field: [...i.path, ...(i.keys ?? []).slice(0, 1)].map(String).join(".") || "(body)",
    message: i.message,
  }));
}

/**
 * zod-openapi's validation hook: 400 `validation_failed` whose details name the first failing
 * field (`field`) and list them all (`fields`), as every validation error does.
 */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) {
    const fields = describeIssues(result.error.issues);
    const first = fields[0]!;
    const where = result.target === "json" ? "" : ` (in ${result.target})`;
    throw new ApiError("validation_failed", `${first.field}: ${first.message}${where}`, {
      field: first.field,
      fields,
    });
  }
};

/**
 * The app's `onError`.
 *
 * @example
 * app.onError(handleError);
 */
export function handleError(err: Error, c: Context<AppEnv>): Response {
  // A limiter's refusal thrown by a route: answered as the per-client budgets' 429 is.
  if (err instanceof ApiError && err.code === "rate_limited")
    return rateLimitedJson(err.message, err.details as object | undefined);
  if (err instanceof ApiError) {
    // An error that says when to try again (a 503's `details.retry_after`) says it in the header too.
    const after = (err.details as { retry_after?: unknown } | undefined)?.retry_after;
    return errorResponse(err, typeof after === "number" ? { "retry-after": String(after) } : {});
  }
  // A create whose Idempotency-Key claim a retry took over wrote nothing: the retry answers.
  if (isClaimLost(err)) return handleError(inProgressError(), c);
  if (err instanceof HTTPException) {
    if (err.status === 400 && /json/i.test(err.message)) {
      return errorResponse(new ApiError("invalid_json", "the request body is not valid JSON"));
    }
    if (err.status === 413)
      return errorResponse(new ApiError("payload_too_large", "the request body is too large"));
    const code =
      err.status === 401 ? "unauthorized" : err.status === 404 ? "not_found" : "bad_request";
    return errorResponse(new ApiError(code, err.message || "bad request", undefined, err.status));
  }
  console.error(`qrbridge: unhandled error on ${c.req.method} ${c.req.path}:`, err);
  return errorResponse(
    new ApiError("internal_error", "something went wrong on our side; it has been logged"),
  );
}
