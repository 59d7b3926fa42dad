/**
 * The pure parts of `Idempotency-Key` on the API's creates (routes/idempotency.ts): which header
 * values are accepted, how long a claim and its answer live, and the request's fingerprint.
 */
import { ApiError } from "./errors";
import { sha256Hex } from "./hash";

/** How long the first request holds its claim; past it a retry takes the claim over. */
export const IDEMPOTENCY_LEASE_MS = 60_000;
/** How long a key's answer is replayed (then the hourly cron deletes it). */
export const IDEMPOTENCY_RETAIN_MS = 86_400_000;
/** The `Retry-After` (seconds) of a `409 idempotency_in_progress`. */
export const IDEMPOTENCY_RETRY_AFTER_S = 2;

/** What an Idempotency-Key may be: 1–255 visible ASCII characters (the OpenAPI's pattern too). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Whether a header value may be an Idempotency-Key: 1–255 visible ASCII characters (no space).
 *
 * @example
 * validIdempotencyKey("import-3f2a-batch-1") // true
 * validIdempotencyKey("") // false
 */
export function validIdempotencyKey(value: string): boolean {
  return IDEMPOTENCY_KEY_PATTERN.test(value);
}

/**
 * Where a key is kept: a hash of the caller's API key id (a rolled key's: its roll chain's first,
 * routes/middleware.ts `budgetKey`) and the header value, so the same value sent with two API
 * keys is two keys, with two keys of one chain one, and the table never holds the value itself.
 *
 * @example
 * await idempotencyScope("key_01", "import-1") // 64 hex characters
 */
export function idempotencyScope(keyId: string, value: string): Promise<string> {
  return sha256Hex(`qrbridge.idem\n${keyId}\n${value}`);
}

/**
 * The request a key was first used for: method, path with query, and SHA-256 of the body.
 * The same key with another fingerprint is a client bug (`422 idempotency_key_reused`).
 *
 * @example
 * await requestFingerprint("POST", "/v1/posters", '{"path":"/a"}') // 64 hex characters
 */
export async function requestFingerprint(
  method: string,
  pathAndQuery: string,
  body: string,
): Promise<string> {
  return sha256Hex(`${method.toUpperCase()} ${pathAndQuery}\n${await sha256Hex(body)}`);
}

/**
 * Whether a create's batch failed because its `Idempotency-Key` claim was no longer its own
 * (store/idempotency.ts `answerStatements` refuses it by a constraint on `idempotency_keys`):
 * nothing was written, and the retry that took the claim over answers the key.
 *
 * @example
 * isClaimLost(new Error("D1_ERROR: NOT NULL constraint failed: idempotency_keys.fingerprint")) // true
 */
export function isClaimLost(err: unknown): boolean {
  return /constraint failed: idempotency_keys\./i.test(String(err));
}

/**
 * The `409 idempotency_in_progress` of a key another request holds (its `Retry-After`:
 * {@link IDEMPOTENCY_RETRY_AFTER_S}).
 *
 * @example
 * if (claim.kind === "running") throw inProgressError();
 */
export function inProgressError(): ApiError {
  return new ApiError(
    "idempotency_in_progress",
    "a request with this Idempotency-Key is still running; retry after `Retry-After` seconds",
    { retry_after: IDEMPOTENCY_RETRY_AFTER_S },
  );
}
