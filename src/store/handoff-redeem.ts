/**
 * The redeem answer that `HandoffObject.resolve` gives the app: for a redemption, and again, the
 * same, for the redeemer's retry within the replay window (core/handoff-replay.ts) — the answer
 * is rebuilt from the record, so a replay is the first answer field for field. And the object's
 * last send of a redemption's hops (with a claim or without), when that window closes.
 */
import type { BridgeConfig } from "../config";
import type { HandoffRecord } from "../core/handoff";
import { onceRedemptionHops } from "../core/redemption-hops";
import type { Env } from "../env";
import { type ResolveResult, scanFacts } from "./handoffs";
import { recordHop, type WaitUntil } from "./hops";

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

/**
 * Send the once-only hops of redemption `rec` (its replay window closing) one last time, from
 * the object: the Worker that answered the redemption may have died before it sent them, and
 * its app had no reason to ask again. A copy counts nothing when an earlier one was counted.
 *
 * @example
 * if (prev.replay_hops && !next.replay_hops)
 *   ctx.waitUntil(resendRedemptionHops(env, ctx, bridgeConfig(), prev));
 */
export async function resendRedemptionHops(
  env: Env,
  ctx: WaitUntil,
  config: Promise<BridgeConfig>,
  rec: HandoffRecord,
): Promise<void> {
  try {
    if (!rec.replay_hops || rec.redeemed_at === null) return;
    const scope = { env, ctx, config: await config, request: null };
    const { redeemed_at } = rec;
    const facts = {
      ...rec,
      scan: scanFacts(rec),
      redeemed_at,
      redeemed_via: rec.redeemed_via ?? null,
    };
    const hops = await onceRedemptionHops(facts, rec.replay_hops);
    for (const input of hops) recordHop(scope, input);
  } catch (err) {
    console.error("qrbridge: could not send the redemption's hops again", rec.id, err);
  }
}
