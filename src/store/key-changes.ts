/**
 * Changes to an existing API key: a roll (a new key with the same settings, the old one ending
 * after a grace period) and an edit (name, origins, narrower scopes). In the admin kit: the
 * caller forgets the isolate's cached lookups afterwards (store/keys.ts `forgetKeyLookups`).
 */
import { type AuditActor, changesOf } from "../core/audit";
import { sha256Hex } from "../core/hash";
import { keyExpired, rollExpiries } from "../core/key-expiry";
import { auditIf } from "./audit-log";
import type { AnswerHook, Landed } from "./idempotency";
import { COLUMNS, K_COLUMNS, type ListedKey, newKey, type Row, type Scope, toRecord } from "./keys";

/** Why a key cannot be changed: what became of it. */
export type KeyRefusal =
  | { kind: "not_found" }
  | { kind: "revoked" }
  | { kind: "expired"; expires_at: number }
  | { kind: "rolled"; rolled_to: string }
  /** Another change landed between the read and the write (a concurrent roll or edit). */
  | { kind: "changed" };

/** Key `id` as `listKeys` (store/keys.ts) lists it, or null. */
async function readKey(db: D1Database, id: string): Promise<ListedKey | null> {
  const row = await db
    .prepare(
      `SELECT ${K_COLUMNS}, s.name AS store_name FROM api_keys k
       LEFT JOIN stores s ON s.id = k.store_id WHERE k.id = ?`,
    )
    .bind(id)
    .first<Row & { store_name: string | null }>();
  return row ? { ...toRecord(row), store_name: row.store_name } : null;
}

/** The refusal a key earns at `now` before anything changes it, or null: it may change. */
function refusalOf(key: ListedKey | null, now: number): KeyRefusal | null {
  if (!key) return { kind: "not_found" };
  if (key.revoked_at !== null) return { kind: "revoked" };
  if (key.rolled_to !== null) return { kind: "rolled", rolled_to: key.rolled_to };
  if (keyExpired(key.expires_at, now)) return { kind: "expired", expires_at: key.expires_at! };
  return null;
}

/**
 * Roll key `id` at `now`: a new key with its name, kind, scopes, origins, store and end (a
 * temporary key stays temporary), shown once; the old key ends `graceSeconds` later (0: at
 * once). One D1 batch, guarded on the row as read: of two rolls (or a roll and an edit) at
 * once, one lands and the other is `changed`. With `by`, the audit log's `key.roll` row (on the
 * old key) and `key.create` row (on the new one) are in the same batch.
 *
 * @example
 * const out = await rollKey(env.DB, "key_0123456789abcdef", 86_400, Date.now(), by);
 * if (out.kind === "ok") show(out.key);
 */
export async function rollKey(
  db: D1Database,
  id: string,
  graceSeconds: number,
  now: number,
  by?: AuditActor,
  answer?: AnswerHook<{ key: string; record: ListedKey; old: ListedKey }>,
): Promise<{ kind: "ok"; key: string; record: ListedKey; old: ListedKey } | KeyRefusal> {
  const old = await readKey(db, id);
  const refused = refusalOf(old, now);
  if (refused || !old) return refused ?? { kind: "not_found" };
  const ends = rollExpiries(old.expires_at, graceSeconds, now);
  const { key, id: newId } = newKey(old.kind);
  const update = db
    .prepare(
      `UPDATE api_keys SET expires_at = ?, rolled_to = ?, roll_family = COALESCE(roll_family, id)
       WHERE id = ? AND revoked_at IS NULL AND rolled_to IS NULL AND expires_at IS ?
         AND name = ? AND json(scopes) = json(?) AND json(origins) = json(?)`,
    )
    .bind(
      ends.old,
      newId,
      id,
      old.expires_at,
      old.name,
      JSON.stringify(old.scopes),
      JSON.stringify(old.origins),
    );
  // Copied from the row the UPDATE just marked: only a roll that landed inserts anything. The
  // new key joins the old one's roll family (store/key-family.ts), set by the UPDATE.
  const insert = db
    .prepare(
      `INSERT INTO api_keys (id, name, kind, key_hash, prefix, scopes, origins, created_at, store_id, expires_at, rolled_from, roll_family)
       SELECT ?, name, kind, ?, ?, scopes, origins, ?, store_id, ?, id, roll_family FROM api_keys
       WHERE id = ? AND rolled_to = ? RETURNING ${COLUMNS}`,
    )
    .bind(newId, await sha256Hex(key), key.slice(0, 12), now, ends.successor, id, newId);
  const rolled = changesOf({ rolled_to: newId, expires_at: ends.old });
  const { name, kind, scopes, origins, store_id } = old;
  const created = changesOf({
    name,
    kind,
    scopes,
    origins,
    store_id: store_id ?? undefined,
    expires_at: ends.successor ?? undefined,
    rolled_from: id,
  });
  const results = await db.batch<Row>([
    update,
    insert,
    ...auditIf(db, by, "key.roll", id, rolled, now, true),
    ...auditIf(db, by, "key.create", newId, created, now, true),
    ...((await answer?.(rolledAnswer(old, newId, key, now, ends), landedKey(newId))) ?? []),
  ]);
  const row = results[1]?.results[0];
  if (!row) return { kind: "changed" };
  const record = { ...toRecord(row), store_name: old.store_name };
  return { kind: "ok", key, record, old: { ...old, expires_at: ends.old, rolled_to: newId } };
}

