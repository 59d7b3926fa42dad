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
  /** An API key past its `expires_at` (rolled, or minted to end): mint or roll another. */
  key_expired: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  already_redeemed: 409,
  already_scanned: 409,
  already_exchanged: 409,
  proximity_failed: 409,
  conflict: 409,
  /** The first request with this Idempotency-Key is still running (`Retry-After`). */
  idempotency_in_progress: 409,
  expired: 410,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** An Idempotency-Key sent again with another method, path or body. */
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal_error: 500,
  misconfigured: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Marks an ApiError; registered, so every copy of this module shares it. */
const API_ERROR = Symbol.for("qrbridge.ApiError");

/**
 * An error a route can throw; the app's error handler turns it into the JSON body.
 *
 * @example
 * throw new ApiError("forbidden", "this key lacks the posters:write scope");
 * throw new ApiError("validation_failed", "ttl: must be 15–900", { field: "ttl" });
 * // details become { field: "ttl", fields: [{ field: "ttl", message: "must be 15–900" }] }
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  /**
   * True for an ApiError of any copy of this module. Each kit (src/routes/lazy-modules.ts) is
   * bundled with a copy of its own, whose errors the app's error handler must still answer as
   * what they say (a print kit's `validation_failed` is a 400, not an `internal_error`).
   */
  static override [Symbol.hasInstance](value: unknown): value is ApiError {
    return typeof value === "object" && value !== null && API_ERROR in value;
  }

  constructor(code: ErrorCode, message: string, details?: unknown, status?: number) {
    super(message);
    Object.defineProperty(this, API_ERROR, { value: true });
    this.name = "ApiError";
    this.code = code;
    this.status = status ?? ERROR_STATUS[code];
    this.details = code === "validation_failed" ? validationDetails(message, details) : details;
  }
}

/** One failing field of a `validation_failed` error. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * The one shape of a validation failure's details: `field` (the first failing field) and
 * `fields` (every one, `[{field, message}]`), whichever of the two the thrower gave; other
 * details are kept after them. A route may throw `{field}` alone; the list is derived from it
 * and the message ("ttl: must be …" → "must be …").
 *
 * @example
 * validationDetails("ttl: must be from 15 to 900 seconds", { field: "ttl" })
 * // { field: "ttl", fields: [{ field: "ttl", message: "must be from 15 to 900 seconds" }] }
 */
export function validationDetails(message: string, details: unknown): unknown {
  if (typeof details !== "object" || details === null || Array.isArray(details)) return details;
  const { field, fields, ...rest } = details as { field?: unknown; fields?: unknown };
  let list: FieldProblem[] | null = null;
  if (Array.isArray(fields) && fields.length > 0) list = fields as FieldProblem[];
  else if (typeof field === "string") {
    const own = message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
    list = [{ field, message: own }];
  }
  if (!list) return details;
  return { field: typeof field === "string" ? field : list[0]!.field, fields: list, ...rest };
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
