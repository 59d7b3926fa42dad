/**
 * API keys in D1 (`api_keys`). A key is shown once; only its SHA-256 hash is stored.
 */
import { customAlphabet } from "nanoid";
import { type AuditActor, changesOf } from "../core/audit";
import { BoundedCache } from "../core/bounded-cache";
import { sha256Hex } from "../core/hash";
import { auditIf } from "./audit-log";
import type { AnswerHook } from "./idempotency";
import { familyColumns, familyOf, type KeyFamily } from "./key-family";

export const SCOPES = [
  "handoffs:write",
  "posters:write",
  "stats:read",
  "webhooks:write",
  "logins:write",
  // Server-side app events: conversions counted per idempotency key (POST /v1/events).
  "events:write",
] as const;
export type Scope = (typeof SCOPES)[number];
/** Scopes a publishable key (used from browsers) may carry. */
export const PUBLISHABLE_SCOPES: readonly Scope[] = ["handoffs:write", "logins:write"];

export type KeyKind = "secret" | "publishable";

export interface ApiKeyRecord {
  id: string;
  name: string;
  kind: KeyKind;
  prefix: string;
  scopes: Scope[];
  origins: string[];
  created_at: number;
  revoked_at: number | null;
  /** When the key last authenticated a request (unix ms), to the hour; null: never since 0016. */
  last_used_at: number | null;
  /** The one store whose stats the key reads (routes/store-scope.ts); null: every store. */
  store_id: string | null;
  /** From when the key is refused (unix ms: a temporary key, or one rolled); null: never. */
  expires_at: number | null;
  /** The key a roll made to replace this one; null: not rolled. */
  rolled_to: string | null;
  /** The key this one was rolled from; null: minted. */
  rolled_from: string | null;
}

/** A key as the API lists it: its record and its store's name (null: none, or deleted). */
export type ListedKey = ApiKeyRecord & { store_name: string | null };

/**
 * An authenticated key: its record, whether its store (if it has one) still exists, and its roll
 * family (store/key-family.ts).
 */
export interface ActiveKey extends ApiKeyRecord, KeyFamily {
  /** False only for a store key whose store was deleted: it may then read nothing. */
  store_exists: boolean;
}

const secretPart = customAlphabet(
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  32,
);
const idPart = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 16);

/** A row of `api_keys` as D1 returns it (the columns of {@link COLUMNS}). */
export interface Row {
  id: string;
  name: string;
  kind: KeyKind;
  prefix: string;
  scopes: string;
  origins: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
  store_id: string | null;
  expires_at: number | null;
  rolled_to: string | null;
  rolled_from: string | null;
}

/** A row of `api_keys` (without its hash) as the record the API shows. */
export const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  prefix: r.prefix,
  scopes: JSON.parse(r.scopes) as Scope[],
  origins: JSON.parse(r.origins) as string[],
  created_at: r.created_at,
  revoked_at: r.revoked_at,
  last_used_at: r.last_used_at,
  store_id: r.store_id,
  expires_at: r.expires_at,
  rolled_to: r.rolled_to,
  rolled_from: r.rolled_from,
});

/** Every column of a key's record, for a SELECT or a RETURNING. */
export const COLUMNS =
  "id, name, kind, prefix, scopes, origins, created_at, revoked_at, last_used_at, store_id, expires_at, rolled_to, rolled_from";
/** {@link COLUMNS} of `api_keys k`, for a SELECT joining another table. */
export const K_COLUMNS = COLUMNS.split(", ")
  .map((c) => `k.${c}`)
  .join(", ");

/**
 * A new key's text (shown once, never stored) and public id.
 *
 * @example
 * const { key, id } = newKey("secret"); // "qb_sk_…" (38 characters), "key_…"
 */
export function newKey(kind: KeyKind): { key: string; id: string } {
  return {
    key: `${kind === "secret" ? "qb_sk_" : "qb_pk_"}${secretPart()}`,
    id: `key_${idPart()}`,
  };
}

/**
 * Mint a key. Returns the record and the key text, which is never stored. With `by`, the
 * audit log's `key.create` row is written in the same batch (never the key text or its hash).
 *
 * @example
 * const { key, record } = await mintKey(env.DB, { name: "web", kind: "publishable", scopes: ["handoffs:write"], origins: ["https://shop.example"] });
 */
export async function mintKey(
  db: D1Database,
  input: {
    name: string;
    kind: KeyKind;
    scopes: Scope[];
    origins?: string[];
    store_id?: string;
    expires_at?: number;
  },
  by?: AuditActor,
  answer?: AnswerHook<{ key: string; record: ApiKeyRecord }>,
): Promise<{ key: string; record: ApiKeyRecord }> {
  const { key, id } = newKey(input.kind);
  const record: ApiKeyRecord = {
    id,
    name: input.name,
    kind: input.kind,
    prefix: key.slice(0, 12),
    scopes: [...new Set(input.scopes)],
    origins: input.origins ?? [],
    created_at: Date.now(),
    revoked_at: null,
    last_used_at: null,
    store_id: input.store_id ?? null,
    expires_at: input.expires_at ?? null,
    rolled_to: null,
    rolled_from: null,
  };
  const insert = db
    .prepare(
      "INSERT INTO api_keys (id, name, kind, key_hash, prefix, scopes, origins, created_at, store_id, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(
      record.id,
      record.name,
      record.kind,
      await sha256Hex(key),
      record.prefix,
      JSON.stringify(record.scopes),
      JSON.stringify(record.origins),
      record.created_at,
      record.store_id,
      record.expires_at,
    );
  const { name, kind, scopes, origins } = record;
  const { store_id, expires_at } = input;
  const changes = changesOf({ name, kind, scopes, origins, store_id, expires_at });
  await db.batch([
    insert,
    ...auditIf(db, by, "key.create", record.id, changes, record.created_at),
    ...((await answer?.({ key, record })) ?? []),
  ]);
  return { key, record };
}

