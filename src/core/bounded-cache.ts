/**
 * A small per-isolate memory for answers that depend only on their key (a parsed URL, a
 * classified User-Agent, a verified poster code, a rendered page template). It holds at most
 * `max` entries and forgets the oldest first, so memory stays bounded whatever keys callers
 * send; a forgotten answer is simply computed again.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();

  /**
   * @example
   * const parsed = new BoundedCache<string, URL>(500);
   */
  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError("max must be a positive integer");
  }

  /**
   * The value remembered for `key`, or undefined.
   *
   * @example
   * cache.get("https://example.com/"); // URL | undefined
   */
  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /**
   * Remember `value` for `key`, forgetting the oldest entry when full.
   *
   * @example
   * cache.set("https://example.com/", new URL("https://example.com/"));
   */
  set(key: K, value: V): void {
    if (!this.#entries.has(key) && this.#entries.size >= this.max) {
      // Maps iterate in insertion order: the first key is the oldest.
      this.#entries.delete(this.#entries.keys().next().value as K);
    }
    this.#entries.set(key, value);
  }

  /**
   * How many entries are remembered.
   *
   * @example
   * cache.size; // 0 … max
   */
  get size(): number {
    return this.#entries.size;
  }
}
