/**
 * Checks of what a caller puts into a handoff: the in-app path (never an open redirect), the
 * payload's size and the metadata shown on the landing page. Pure.
 */

/** `metadata` limits: keys, value length, entry count. */
export const METADATA_LIMITS = {
  keyPattern: /^[A-Za-z0-9_]{1,40}$/,
  maxValue: 500,
  maxEntries: 16,
};

/**
 * Whether `path` is a safe in-app path: starts with a single "/", no scheme, no "//", no
 * backslash or control characters — so it can never become an open redirect.
 *
 * @example
 * isSafeAppPath("/cart/42?ref=pc") // true
 * isSafeAppPath("//evil.example")  // false
 */
export function isSafeAppPath(path: string): boolean {
  if (path.length === 0 || path.length > 512) return false;
  if (path[0] !== "/" || path[1] === "/") return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\\\u0000-\u001f\u007f\s]/.test(path)) return false;
  // Starting with one "/" rules out a scheme; also refuse "/%2F…" and "/%5C…", which a
  // decoding client could turn back into "//host" or "/\host".
  return !/^\/%(2f|5c)/i.test(path);
}

/**
 * Byte length of a value's JSON (UTF-8), the measure of the payload limit.
 *
 * @example
 * jsonBytes({ a: "é" }) // 10
 */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value) ?? "").length;
}

/**
 * Check `metadata`: string values only, small. Returns an error message, or null when fine.
 *
 * @example
 * metadataProblem({ title: "Your cart" }) // null
 */
export function metadataProblem(metadata: Record<string, unknown>): string | null {
  const entries = Object.entries(metadata);
  if (entries.length > METADATA_LIMITS.maxEntries)
    return `at most ${METADATA_LIMITS.maxEntries} entries`;
  for (const [k, v] of entries) {
    if (!METADATA_LIMITS.keyPattern.test(k))
      return `key "${k.slice(0, 40)}" must match [A-Za-z0-9_]{1,40}`;
    if (typeof v !== "string") return `${k} must be a string`;
    if (v.length > METADATA_LIMITS.maxValue)
      return `${k} is longer than ${METADATA_LIMITS.maxValue} characters`;
  }
  return null;
}
