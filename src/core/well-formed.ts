/**
 * Text that is not Unicode: a JSON string may escape half of a surrogate pair (`"\ud800"`),
 * which JavaScript keeps as a lone surrogate, but D1 stores UTF-8, where it has no encoding: the
 * name comes back as replacement characters, silently changed. So a request body holding one is
 * refused, naming where, before anything is stored. Pure.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether the body's raw text could hold a lone surrogate at all (only as a `\uD8xx`-style escape). */
export const mayHoldSurrogate = (text: string): boolean => /\\u[dD][89a-fA-F]/.test(text);

/**
 * The dotted path (as validation errors name fields: `posters.3.name`) of the first key or string
 * in `value` that holds a lone surrogate, or null when all its text is well-formed.
 *
 * @example
 * loneSurrogateField(JSON.parse('{"name":"A\\ud800B"}')) // "name"
 * loneSurrogateField({ name: "😀" })                      // null
 */
export function loneSurrogateField(value: unknown, path: string[] = []): string | null {
  const here = () => path.join(".") || "(body)";
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? here() : null;
  if (value === null || typeof value !== "object") return null;
  for (const [key, item] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key)) return [...path, key].join(".");
    const found = loneSurrogateField(item, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}
