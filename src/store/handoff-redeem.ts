/**
 * The redeem answer that `HandoffObject.resolve` gives the app: for a redemption, and again, the
 * same, for the redeemer's retry within the replay window (core/handoff-replay.ts) — the answer
 * is rebuilt from the record, so a replay is the first answer field for field.
 */
import type { HandoffRecord } from "../core/handoff";
import { type ResolveResult, scanFacts } from "./handoffs";

/**
 * The answer of redeemed record `done`, with the payload of `before` (a redemption without a
 * claim drops it from `done`). `scanned`: this call recorded the scan; `replayed`: this call only
 * repeats an earlier redemption, so the route records nothing.
 *
 * @example
 * const done = this.commit(rec, "redeem", { redeemedVia: via });
 * return redeemedAnswer(rec, done, { scanned, replayed: false });
 */
export function redeemedAnswer(
  before: HandoffRecord,
  done: HandoffRecord,
  flags: { scanned: boolean; replayed: boolean },
): Extract<ResolveResult, { outcome: "redeemed" }> {
  return {
    ok: true,
    outcome: "redeemed",
    ...flags,
    scan: scanFacts(done),
    id: done.id,
    path: done.path,
    payload: before.payload,
    metadata: done.metadata,
    created_by: done.created_by ?? null,
    created_at: done.created_at,
    redeemed_at: done.redeemed_at!,
  };
}
