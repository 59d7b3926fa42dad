/**
 * What `HandoffObject.resolve` does for the app (its state machine steps run in the object, which
 * hands them in as a {@link HandoffTx}): the scan when the app opened straight from the QR, the
 * claim under `confirm: "pc"`, the redemption; and the redeem answer, for a redemption and again,
 * the same, for the redeemer's retry within the replay window (core/handoff-replay.ts) — the
 * answer is rebuilt from the record, so a replay is the first answer field for field. The
 * object's last send of a redemption's hops, when that window closes, is store/resend-hops.ts.
 */
import { appScanVia } from "../core/app-via";
import { type HandoffEvent, isTerminal, type step } from "../core/handoff";
import { handoffStepHops } from "../core/handoff-hops";
import type { HandoffDevice } from "../core/handoff-parties";
import type { HandoffRecord } from "../core/handoff-record";
import { canReplay, type ReplayHops } from "../core/handoff-replay";
import { sha256Hex } from "../core/hash";
import { constantTimeEqual } from "../core/token";
import { fail, type ResolveResult, randomSecret, refusal, scanFacts } from "./handoffs";

/** The object's synchronous steps on its one record, lent to {@link resolveIn}. */
export interface HandoffTx {
  /** The record, expired on the spot when due. */
  current(): HandoffRecord | null;
  /** Apply an allowed event and write it (no await); throws on a programming error. */
  commit(rec: HandoffRecord, event: HandoffEvent, extra: Parameters<typeof step>[3]): HandoffRecord;
  armAlarm(): Promise<void>;
}

/** A redeeming call, as `HandoffObject.resolve` takes it. */
export interface ResolveCall {
  device: HandoffDevice;
  claim: string | null;
  via: string | null;
  request: Omit<ReplayHops, "scanned"> | null;
}

/**
 * Resolve for the calling app on the object's record (see `HandoffObject.resolve`): every step is
 * read → check → write with no await in between, and a claim call's scan (`confirm: "pc"`) keeps
 * its request's facts and answers its once-only hop (core/handoff-hops.ts).
 *
 * @example
 * return resolveIn(tx, { device, claim, via, request });
 */
export async function resolveIn(tx: HandoffTx, call: ResolveCall): Promise<ResolveResult> {
  const { device, claim, via, request } = call;
  // Hash before reading state: the read → write below must have no await in between.
  const issued = claim === null ? randomSecret() : null;
  const claimHash = await sha256Hex(claim ?? issued!);
  let rec = tx.current();
  if (!rec) return fail("not_found", "no such handoff");
  // The redeemer whose answer was lost asks again with its claim: the same answer, no change.
  if (claim !== null && canReplay(rec, claimHash, Date.now()))
    return redeemedAnswer(rec, rec, { scanned: false, replayed: true });
  let scanned = false;
  if (rec.status === "pending") {
    // The scan keeps its facts: a claim call's hop has no redemption to travel with, and a
    // redemption whose write fails after this scan leaves the scan with none (resend-hops.ts).
    const hopFacts = request ? { ...request, via: appScanVia(via) } : undefined;
    rec = tx.commit(rec, "scan", { device, via: "app", hopFacts });
    scanned = true;
  }
  const ok = { ok: true as const, scanned, scan: scanFacts(rec), created_at: rec.created_at };
  if (rec.confirm === "pc") {
    if (rec.status === "scanned") {
      tx.commit(rec, "claim", { device, claimHash });
      await tx.armAlarm();
      const hops = scanned ? await handoffStepHops(rec, "scanned") : [];
      return { ...ok, outcome: "awaiting", claim: issued ?? null, hops };
    }
    if (rec.claim_hash !== null && !constantTimeEqual(rec.claim_hash, claimHash)) {
      if (isTerminal(rec.status)) return refusal(rec.status);
      return fail("conflict", "another device is waiting for confirmation of this handoff");
    }
    if (rec.status === "awaiting_confirmation")
      return { ...ok, outcome: "awaiting", claim: null, hops: [] };
  }
  // (A scan by this very call left the record `scanned`, so a refusal here never follows one.)
  if (rec.status !== "scanned" && rec.status !== "approved") return refusal(rec.status);
  // A claim (the claimant's under confirm: "pc", matched above) keeps the answer for its retry;
  // every redemption keeps what its hops are sent again from when the window closes.
  const replayHops = request ? { ...request, scanned } : undefined;
  const kept = claim === null ? { replayHops } : { claimHash, replayHops };
  const done = tx.commit(rec, "redeem", { redeemedVia: via, ...kept });
  await tx.armAlarm();
  return redeemedAnswer(rec, done, { scanned, replayed: false });
}

/**
 * The answer of redeemed record `done`, with the payload of `before` (a redemption without a
 * claim drops it from `done`). `scanned`: this call recorded the scan; `replayed`: this call only
 * repeats an earlier redemption, so the route sends its hops again from the kept `replay_hops`
 * (core/redemption-hops.ts) and the hop log counts them once.
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
    scanned_at: done.scanned_at,
    redeemed_via: done.redeemed_via ?? null,
    replay_hops: done.replay_hops ?? null,
  };
}
