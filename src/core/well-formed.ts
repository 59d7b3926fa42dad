/**
 * Text that is not Unicode: a JSON string may escape half of a surrogate pair (`"\ud800"`),
 * which JavaScript keeps as a lone surrogate, but D1 stores UTF-8, where it has no encoding: the
 * name comes back as replacement characters, silently changed. So a request body holding one is
 * refused, naming where, before anything is stored. Pure.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The keys leading to the first key or string holding a lone surrogate, or null. */
function loneSurrogatePath(value: unknown): string[] | null {
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? [] : null;
  if (value === null || typeof value !== "object") return null;
  for (const [key, item] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key)) return [key];
    const inner = loneSurrogatePath(item);
    if (inner !== null) return [key, ...inner];
  }
  return null;
}

/**
 * The dotted path (as validation errors name fields: `posters.3.name`) of the first key or string
 * in `value` that holds a lone surrogate, or null when all its text is well-formed.
 *
 * @example
 * loneSurrogateField(JSON.parse('{"name":"A\\ud800B"}')) // "name"
 * loneSurrogateField({ name: "😀" })                      // null
 */
export function loneSurrogateField(value: unknown): string | null {
  const path = loneSurrogatePath(value);
  return path === null ? null : path.join(".") || "(body)";
}
