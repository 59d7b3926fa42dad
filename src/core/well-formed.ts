/**
 * Text that is not Unicode: a JSON string may escape half of a surrogate pair (`"\ud800"`),
 * which JavaScript keeps as a lone surrogate, but D1 stores UTF-8, where it has no encoding: the
 * name comes back as replacement characters, silently changed. So a request body holding one is
 * refused, naming where, before anything is stored. Pure.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A value still to look at, and the keys that led to it (linked, so a path is built only on a hit). */
interface Visit {
  value: unknown;
  key: string | null;
  parent: Visit | null;
}

const keysTo = (visit: Visit | null): string[] => {
  const keys: string[] = [];
  for (let v = visit; v !== null; v = v.parent) if (v.key !== null) keys.push(v.key);
  return keys.reverse();
};

/**
 * The keys leading to the first key or string holding a lone surrogate, or null. A loop, not
 * recursion: JSON.parse takes nesting thousands deep, which would overflow the call stack.
 */
function loneSurrogatePath(body: unknown): string[] | null {
  const pending: Visit[] = [{ value: body, key: null, parent: null }];
  for (let visit = pending.pop(); visit !== undefined; visit = pending.pop()) {
    const { value } = visit;
    if (typeof value === "string") {
      if (LONE_SURROGATE.test(value)) return keysTo(visit);
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    const entries = Object.entries(value);
    for (const [key] of entries) if (LONE_SURROGATE.test(key)) return [...keysTo(visit), key];
    // Pushed in reverse, so the first item is looked at first, as a reader would name it.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      pending.push({ value: item, key, parent: visit });
    }
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
