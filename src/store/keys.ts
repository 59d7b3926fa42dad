/**
 * API keys in D1 (`api_keys`). A key is shown once; only its SHA-256 hash is stored.
 */
import { customAlphabet } from "nanoid";
import { BoundedCache } from "../core/bounded-cache";
import { sha256Hex } from "../core/hash";

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
}

const secretPart = customAlphabet(
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  32,
);
const idPart = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 16);

interface Row {
  id: string;
  name: string;
  kind: KeyKind;
  prefix: string;
  scopes: string;
  origins: string;
  created_at: number;
  revoked_at: number | null;
}

const toRecord = (r: Row): ApiKeyRecord => ({
  ...r,
  scopes: JSON.parse(r.scopes) as Scope[],
  origins: JSON.parse(r.origins) as string[],
});

/**
 * Mint a key. Returns the record and the key text, which is never stored.
 *
 * @example
 * const { key, record } = await mintKey(env.DB, { name: "web", kind: "publishable", scopes: ["handoffs:write"], origins: ["https://shop.example"] });
 */
export async function mintKey(
  db: D1Database,
  input: { name: string; kind: KeyKind; scopes: Scope[]; origins?: string[] },
): Promise<{ key: string; record: ApiKeyRecord }> {
  const key = `${input.kind === "secret" ? "qb_sk_" : "qb_pk_"}${secretPart()}`;
  const record: ApiKeyRecord = {
    id: `key_${idPart()}`,
    name: input.name,
    kind: input.kind,
    prefix: key.slice(0, 12),
    scopes: [...new Set(input.scopes)],
    origins: input.origins ?? [],
    created_at: Date.now(),
    revoked_at: null,
  };
  await db
    .prepare(
      "INSERT INTO api_keys (id, name, kind, key_hash, prefix, scopes, origins, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
    )
    .run();
  return { key, record };
}

// Per-isolate memory of lookups by hash: a key is checked on every API call, and each check it
// answers is a D1 read saved. Revocation therefore takes up to this long to reach every isolate.
const CACHE_MS = 30_000;
const lookupCache = new BoundedCache<string, ApiKeyRecord | null>(1000, CACHE_MS);

/**
 * Find an active key by its text. The lookup is by SHA-256 hash (an index hit, and the hash
 * of a guess reveals nothing about a real key).
 *
 * @example
 * const record = await findActiveKey(env.DB, bearer);
 */
export async function findActiveKey(db: D1Database, key: string): Promise<ApiKeyRecord | null> {
  const hash = await sha256Hex(key);
  const hit = lookupCache.get(hash);
  if (hit !== undefined) return hit;
  const row = await db
    .prepare(
      "SELECT id, name, kind, prefix, scopes, origins, created_at, revoked_at FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
    )
    .bind(hash)
    .first<Row>();
  const record = row ? toRecord(row) : null;
  lookupCache.set(hash, record);
  return record;
}

/**
 * List keys (never their text), newest first.
 *
 * @example
 * const keys = await listKeys(env.DB);
 */
export async function listKeys(db: D1Database): Promise<ApiKeyRecord[]> {
  const { results } = await db
    .prepare(
      "SELECT id, name, kind, prefix, scopes, origins, created_at, revoked_at FROM api_keys ORDER BY created_at DESC LIMIT 500",
    )
    .all<Row>();
  return results.map(toRecord);
}

/**
 * Revoke a key; returns false when there is no such active key.
 *
 * @example
 * await revokeKey(env.DB, "key_0123456789abcdef");
 */
export async function revokeKey(db: D1Database, id: string): Promise<boolean> {
  const res = await db
    .prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
    .bind(Date.now(), id)
    .run();
  lookupCache.clear();
  return res.meta.changes > 0;
}
