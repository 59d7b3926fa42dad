/**
 * Stores and campaigns in D1: the two dimensions a poster scan is attributed to besides the
 * poster itself. Campaigns are created on first use by name (see posters.ts).
 */
import { customAlphabet } from "nanoid";
import { LIMITS } from "../config";
import type { Env } from "../env";
import { afterCursor, type Cursor, page } from "./paging";
import { invalidatePosters } from "./poster-cache";

const idPart = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 12);

export interface StoreRecord {
  id: string;
  name: string;
  address: string | null;
  ref: string | null;
  metadata: Record<string, unknown>;
  created_at: number;
  updated_at: number;
}

export interface StoreInput {
  name: string;
  address?: string | null;
  ref?: string | null;
  metadata?: Record<string, unknown>;
}

export interface CampaignRecord {
  id: string;
  name: string;
  created_at: number;
}

interface StoreRow extends Omit<StoreRecord, "metadata"> {
  metadata: string;
}

const STORE_COLUMNS = "id, name, address, ref, metadata, created_at, updated_at";
const toStore = (r: StoreRow): StoreRecord => ({
  ...r,
  metadata: JSON.parse(r.metadata) as Record<string, unknown>,
});

/**
 * A fresh campaign id (`cp_` + 12 chars).
 *
 * @example
 * newCampaignId() // "cp_0k3m9x2q7a1b"
 */
export function newCampaignId(): string {
  return `cp_${idPart()}`;
}

/**
 * Create a store.
 *
 * @example
 * const store = await createStore(env.DB, { name: "Shibuya", address: "1-2-3 Jingumae" });
 */
