/**
 * The one record a `HandoffObject` keeps, under the key `handoff` of its synchronous KV storage
 * (`ctx.storage.kv`), with a copy in memory: the object is the only writer, so the copy it last
 * read or wrote is always current and a scan costs no storage read or deserialization.
 */
import type { HandoffRecord } from "../core/handoff";

const KEY = "handoff";

export class StoredHandoff {
  /** The record as last read or written; `undefined` until first read. */
  private copy: HandoffRecord | null | undefined;

  /**
   * @example
   * const stored = new StoredHandoff(ctx.storage);
   */
  constructor(private readonly storage: DurableObjectStorage) {}

  /**
   * The record, or null when there is none (never created, or deleted).
   *
   * @example
   * const rec = stored.load(); // synchronous: no await between read and write
   */
  load(): HandoffRecord | null {
    if (this.copy === undefined) this.copy = this.storage.kv.get<HandoffRecord>(KEY) ?? null;
    return this.copy;
  }

  /**
   * Write the record (held by the output gate until stored, like every write).
   *
   * @example
   * stored.save(next);
   */
  save(rec: HandoffRecord): void {
    this.storage.kv.put(KEY, rec);
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
