/**
 * The one per-isolate memory of the bridge, for answers that save a billable operation (a KV
 * read of a hot poster, a D1 read of an API key). It holds at most `max` entries and forgets
 * the oldest first, so memory stays bounded whatever keys callers send; an entry may also
 * expire `ttlMs` after it was set, so a change made elsewhere reaches this isolate within that
 * time. A forgotten answer is simply fetched again.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, { value: V; until: number }>();

  /**
   * @example
   * const posters = new BoundedCache<string, Poster | null>(5_000, 10_000); // 10 s each
   */
  constructor(
    readonly max: number,
    readonly ttlMs = Number.POSITIVE_INFINITY,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError("max must be a positive integer");
    if (!(ttlMs > 0)) throw new RangeError("ttlMs must be positive");
  }

  /**
   * The value remembered for `key` and not expired at `now` (unix ms), or undefined.
   *
   * @example
   * cache.get("7K2M9Q"); // Poster | null | undefined
   */
  get(key: K, now = Date.now()): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.until > now) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  /**
   * Remember `value` for `key` from `now` on, forgetting the oldest entry when full.
   *
   * @example
   * cache.set("7K2M9Q", poster);
   */
  set(key: K, value: V, now = Date.now()): void {
    // Re-inserted keys go to the end: the first key of the Map is always the oldest.
    if (!this.#entries.delete(key) && this.#entries.size >= this.max) {
      this.#entries.delete(this.#entries.keys().next().value as K);
    }
    this.#entries.set(key, { value, until: now + this.ttlMs });
  }

  /**
   * Forget `key` (its source changed).
   *
   * @example
   * cache.delete("7K2M9Q");
   */
  delete(key: K): void {
    this.#entries.delete(key);
  }

  /**
   * Forget everything.
   *
   * @example
   * cache.clear();
   */
  clear(): void {
    this.#entries.clear();
  }

  /**
   * How many entries are held (expired ones included until they are read or pushed out).
   *
   * @example
   * cache.size; // 0 … max
   */
  get size(): number {
    return this.#entries.size;
  }
}
