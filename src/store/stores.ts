/**
 * Stores in D1: where a poster hangs, one of the dimensions a poster scan is attributed to
 * (campaigns are the other: campaigns.ts).
 */
import { customAlphabet } from "nanoid";
import { type AuditActor, changesOf } from "../core/audit";
import { timeZoneName } from "../core/time-zone";
import type { Env } from "../env";
import { LIMITS } from "../limits";
import { auditIf } from "./audit-log";
import type { WaitUntil } from "./hops";
import type { AnswerHook } from "./idempotency";
import { type Cursor, listPageWhere, page } from "./paging";
import { invalidatePosters } from "./poster-cache";
import { dropStorePostersAgain } from "./poster-redrop";
import { zoneInUseStatements } from "./store-zones";

const idPart = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 12);

export interface StoreRecord {
  id: string;
  name: string;
  address: string | null;
  ref: string | null;
  metadata: Record<string, unknown>;
  /** The store's reporting time zone (IANA); null = the deployment's (`QB_REPORTING_TIME_ZONE`). */
  time_zone: string | null;
  created_at: number;
  updated_at: number;
}

export interface StoreInput {
  name: string;
  address?: string | null;
  ref?: string | null;
  metadata?: Record<string, unknown>;
  /** An IANA name the runtime knows (stored canonical), or null for the deployment's zone. */
  time_zone?: string | null;
}

interface StoreRow extends Omit<StoreRecord, "metadata"> {
  metadata: string;
}

const STORE_COLUMNS = "id, name, address, ref, metadata, time_zone, created_at, updated_at";
/** A store's metadata is the shop's own free-form data: the audit log names it, never copies it. */
const storeChanges = (input: Partial<StoreInput>) => changesOf({ ...input }, ["metadata"]);

/**
 * The stored spelling of a zone: canonical ("asia/tokyo" → "Asia/Tokyo"), null for none. The
 * route has checked it; one the runtime does not know is refused here too, never stored.
 */
function storedZone(zone: string | null | undefined): string | null {
  if (zone === undefined || zone === null) return null;
  const name = timeZoneName(zone);
  if (!name) throw new RangeError(`time_zone: not a time zone: ${zone}`);
  return name;
}

const toStore = (r: StoreRow): StoreRecord => ({
  ...r,
  metadata: JSON.parse(r.metadata) as Record<string, unknown>,
});

/**
 * Create a store (with `by`, and its audit row in the same batch; with `answer`, the
 * `Idempotency-Key` answer too).
 *
 * @example
 * const store = await createStore(env.DB, { name: "Shibuya", address: "1-2-3 Jingumae" });
 */
