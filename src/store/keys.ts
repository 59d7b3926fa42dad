/**
 * API keys in D1 (`api_keys`). A key is shown once; only its SHA-256 hash is stored.
 */
import { customAlphabet } from "nanoid";
import { type AuditActor, changesOf, KEY_USE_EVERY_MS, keyUseDue } from "../core/audit";
import { BoundedCache } from "../core/bounded-cache";
import { sha256Hex } from "../core/hash";
import { auditIf } from "./audit-log";

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
  last_used_at: number | null;
}

const toRecord = (r: Row): ApiKeyRecord => ({
  ...r,
  scopes: JSON.parse(r.scopes) as Scope[],
  origins: JSON.parse(r.origins) as string[],
});

const COLUMNS = "id, name, kind, prefix, scopes, origins, created_at, revoked_at, last_used_at";

/**
 * Mint a key. Returns the record and the key text, which is never stored. With `by`, the
 * audit log's `key.create` row is written in the same batch (never the key text or its hash).
 *
 * @example
 * const { key, record } = await mintKey(env.DB, { name: "web", kind: "publishable", scopes: ["handoffs:write"], origins: ["https://shop.example"] });
 */
export async function mintKey(
  db: D1Database,
  input: { name: string; kind: KeyKind; scopes: Scope[]; origins?: string[] },
  by?: AuditActor,
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
    last_used_at: null,
  };
  const insert = db
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
    );
  const { name, kind, scopes, origins } = record;
  const changes = changesOf({ name, kind, scopes, origins });
  await db.batch([insert, ...auditIf(db, by, "key.create", record.id, changes, record.created_at)]);
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
    .prepare(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL`)
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
    .prepare(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at DESC LIMIT 500`)
    .all<Row>();
  return results.map(toRecord);
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
  lookupCache.clear();
  return (res?.meta.changes ?? 0) > 0;
}

/**
 * Note that `record` (a key just authenticated) was used at `now`: when its `last_used_at` is an
 * hour old, set it on the isolate's cached record at once (the other requests of this isolate
 * see it and send nothing) and return the write for the caller's `waitUntil`; else null. The
 * write is conditional, so isolates that race write the row once. About one D1 row written per
 * key and hour, whatever the traffic.
 *
 * @example
 * const write = noteKeyUse(env.DB, record, Date.now());
 * if (write) ctx.waitUntil(write);
 */
export function noteKeyUse(
  db: D1Database,
  record: ApiKeyRecord,
  now: number,
): Promise<unknown> | null {
  if (!keyUseDue(record.last_used_at, now)) return null;
  record.last_used_at = now;
  return db
    .prepare(
      "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
    )
    .bind(now, record.id, now - KEY_USE_EVERY_MS)
    .run()
    .catch((err: unknown) => console.error("qrbridge: could not note a key's use", err));
}
