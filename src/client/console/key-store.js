// The keys page's store choice, kept free of the DOM so it is tested as plain logic: which
// stores the picker offers (store-picker.js), how its arrow keys move, and what a mint asks for
// once a store is chosen.

/**
 * The select's options: "" (every store) first, then each store by name, its store number after
 * it so two stores sharing a name can be told apart.
 * @param {{ id: string, name: string, ref?: string | null }[]} stores
 * @param {string} allLabel
 * @returns {[string, string][]}
 * @example
 * storeOptions([{ id: "st_2", name: "Kyoto", ref: "K-1" }, { id: "st_1", name: "Aomori" }], "All stores")
 * // [["", "All stores"], ["st_1", "Aomori"], ["st_2", "Kyoto (K-1)"]]
 */
export function storeOptions(stores, allLabel) {
  const sorted = [...stores].sort(
    (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
  return [["", allLabel], ...sorted.map((s) => [s.id, s.ref ? `${s.name} (${s.ref})` : s.name])];
}

/**
 * The option the arrow keys move to in a list of `count` (-1: none): down from none is the first,
 * up from none the last; past either end wraps around, as the listbox pattern allows.
 * @param {number} current
 * @param {"ArrowDown" | "ArrowUp"} key
 * @param {number} count
 * @returns {number}
 * @example
 * moveActive(-1, "ArrowUp", 5) // 4
 */
export function moveActive(current, key, count) {
  if (count <= 0) return -1;
  if (current < 0 || current >= count) return key === "ArrowDown" ? 0 : count - 1;
  return (current + (key === "ArrowDown" ? 1 : count - 1)) % count;
}

/**
 * The body of `POST /v1/keys` from the mint form. A store key is a secret key with `stats:read`
 * alone (the API refuses anything else): with a store chosen the form's other choices are
 * disabled, so they are set here rather than read from inputs a browser leaves out.
 * @param {{ name: string, kind?: string, origins?: string, store_id?: string }} v the form's values
 * @param {string[]} scopes the checked scopes
 * @example
 * mintBody({ name: "Kyoto", store_id: "st_2" }, [])
 * // { name: "Kyoto", kind: "secret", scopes: ["stats:read"], store_id: "st_2" }
 */
export function mintBody(v, scopes) {
  if (v.store_id)
    return { name: v.name, kind: "secret", scopes: ["stats:read"], store_id: v.store_id };
  const origins = v.origins ? v.origins.split(/\s+/).filter(Boolean) : undefined;
  return { name: v.name, kind: v.kind, scopes, origins };
}
