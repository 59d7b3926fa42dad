/**
 * Who may read and steer an existing handoff (watch, approve, deny, cancel): its object asks this
 * before every such call. The Worker authenticates API keys; the object only compares.
 */
import type { HandoffRecord } from "../core/handoff-record";
import { constantTimeEqual } from "../core/token";
import { type Access, type Failure, fail } from "./handoffs";

/**
 * `rec` if `access` may see it, else the refusal. A key opens only the handoff it created (or
 * one another key of its roll chain created: they are one caller, store/key-family.ts), and
 * only a secret key: a publishable key is public, so it never watches, approves, denies or
 * cancels (that is what the watch secret is for). The watch hash comparison is constant-time.
 *
 * @example
 * const rec = accessTo(this.current(), { watchHash: await sha256Hex(watch) });
 * if ("ok" in rec) return rec; // the refusal
 */
export function accessTo(rec: HandoffRecord | null, access: Access): HandoffRecord | Failure {
  if (!rec) return fail("not_found", "no such handoff (or it has been deleted)");
  const allowed =
    access.admin === true ||
    (access.keyKind === "secret" &&
      !!access.keyId &&
      (access.keyId === rec.key_id || !!access.linkedKeyIds?.includes(rec.key_id))) ||
    (!!access.watchHash && constantTimeEqual(access.watchHash, rec.watch_hash));
  return allowed ? rec : fail("forbidden", "this credential may not access this handoff");
}
