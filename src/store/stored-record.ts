/**
 * The one record a Durable Object keeps (a `HandoffObject` under the key `handoff`, a
 * `LoginObject` under `login`) in its synchronous KV storage (`ctx.storage.kv`), with a copy in
 * memory: the object is the only writer, so the copy it last read or wrote is always current and
 * a scan costs no storage read or deserialization.
 */
/** One record under one key of a Durable Object's synchronous KV storage, cached in memory. */
export class StoredRecord<R> {
  /** The record as last read or written; `undefined` until first read. */
  private copy: R | null | undefined;

  /**
   * @example
   * const stored = new StoredRecord<LoginRecord>(ctx.storage, "login");
   */
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly key: string,
  ) {}

  /**
   * The record, or null when there is none (never created, or deleted).
   *
   * @example
   * const rec = stored.load(); // synchronous: no await between read and write
   */
  load(): R | null {
    if (this.copy === undefined) this.copy = this.storage.kv.get<R>(this.key) ?? null;
    return this.copy;
  }

  /**
   * Write the record (held by the output gate until stored, like every write).
   *
   * @example
   * stored.save(next);
   */
  save(rec: R): void {
    this.storage.kv.put(this.key, rec);
    this.copy = rec;
  }

  /**
   * Delete everything the object stored.
   *
   * @example
   * await stored.deleteAll();
   */
  async deleteAll(): Promise<void> {
    this.copy = undefined; // read again after the delete, whatever its outcome
    await this.storage.deleteAll();
    this.copy = null;
  }
}
