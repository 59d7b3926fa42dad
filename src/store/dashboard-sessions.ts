/**
 * Dashboard sign-in sessions (`dashboard_sessions`). The browser holds a random secret in an
 * HttpOnly cookie; D1 holds only its SHA-256 hash, the key that signed in and the expiry. A
 * session dies with its key: revoking the API key ends every session it opened.
 */
import { sha256Hex } from "../core/hash";

/** How long a dashboard session lasts, ms (12 hours, not extended by use). */
export const SESSION_TTL_MS = 12 * 3_600_000;

/** A signed-in dashboard user. */
export interface DashboardSession {
  keyId: string;
  expiresAt: number;
}

function secret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Open a session for `keyId`; returns the cookie value (shown to the browser only).
 *
 * @example
 * const { value, expiresAt } = await createSession(env.DB, "key_0123456789abcdef");
 */
export async function createSession(
  db: D1Database,
  keyId: string,
  now = Date.now(),
): Promise<{ value: string; expiresAt: number }> {
  const value = secret();
  const expiresAt = now + SESSION_TTL_MS;
  await db
    .prepare(
      "INSERT INTO dashboard_sessions (id_hash, key_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind(await sha256Hex(value), keyId, now, expiresAt)
    .run();
  return { value, expiresAt };
}

/**
 * The live session behind a cookie value: not expired, and its key still active (or the
 * admin key). Null otherwise.
 *
 * @example
 * const session = await findSession(env.DB, cookieValue);
 */
export async function findSession(
  db: D1Database,
  value: string,
  now = Date.now(),
): Promise<DashboardSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(value)) return null;
  const row = await db
    .prepare(
      `SELECT s.key_id, s.expires_at FROM dashboard_sessions s
       LEFT JOIN api_keys k ON k.id = s.key_id
       WHERE s.id_hash = ? AND s.expires_at > ?
         AND (s.key_id = 'admin' OR (k.id IS NOT NULL AND k.revoked_at IS NULL))`,
    )
    .bind(await sha256Hex(value), now)
    .first<{ key_id: string; expires_at: number }>();
  return row ? { keyId: row.key_id, expiresAt: row.expires_at } : null;
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
