/**
 * The handoff object's last send of the once-only hops it kept: the Worker that made a step — the
 * scan, the approval or denial, the redemption — sent its hops after the object committed it, and
 * may have died before it did; nothing else would send them again. The copies are the same rows
 * (core/handoff-hops.ts, core/redemption-hops.ts), so one that was counted already counts nothing
 * more and makes no second webhook delivery. A redeemed handoff sends them when its replay window
 * closes (and drops what they were built from); any other sends them just before its purge.
 */
import type { BridgeConfig } from "../config";
import { keptHandoffHops } from "../core/handoff-hops";
import type { HandoffRecord } from "../core/handoff-record";
import type { HopInput } from "../core/hop-input";
import { onceRedemptionHops } from "../core/redemption-hops";
import type { Env } from "../env";
import { scanFacts } from "./handoffs";
import { recordHop, type WaitUntil } from "./hops";

/**
 * Send every hop `rec` kept the facts of, from the object (no request behind it): its steps' and,
 * while its replay window lasts, its redemption's. Nothing when it kept none.
 *
 * @example
 * ctx.waitUntil(resendHandoffHops(env, ctx, bridgeConfig(), rec)); // window closing, or purge
 */
export async function resendHandoffHops(
  env: Env,
  ctx: WaitUntil,
  config: Promise<BridgeConfig>,
  rec: HandoffRecord,
): Promise<void> {
  try {
    const hops: HopInput[] = await keptHandoffHops(rec);
    if (rec.replay_hops && rec.redeemed_at !== null) {
      const redeemed = { redeemed_at: rec.redeemed_at, redeemed_via: rec.redeemed_via ?? null };
      const facts = { ...rec, ...redeemed, scan: scanFacts(rec) };
      hops.push(...(await onceRedemptionHops(facts, rec.replay_hops)));
    }
    if (hops.length === 0) return;
    const scope = { env, ctx, config: await config, request: null };
    for (const input of hops) recordHop(scope, input);
  } catch (err) {
    console.error("qrbridge: could not send the handoff's hops again", rec.id, err);
  }
}
