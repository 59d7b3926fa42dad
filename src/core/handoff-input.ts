/**
 * Checks of what a caller puts into a handoff: the payload's size and the metadata shown on
 * the landing page. The in-app path is checked by core/app-path.ts (shared with posters). Pure.
 */

/** `metadata` limits: keys, value length, entry count. */
export const METADATA_LIMITS = {
  keyPattern: /^[A-Za-z0-9_]{1,40}$/,
  maxValue: 500,
  maxEntries: 16,
};

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
