/**
 * Dashboard sign-in sessions (`dashboard_sessions`). The browser holds a random secret in an
 * HttpOnly cookie; D1 holds only its SHA-256 hash, the key that signed in and the expiry. A
 * session dies with its key: revoking the API key ends every session it opened, and rotating
 * the admin key ends every session the old one opened (an admin session stores a MAC of its
 * id under the admin key, checked on every use). A session's rights are its key's scopes and
 * store (a store key's), read afresh from the key's row on every use, never from the cookie; its CSRF token is derived from the cookie value, so it needs no column.
 * So is its key's roll family: a session is the same caller as its key, and as every key of the
 * key's roll chain (store/key-family.ts).
 */
import { sha256Hex } from "../core/hash";
import { constantTimeEqual } from "../core/token";
import { familyColumns, familyOf, type KeyFamily } from "./key-family";

/** How long a dashboard session lasts, ms (12 hours, not extended by use). */
export const SESSION_TTL_MS = 12 * 3_600_000;

/** A signed-in dashboard user (an admin session's family: none). */
export interface DashboardSession extends KeyFamily {
  keyId: string;
  expiresAt: number;
  /** The key's scopes now (`["admin"]` for the admin key). */
  scopes: string[];
  /** The session's CSRF token: state-changing console requests echo it in `x-csrf-token`. */
  csrf: string;
  /** The key's store now, for a store key (routes/store-scope.ts); null: every store. */
  storeId: string | null;
  /** False only when the key's store was deleted: the session then reads nothing. */
  storeExists: boolean;
}

/** The id "admin" in `key_id`: the session was opened with the admin key. */
const ADMIN = "admin";

/**
 * What binds an admin session to the admin key that opened it: base64url
 * HMAC-SHA256(adminKey, "qrbridge.dashboard-session." + idHash). Per session, so the stored
 * value says nothing reusable about the key.
 */
function keyBinding(adminKey: string, idHash: string): Promise<string> {
  return hmacBase64Url(adminKey, `qrbridge.dashboard-session.${idHash}`);
}

async function hmacBase64Url(secretKey: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secretKey),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(message)));
  let bin = "";
  for (const b of mac) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The CSRF token of the session behind a cookie value: base64url
 * HMAC-SHA256(cookie value, "qrbridge.dashboard-csrf"). Only the server and the page it renders
 * know it (the cookie is HttpOnly, so no script and no other site can derive it), it lives and
 * dies with the session, and deriving it means D1 stores nothing more.
 *
 * @example
 * const token = await sessionCsrfToken(cookieValue); // 43 base64url characters
 */
export function sessionCsrfToken(value: string): Promise<string> {
  return hmacBase64Url(value, "qrbridge.dashboard-csrf");
}

function secret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Open a session for `keyId` ("admin" for the admin key, bound to `adminKey`); returns the
 * cookie value (shown to the browser only), or null when the key's own row no longer lets it in
 * (revoked, or past its `expires_at`): the caller's key lookup may be an isolate's cached copy,
 * and another isolate may have ended the key since, so the row is checked in the insert itself.
 *
 * @example
 * const session = await createSession(env.DB, "key_0123456789abcdef", config);
 * if (!session) return signInPage(c, 401, { error: "invalid" });
 */
export async function createSession(
  db: D1Database,
  keyId: string,
  config: { adminKey: string },
  now = Date.now(),
): Promise<{ value: string; expiresAt: number } | null> {
  const value = secret();
  const idHash = await sha256Hex(value);
  const expiresAt = now + SESSION_TTL_MS;
  if (keyId === ADMIN) {
    await db
      .prepare(
        "INSERT INTO dashboard_sessions (id_hash, key_id, key_binding, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
      )
      .bind(idHash, keyId, await keyBinding(config.adminKey, idHash), now, expiresAt)
      .run();
    return { value, expiresAt };
  }
  // The same test findSession makes of the key, so no session is written that it would refuse.
  const { meta } = await db
    .prepare(
      `INSERT INTO dashboard_sessions (id_hash, key_id, key_binding, created_at, expires_at)
       SELECT ?, id, NULL, ?, ? FROM api_keys
       WHERE id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
    )
    .bind(idHash, now, expiresAt, keyId, now)
    .run();
  return meta.changes === 1 ? { value, expiresAt } : null;
}

/**
 * The live session behind a cookie value: not expired, and its key still active (not revoked,
 * not past its `expires_at`) — for an
 * admin session, opened with the admin key configured now (`config.adminKey`). Null otherwise.
 *
 * @example
 * const session = await findSession(env.DB, cookieValue, config);
 */
export async function findSession(
  db: D1Database,
  value: string,
  config: { adminKey: string },
  now = Date.now(),
): Promise<DashboardSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(value)) return null;
  const idHash = await sha256Hex(value);
  const row = await db
    .prepare(
      `SELECT s.key_id, s.key_binding, s.expires_at, k.scopes, k.store_id,
              st.id IS NOT NULL AS store_exists, k.rolled_from, k.rolled_to, ${familyColumns("k")}
       FROM dashboard_sessions s
       LEFT JOIN api_keys k ON k.id = s.key_id
       LEFT JOIN stores st ON st.id = k.store_id
       WHERE s.id_hash = ? AND s.expires_at > ?
         AND (s.key_id = 'admin' OR (k.id IS NOT NULL AND k.revoked_at IS NULL
              AND (k.expires_at IS NULL OR k.expires_at > ?)))`,
    )
    .bind(idHash, now, now)
    .first<{
      key_id: string;
      key_binding: string | null;
      expires_at: number;
      scopes: string | null;
      store_id: string | null;
      store_exists: number;
      rolled_from: string | null;
      rolled_to: string | null;
      roll_family: string | null;
      family: string | null;
    }>();
  if (!row) return null;
  if (row.key_id === ADMIN) {
    const expected = await keyBinding(config.adminKey, idHash);
    if (row.key_binding === null || !constantTimeEqual(row.key_binding, expected)) return null;
  }
  const scopes = row.key_id === ADMIN ? [ADMIN] : (JSON.parse(row.scopes ?? "[]") as string[]);
  return {
    keyId: row.key_id,
    expiresAt: row.expires_at,
    scopes,
    csrf: await sessionCsrfToken(value),
    storeId: row.key_id === ADMIN ? null : row.store_id,
    storeExists: row.store_id === null || row.store_exists === 1,
    ...familyOf(row.key_id, row, row.rolled_from, row.rolled_to),
  };
}

/**
 * End a session (sign out). Unknown values are ignored.
 *
 * @example
 * await deleteSession(env.DB, cookieValue);
 */
export async function deleteSession(db: D1Database, value: string): Promise<void> {
  await db
    .prepare("DELETE FROM dashboard_sessions WHERE id_hash = ?")
    .bind(await sha256Hex(value))
    .run();
}
