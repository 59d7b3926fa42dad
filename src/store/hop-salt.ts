/**
 * The salt of the day's IP hashes (`hop_salts`): random, one per day of the reporting time zone
 * (`QB_REPORTING_TIME_ZONE`, the day a hop counts on), shared by every isolate through D1
 * (`INSERT OR IGNORE`, then read, in one batch), and deleted by the cron once the day is over
 * in that zone. An IP hash lets the funnel count unique scanners within a day; once
 * the salt is gone nobody, the operator included, can turn a past day's hashes back into
 * addresses. Each isolate keeps the salts it has read, so a day costs one D1 query per isolate
 * instead of one per person scan (`npm run bench -- budget`, docs/performance.md "What each cache
 * saves"). They are kept per database: a Worker that mounts two bridges on two D1 databases has
 * two salts a day, each stored (and deleted by the cron) in its own database.
 */
import { sha256Hex } from "../core/hash";

/** Days whose salt an isolate keeps, per database (today's and yesterday's, with room to spare). */
const DAYS_KEPT = 4;
const known = new WeakMap<D1Database, Map<string, Promise<string>>>();

function knownIn(db: D1Database): Map<string, Promise<string>> {
  let days = known.get(db);
  if (!days) {
    days = new Map();
    known.set(db, days);
  }
  return days;
}

function randomSalt(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The salt of `day` (YYYY-MM-DD), created on first use.
 *
 * @example
 * const salt = await daySalt(env.DB, "2026-12-06");
 */
export function daySalt(db: D1Database, day: string): Promise<string> {
  const days = knownIn(db);
  let salt = days.get(day);
  if (!salt) {
    salt = (async () => {
      const [, read] = await db.batch<{ salt: string }>([
        db
          .prepare("INSERT OR IGNORE INTO hop_salts (day, salt) VALUES (?, ?)")
          .bind(day, randomSalt()),
        db.prepare("SELECT salt FROM hop_salts WHERE day = ?").bind(day),
      ]);
      const value = read?.results[0]?.salt;
      if (!value) throw new Error(`no salt for ${day}`);
      return value;
    })();
    // A failed read is not remembered: the next hop tries again.
    salt.catch(() => days.get(day) === salt && days.delete(day));
    if (days.size >= DAYS_KEPT) days.delete(days.keys().next().value!);
    days.set(day, salt);
  }
  return salt;
}

/**
 * The IP hash of a hop: the first 64 bits of SHA-256(salt:ip), hex.
 *
 * @example
 * await hashIp("9f…", "203.0.113.7") // "3a1c…" (16 hex)
 */
export async function hashIp(salt: string, ip: string): Promise<string> {
  return (await sha256Hex(`${salt}:${ip}`)).slice(0, 16);
}

/**
 * Delete the salts of days before `keepFrom` (YYYY-MM-DD). Returns how many were deleted.
 *
 * @example
 * await deleteOldSalts(env.DB, "2026-12-05"); // keeps yesterday's and today's
 */
export async function deleteOldSalts(db: D1Database, keepFrom: string): Promise<number> {
  const days = knownIn(db);
  for (const day of days.keys()) if (day < keepFrom) days.delete(day);
  const res = await db.prepare("DELETE FROM hop_salts WHERE day < ?").bind(keepFrom).run();
  return res.meta.changes;
}