// Per-isolate memory of lookups by hash: a key is checked on every API call, and each check it
// answers is a D1 read saved. Revocation, a roll and an edit therefore take up to this long to
// reach every isolate (their own isolate forgets at once). An expiry already in the row is
// checked on every request against the request's clock, cached or not (routes/middleware.ts).
export const CACHE_MS = 30_000;
// Kept per D1 database, as the rows it copies: a Worker mounting two bridges on two databases
// must not accept one bridge's key on the other for the cache's lifetime. A change to a key
// forgets every database's lookups in this isolate (the generation moves on): a caller may
// reach the same database through another binding object (a wrapper), which must not keep
// a revoked key.
// Pure: a bundle that never reads it (a kit: scripts/build-lazy-modules.mjs) leaves it out.
const lookups = /* @__PURE__ */ new WeakMap<
  D1Database,
  { generation: number; cache: BoundedCache<string, ActiveKey | null> }
>();
let lookupGeneration = 0;

function lookupsIn(db: D1Database): BoundedCache<string, ActiveKey | null> {
  let entry = lookups.get(db);
  if (!entry || entry.generation !== lookupGeneration) {
    entry = { generation: lookupGeneration, cache: new BoundedCache(1000, CACHE_MS) };
    lookups.set(db, entry);
  }
  return entry.cache;
}

/**
 * Forget this isolate's key lookups, after a change to a key (a roll, an edit): the next request
 * of this isolate reads the row again. Other isolates see the change within {@link CACHE_MS}.
 * Here, not in the admin kit, which has no access to this cache (scripts/kit-state.mjs).
 *
 * @example
 * forgetKeyLookups();
 */
export function forgetKeyLookups(): void {
  lookupGeneration++;
}

/**
 * Find a key that is not revoked by its text; it may have expired (the caller checks
 * `expires_at` against its clock, so a cached record ends on time too). The lookup is by
 * SHA-256 hash (an index hit, and the hash of a guess reveals nothing about a real key). A store
 * key's store is looked up in the same query (one primary-key row more), so a deleted store is
 * seen without another round trip; so is a rolled key's family (store/key-family.ts: up to 21
 * index entries more, none for a key never rolled), cached with the key.
 *
 * @example
 * const record = await findUnrevokedKey(env.DB, bearer);
 */
export async function findUnrevokedKey(db: D1Database, key: string): Promise<ActiveKey | null> {
  const hash = await sha256Hex(key);
  const cache = lookupsIn(db);
  const hit = cache.get(hash);
  if (hit !== undefined) return hit;
  const row = await db
    .prepare(
      `SELECT ${K_COLUMNS}, s.id IS NOT NULL AS store_exists, ${familyColumns("k")}
       FROM api_keys k LEFT JOIN stores s ON s.id = k.store_id
       WHERE k.key_hash = ? AND k.revoked_at IS NULL`,
    )
    .bind(hash)
    .first<Row & { store_exists: number; roll_family: string | null; family: string | null }>();
  const record = row
    ? {
        ...toRecord(row),
        store_exists: row.store_id === null || row.store_exists === 1,
        ...familyOf(row.id, row, row.rolled_from, row.rolled_to),
      }
    : null;
  cache.set(hash, record);
  return record;
}

/**
 * List keys (never their text), newest first, a store key with its store's name (null when
 * the store was deleted).
 *
 * @example
 * const keys = await listKeys(env.DB);
 */
export async function listKeys(db: D1Database): Promise<ListedKey[]> {
  const { results } = await db
    .prepare(
      `SELECT ${K_COLUMNS}, s.name AS store_name FROM api_keys k
        LEFT JOIN stores s ON s.id = k.store_id ORDER BY k.created_at DESC LIMIT 500`,
    )
    .all<Row & { store_name: string | null }>();
  return results.map((r) => ({ ...toRecord(r), store_name: r.store_name }));
}

/**
 * Revoke a key; returns false when there is no such active key. With `by`, the audit log's
 * `key.revoke` row is written in the same batch, only when the key was active.
 *
 * @example
 * await revokeKey(env.DB, "key_0123456789abcdef");
 */
export async function revokeKey(db: D1Database, id: string, by?: AuditActor): Promise<boolean> {
  const now = Date.now();
  const revoke = db
    .prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
    .bind(now, id);
  const [res] = await db.batch([
    revoke,
    ...auditIf(db, by, "key.revoke", id, changesOf({}), now, true),
  ]);
  forgetKeyLookups();
  return (res?.meta.changes ?? 0) > 0;
}
