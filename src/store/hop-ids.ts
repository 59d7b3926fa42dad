/**
 * Ids of hops and of hop batches: the unix ms in 9 base36 characters, then 11 random ones, so
 * they sort by time (the archive's objects list in the order they were written, and a page of
 * the export reads like a log).
 */
import { customAlphabet } from "nanoid";

const tail = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 11);

/**
 * A fresh id that sorts after every id made earlier (to the millisecond).
 *
 * @example
 * newHopId(1767225600000) // "mjv5uo000" + 11 random characters
 */
export function newHopId(now: number): string {
  return Math.floor(now).toString(36).padStart(9, "0") + tail();
}

/**
 * When an id made by {@link newHopId} was made (unix ms), or null when it is not one.
 *
 * @example
 * hopIdTime(newHopId(1767225600000)) // 1767225600000
 */
export function hopIdTime(id: string): number | null {
  if (!/^[0-9a-z]{20}$/.test(id)) return null;
  const ms = Number.parseInt(id.slice(0, 9), 36);
  return Number.isSafeInteger(ms) ? ms : null;
}

/**
 * The envelope id of a hop message or spool object: the writer's id that every copy of the
 * same rows carries (store/hops.ts), else `fallback` (the queue message id, the spool key) for
 * messages of writers before it; `resent` when the writer marked it as a copy sent again.
 *
 * @example
 * hopEnvelopeId({ t: "hops", id: "mjv5uo000abcdefghijk", again: true, rows }, msg.id)
 * // { id: "mjv5uo000abcdefghijk", resent: true }
 */
export function hopEnvelopeId(
  body: { id?: unknown; again?: unknown },
  fallback: string,
): { id: string; resent: boolean } {
  const own = typeof body.id === "string" && hopIdTime(body.id) !== null;
  return { id: own ? (body.id as string) : fallback, resent: own && body.again === true };
}