/** What an edit may change. */
export interface KeyPatch {
  name?: string;
  /** A publishable key's allowed origins (at least one). */
  origins?: string[];
  /** Only a subset of the key's scopes: an edit narrows, never widens. */
  scopes?: Scope[];
}

/**
 * Edit key `id` at `now`: its name, a publishable key's origins, or fewer scopes. A field the key
 * cannot take is `{ kind: "invalid", field, message }`. The UPDATE is guarded on the row as read
 * (not revoked, rolled or expired, and the same scopes when they change), so two edits at once
 * never widen what either narrowed. With `by`, the `key.update` row is in the same batch.
 *
 * @example
 * await updateKey(env.DB, id, { origins: ["https://shop.example", "https://m.shop.example"] }, Date.now(), by);
 */
export async function updateKey(
  db: D1Database,
  id: string,
  patch: KeyPatch,
  now: number,
  by?: AuditActor,
): Promise<
  | { kind: "ok"; record: ListedKey }
  | { kind: "invalid"; field: string; message: string }
  | KeyRefusal
> {
  const key = await readKey(db, id);
  const refused = refusalOf(key, now);
  if (refused || !key) return refused ?? { kind: "not_found" };
  if (patch.origins !== undefined && key.kind !== "publishable")
    return { kind: "invalid", field: "origins", message: "only a publishable key has origins" };
  const wider = patch.scopes?.find((s) => !key.scopes.includes(s));
  if (wider)
    return {
      kind: "invalid",
      field: "scopes",
      message: `an edit only narrows a key's scopes, and this key lacks ${wider}: mint a new key for more`,
    };
  const sets: string[] = [];
  const args: unknown[] = [];
  const origins = patch.origins && [...new Set(patch.origins)];
  const scopes = patch.scopes && [...new Set(patch.scopes)];
  for (const [column, value] of [
    ["name", patch.name],
    ["origins", origins && JSON.stringify(origins)],
    ["scopes", scopes && JSON.stringify(scopes)],
  ] as const) {
    if (value === undefined) continue;
    sets.push(`${column} = ?`);
    args.push(value);
  }
  if (!sets.length)
    return {
      kind: "invalid",
      field: "name",
      message: "send at least one of name, origins, scopes",
    };
  const update = db
    .prepare(
      `UPDATE api_keys SET ${sets.join(", ")}
       WHERE id = ? AND revoked_at IS NULL AND rolled_to IS NULL
         AND (expires_at IS NULL OR expires_at > ?) AND (? IS NULL OR json(scopes) = json(?))
       RETURNING ${COLUMNS}`,
    )
    .bind(...args, id, now, scopes ? 1 : null, JSON.stringify(key.scopes));
  const changes = changesOf({ name: patch.name, origins, scopes });
  const [updated] = await db.batch<Row>([
    update,
    ...auditIf(db, by, "key.update", id, changes, now, true),
  ]);
  const row = updated?.results[0];
  if (!row) return { kind: "changed" };
  return { kind: "ok", record: { ...toRecord(row), store_name: key.store_name } };
}

/** Only a roll that landed inserted its new key: an `Idempotency-Key` answer only then. */
const landedKey = (id: string): Landed => ({
  sql: "EXISTS (SELECT 1 FROM api_keys WHERE id = ?)",
  args: [id],
});

/**
 * What a roll returns when it lands, drawn before its batch for the `Idempotency-Key` answer:
 * the insert copies the row the batch's guarded UPDATE matched to `old`.
 */
function rolledAnswer(
  old: ListedKey,
  newId: string,
  key: string,
  now: number,
  ends: { old: number | null; successor: number | null },
): { key: string; record: ListedKey; old: ListedKey } {
  const record: ListedKey = {
    ...old,
    id: newId,
    prefix: key.slice(0, 12),
    created_at: now,
    revoked_at: null,
    last_used_at: null,
    expires_at: ends.successor,
    rolled_to: null,
    rolled_from: old.id,
  };
  return { key, record, old: { ...old, expires_at: ends.old, rolled_to: newId } };
}