export async function createStore(db: D1Database, input: StoreInput): Promise<StoreRecord> {
  const now = Date.now();
  const record: StoreRecord = {
    id: `st_${idPart()}`,
    name: input.name,
    address: input.address ?? null,
    ref: input.ref ?? null,
    metadata: input.metadata ?? {},
    created_at: now,
    updated_at: now,
  };
  await db
    .prepare(`INSERT INTO stores (${STORE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .bind(
      record.id,
      record.name,
      record.address,
      record.ref,
      JSON.stringify(record.metadata),
      now,
      now,
    )
    .run();
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
  const { sql, args } = listWhere(opts, ["name", "ref", "address"]);
  const { results } = await db
    .prepare(`SELECT ${STORE_COLUMNS} FROM stores ${sql} ORDER BY created_at DESC, id DESC LIMIT ?`)
    .bind(...args, opts.limit + 1)
    .all<StoreRow>();
  return page(results.map(toStore), opts.limit);
}

/**
 * The WHERE clause of a list page: after the cursor, and containing `q` (case-insensitive for
 * ASCII, `%` and `_` taken literally) in any of `columns`.
 */
function listWhere(
  opts: { cursor?: Cursor | null; q?: string },
  columns: string[],
): { sql: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (opts.cursor) {
    const after = afterCursor(opts.cursor);
    where.push(after.sql);
    args.push(...after.args);
  }
  if (opts.q) {
    const pattern = `%${opts.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(`(${columns.map((col) => `${col} LIKE ? ESCAPE '\\'`).join(" OR ")})`);
    args.push(...columns.map(() => pattern));
  }
  return { sql: where.length ? `WHERE ${where.join(" AND ")}` : "", args };
}

/**
 * Change a store; only the fields present in `patch` change. A rename drops the scan path's
 * cache entries of the store's posters (a scan shows the store's name): up to
 * `LIMITS.renameInvalidatePosters` of them at once, the rest refresh within the cache's TTL.
 * Returns null for an unknown id.
 *
 * @example
 * await updateStore(env, id, { name: "Shibuya 2F" });
 */
export async function updateStore(
  env: Pick<Env, "DB" | "CACHE">,
  id: string,
  patch: Partial<StoreInput>,
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
  sets.push("updated_at = ?");
  args.push(Date.now());
  const row = await db
    .prepare(`UPDATE stores SET ${sets.join(", ")} WHERE id = ? RETURNING ${STORE_COLUMNS}`)
    .bind(...args, id)
    .first<StoreRow>();
  if (!row) return null;
  if (patch.name !== undefined) {
    const { results } = await db
      .prepare("SELECT id FROM posters WHERE store_id = ? AND deleted_at IS NULL LIMIT ?")
      .bind(id, LIMITS.renameInvalidatePosters)
      .all<{ id: string }>();
    await invalidatePosters(
      env.CACHE,
      results.map((r) => r.id),
    );
  }
  return toStore(row);
}

/**
 * Delete a store that no poster refers to (deleted posters included: their stats name it).
 *
 * @example
 * const outcome = await deleteStore(env.DB, id); // "deleted" | "not_found" | "in_use"
 */
export async function deleteStore(
  db: D1Database,
  id: string,
): Promise<"deleted" | "not_found" | "in_use"> {
  const res = await db
    .prepare(
      "DELETE FROM stores WHERE id = ? AND NOT EXISTS (SELECT 1 FROM posters WHERE store_id = ?)",
    )
    .bind(id, id)
    .run();
  if (res.meta.changes > 0) return "deleted";
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

/**
 * Campaigns, newest first, `limit` at a time.
 *
 * @example
 * const { items } = await listCampaigns(env.DB, { limit: 50 });
 */
export async function listCampaigns(
  db: D1Database,
  opts: { limit: number; cursor?: Cursor | null; q?: string },
): Promise<{ items: CampaignRecord[]; next_cursor: string | null }> {
  const { sql, args } = listWhere(opts, ["name"]);
  const { results } = await db
    .prepare(
      `SELECT id, name, created_at FROM campaigns ${sql} ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
    .bind(...args, opts.limit + 1)
    .all<CampaignRecord>();
  return page(results, opts.limit);
}

/**
 * Create a campaign by name (as a poster naming it would); null when the name is taken.
 *
 * @example
 * const campaign = await createCampaign(env.DB, "Summer 2026"); // { id: "cp_…", name, created_at }
 */
export async function createCampaign(db: D1Database, name: string): Promise<CampaignRecord | null> {
  return db
    .prepare(
      "INSERT INTO campaigns (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id, name, created_at",
    )
    .bind(newCampaignId(), name, Date.now())
    .first<CampaignRecord>();
}

/**
 * One campaign by name, or null.
 *
 * @example
 * const campaign = await campaignByName(env.DB, "Summer 2026");
 */
export async function campaignByName(db: D1Database, name: string): Promise<CampaignRecord | null> {
  return db
    .prepare("SELECT id, name, created_at FROM campaigns WHERE name = ?")
    .bind(name)
    .first<CampaignRecord>();
}

/**
 * One campaign by id, or null.
 *
 * @example
 * const campaign = await getCampaign(env.DB, "cp_0k3m9x2q7a1b");
 */
export async function getCampaign(db: D1Database, id: string): Promise<CampaignRecord | null> {
  return db
    .prepare("SELECT id, name, created_at FROM campaigns WHERE id = ?")
    .bind(id)
    .first<CampaignRecord>();
}

/**
 * One statement that creates the named campaigns unless they exist, for a `DB.batch()`: the
 * campaigns and the posters naming them are then written in one transaction.
 *
 * @example
 * await db.batch([ensureCampaignsStatement(db, ["Summer"], now), insertPosters]);
 */
export function ensureCampaignsStatement(
  db: D1Database,
  names: string[],
  now: number,
): D1PreparedStatement {
  const pairs = [...new Set(names)].map((name) => [newCampaignId(), name]);
  // `WHERE true` lets SQLite parse the upsert clause after a SELECT.
  return db
    .prepare(
      "INSERT INTO campaigns (id, name, created_at) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ? FROM json_each(?) WHERE true ON CONFLICT (name) DO NOTHING",
    )
    .bind(now, JSON.stringify(pairs));
}

/**
 * Ids of the named campaigns (as a statement, to read them inside the writing batch).
 *
 * @example
 * const [, , read] = await db.batch([ensure, insert, campaignIdsStatement(db, names)]);
 */
export function campaignIdsStatement(db: D1Database, names: string[]): D1PreparedStatement {
  return db
    .prepare("SELECT id, name FROM campaigns WHERE name IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify([...new Set(names)]));
}
