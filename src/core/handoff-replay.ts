/**
 * The replay of a lost redeem answer. A handoff is redeemed once, but the phone that redeemed it
 * is on a mobile network: its 200 can be lost (a tunnel, Wi-Fi to LTE, the app killed mid-call),
 * and a retry that got `409 already_redeemed` would leave the user stuck with no payload and no
 * events credential. So an app that sent a `claim` (a secret it chose; only its SHA-256 is kept)
 * with the redeeming call gets the same answer again, with the same claim, for
 * {@link REPLAY_WINDOW_MS}. The payload is kept that long and no longer; a caller without the
 * claim (one who has only the QR) gets `409 already_redeemed`. Pure: every function takes `now`.
 *
 * A lost answer may mean a lost count: the Worker sends the redemption's hops after the object
 * answers, and an isolate that dies in between sends nothing. So a redemption's hops have
 * once-only ids (core/redemption-hops.ts): every replay sends them again, the same rows, and the
 * object does when the window closes — for a redemption without a claim too, which keeps no
 * payload but opens the window for that last send. The record keeps what they were built from
 * ({@link ReplayHops}), and the hop log counts one copy, whichever arrives.
 */
import type { HandoffRecord } from "./handoff-record";
import type { RequestFacts } from "./hop-input";
import { constantTimeEqual } from "./token";

/**
 * What the hops of a redemption are built from besides the record, kept for the replay
 * window: the redeeming request's facts, whether its caller is a bot, and whether that call
 * recorded the scan too (the app opened straight from the QR).
 */
export interface ReplayHops extends RequestFacts {
  bot: boolean;
  scanned: boolean;
}

/**
 * How long after a redemption with a claim the same claim gets the same answer again (unix ms).
 * Long enough for the client's retries and a user who reopens the app; short, because the payload
 * (often a session) sits in storage that long — far from the record's 24-hour events window.
 */
export const REPLAY_WINDOW_MS = 60_000;

/**
 * True when the caller whose claim hashes to `claimHash` redeemed `rec` and may get its answer
 * again at `now`. The hash comparison is constant-time.
 *
 * @example
 * if (canReplay(rec, await sha256Hex(claim), Date.now()))
 *   return redeemedAnswer(rec, rec, { scanned: false, replayed: true });
 */
export function canReplay(rec: HandoffRecord, claimHash: string | null, now: number): boolean {
  return (
    rec.status === "redeemed" &&
    claimHash !== null &&
    rec.claim_hash !== null &&
    typeof rec.replay_until === "number" &&
    now < rec.replay_until &&
    constantTimeEqual(rec.claim_hash, claimHash)
  );
}

/**
 * The record with its replay window closed — payload, replay facts and the steps' kept hop facts
 * dropped, `replay_until` cleared — once the window has passed; null when nothing is due (no window open, or still open).
 *
 * @example
 * const closed = closeReplayIfDue(rec, Date.now());
 * if (closed) save(closed);
 */
export function closeReplayIfDue(rec: HandoffRecord, now: number): HandoffRecord | null {
  if (typeof rec.replay_until !== "number" || now < rec.replay_until) return null;
  // The steps' kept facts go too: the window's last send carries their hops (core/handoff-hops.ts).
  return { ...rec, payload: null, replay_until: null, replay_hops: null, hop_facts: null };
}
