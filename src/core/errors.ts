/**
 * One error type and one JSON error builder, used by every route.
 *
 * Body shape (the public contract): `{"error": "<code>", "message": "<human text>", "details"?: …}`.
 */

/** Machine-readable error codes with their default HTTP status. */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  invalid_token: 400,
  invalid_url: 400,
  /** A login ticket that is forged, or whose `code_verifier` is wrong (OAuth's name). */
  invalid_grant: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  already_redeemed: 409,
  already_scanned: 409,
  already_exchanged: 409,
  proximity_failed: 409,
  conflict: 409,
  expired: 410,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  misconfigured: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * An error a route can throw; the app's error handler turns it into the JSON body.
 *
 * @example
 * throw new ApiError("forbidden", "this key lacks the posters:write scope");
 * throw new ApiError("validation_failed", "ttl must be 15–900", { field: "ttl" });
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, status?: number) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status ?? ERROR_STATUS[code];
    this.details = details;
  }
}

/** The JSON body of an error response. */
export interface ErrorBody {
  error: ErrorCode | string;
  message: string;
  details?: unknown;
}

/**
 * Build the JSON error response. API responses are never cached.
 *
 * @example
 * return errorResponse(new ApiError("not_found", "no such poster"));
 */
export function errorResponse(err: ApiError, headers?: HeadersInit): Response {
  const body: ErrorBody = { error: err.code, message: err.message };
  if (err.details !== undefined) body.details = err.details;
  const h = new Headers(headers);
  h.set("content-type", "application/json; charset=utf-8");
  h.set("cache-control", "no-store");
  return new Response(JSON.stringify(body), { status: err.status, headers: h });
}