export async function createStore(
  db: D1Database,
  input: StoreInput,
  by?: AuditActor,
  answer?: AnswerHook<StoreRecord>,
): Promise<StoreRecord> {
  const now = Date.now();
  const record: StoreRecord = {
    id: `st_${idPart()}`,
    name: input.name,
    address: input.address ?? null,
    ref: input.ref ?? null,
    metadata: input.metadata ?? {},
    time_zone: storedZone(input.time_zone),
    created_at: now,
    updated_at: now,
  };
  await db.batch([
    db
      .prepare(`INSERT INTO stores (${STORE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .bind(
        record.id,
        record.name,
        record.address,
        record.ref,
        JSON.stringify(record.metadata),
        record.time_zone,
        now,
        now,
      ),
    ...zoneInUseStatements(db, record.id, record.time_zone, now),
    ...auditIf(db, by, "store.create", record.id, storeChanges(input), now),
    ...((await answer?.(record)) ?? []),
  ]);
  return record;
}

/**
 * One store, or null.
 *
 * @example
 * const store = await getStore(env.DB, "st_0k3m9x2q7a1b");
 */
export async function getStore(db: D1Database, id: string): Promise<StoreRecord | null> {
  const row = await db
    .prepare(`SELECT ${STORE_COLUMNS} FROM stores WHERE id = ?`)
    .bind(id)
    .first<StoreRow>();
  return row ? toStore(row) : null;
}

/**
 * Stores, newest first, `limit` at a time.
 *
 * @example
 * const { items, next_cursor } = await listStores(env.DB, { limit: 50 });
 */
export async function listStores(
  db: D1Database,
  opts: { limit: number; cursor?: Cursor | null; q?: string },
): Promise<{ items: StoreRecord[]; next_cursor: string | null }> {
  const { sql, args } = listPageWhere(opts, ["name", "ref", "address"]);
  const { results } = await db
    .prepare(`SELECT ${STORE_COLUMNS} FROM stores ${sql} ORDER BY created_at DESC, id DESC LIMIT ?`)
    .bind(...args, opts.limit + 1)
    .all<StoreRow>();
  return page(results.map(toStore), opts.limit);
}

/**
 * Change a store; only the fields present in `patch` change. A rename or a time zone change
 * drops the scan path's cache entries of the store's posters (a scan shows the store's name,
 * and files its hops under the store's day): up to `LIMITS.renameInvalidatePosters` of them at
 * once, live ones first (a deleted poster's code still answers, naming the store). Every
 * poster's entry is dropped (again) 10 s later (a scan in another isolate may
 * have written one back) by the consumer of a delayed queue message, a page at a time; without
 * a queue, the first ones again in `later`'s `waitUntil`, the rest refresh within the cache's
 * TTL (store/poster-redrop.ts).
 * Returns null for an unknown id. With `by`, the audit row is written in the same batch.
 *
 * @example
 * await updateStore(env, id, { name: "Shibuya 2F" }, actor, c.executionCtx);
 */
export async function updateStore(
  env: Pick<Env, "DB" | "CACHE" | "WEBHOOKS" | "HOPS">,
  id: string,
  patch: Partial<StoreInput>,
  by?: AuditActor,
  later?: WaitUntil,
): Promise<StoreRecord | null> {
  const db = env.DB;
  const sets: string[] = [];
  const args: unknown[] = [];
  for (const field of ["name", "address", "ref"] as const) {
    if (patch[field] !== undefined) {
      sets.push(`${field} = ?`);
      args.push(patch[field]);
    }
  }
  if (patch.metadata !== undefined) {
    sets.push("metadata = ?");
    args.push(JSON.stringify(patch.metadata));
  }
  const zone = patch.time_zone === undefined ? undefined : storedZone(patch.time_zone);
  if (zone !== undefined) {
    sets.push("time_zone = ?");
    args.push(zone);
  }
  const now = Date.now();
  sets.push("updated_at = ?");
  args.push(now);
  const [updated] = await db.batch<StoreRow>([
    db
      .prepare(`UPDATE stores SET ${sets.join(", ")} WHERE id = ? RETURNING ${STORE_COLUMNS}`)
      .bind(...args, id),
    ...zoneInUseStatements(db, id, zone, now),
    ...auditIf(db, by, "store.update", id, storeChanges(patch), now, true),
  ]);
  const row = updated?.results[0];
  if (!row) return null;
  if (patch.name !== undefined || zone !== undefined) {
    // Deleted posters too: their printed codes still answer, naming the store, and their
    // `rejected` hops are filed on its days. Live ones first, so deleted ones never push them
    // past the limit (and the second part is read only when the first leaves room).
    const { results } = await db
      .prepare(
        `SELECT id FROM (SELECT id FROM posters WHERE store_id = ?1 AND deleted_at IS NULL LIMIT ?2)
         UNION ALL
         SELECT id FROM (SELECT id FROM posters WHERE store_id = ?1 AND deleted_at IS NOT NULL LIMIT ?2)
         LIMIT ?2`,
      )
      .bind(id, LIMITS.renameInvalidatePosters)
      .all<{ id: string }>();
    const ids = results.map((r) => r.id);
    const spent = await invalidatePosters(env.CACHE, ids);
    await dropStorePostersAgain(env, id, ids, spent, later);
  }
  return toStore(row);
}

/**
 * Delete a store that no poster refers to (deleted posters included: their stats name it).
 * With `by`, the audit row is written in the same batch, only when the store was deleted.
 *
 * @example
 * const outcome = await deleteStore(env.DB, id); // "deleted" | "not_found" | "in_use"
 */
export async function deleteStore(
  db: D1Database,
  id: string,
  by?: AuditActor,
): Promise<"deleted" | "not_found" | "in_use"> {
  const [res] = await db.batch([
    db
      .prepare(
        "DELETE FROM stores WHERE id = ? AND NOT EXISTS (SELECT 1 FROM posters WHERE store_id = ?)",
      )
      .bind(id, id),
    ...auditIf(db, by, "store.delete", id, changesOf({}), Date.now(), true),
  ]);
  if ((res?.meta.changes ?? 0) > 0) return "deleted";
  return (await getStore(db, id)) ? "in_use" : "not_found";
}

/**
 * Names of the stores among `ids` that exist (one query, any number of ids).
 *
 * @example
 * const names = await storeNames(env.DB, ["st_a", "st_b"]); // Map { "st_a" => "Shibuya" }
 */
export async function storeNames(db: D1Database, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  // json_each keeps this one bound parameter: D1 allows at most 100 per statement.
  const { results } = await db
    .prepare("SELECT id, name FROM stores WHERE id IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify([...new Set(ids)]))
    .all<{ id: string; name: string }>();
  return new Map(results.map((r) => [r.id, r.name]));
}
