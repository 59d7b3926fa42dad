/**
 * When a key was last used (`api_keys.last_used_at`, to the hour): written at most once an hour
 * per key, however many requests it authenticates.
 */
import { KEY_USE_EVERY_MS, keyUseDue } from "../core/audit";
import type { ApiKeyRecord } from "./keys";

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
