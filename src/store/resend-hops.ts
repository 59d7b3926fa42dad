/**
 * A Durable Object's last send of the once-only hops it kept. The Worker that made a step — a
 * handoff's scan, approval, denial, cancel or redemption; a login's scan, approval, denial or
 * exchange — sent its hops after the object committed the step, and may have died before it did;
 * nothing else would send them again. The copies are the same rows (core/handoff-hops.ts,
 * core/redemption-hops.ts, core/login-hops.ts), so one that was counted already counts nothing
 * more and makes no second webhook delivery. A redeemed handoff sends them when its replay window
 * closes (and drops what they were built from); any other handoff, and every login, just before
 * its purge.
 */
import type { BridgeConfig } from "../config";
import { keptHandoffHops } from "../core/handoff-hops";
import type { HandoffRecord } from "../core/handoff-record";
import type { HopInput } from "../core/hop-input";
import { keptLoginHops } from "../core/login-hops";
import type { LoginRecord } from "../core/login-record";
import { onceRedemptionHops } from "../core/redemption-hops";
import type { Env } from "../env";
import { scanFacts } from "./handoffs";
import { recordHop, type WaitUntil } from "./hops";

/** Send `hops` from an object (no request behind them); a failure is logged, never thrown. */
async function sendFromObject(
  env: Env,
  ctx: WaitUntil,
  config: Promise<BridgeConfig>,
  what: string,
  hops: () => Promise<HopInput[]>,
): Promise<void> {
  try {
    const inputs = await hops();
    if (inputs.length === 0) return;
    const scope = { env, ctx, config: await config, request: null };
    for (const input of inputs) recordHop(scope, input);
  } catch (err) {
    console.error(`qrbridge: could not send the ${what}'s hops again`, err);
  }
}

/**
 * Send every hop handoff `rec` kept the facts of: its steps' and, while its replay window lasts,
 * its redemption's. Nothing when it kept none.
 *
 * @example
 * ctx.waitUntil(resendHandoffHops(env, ctx, bridgeConfig(), rec)); // window closing, or purge
 */
export function resendHandoffHops(
  env: Env,
  ctx: WaitUntil,
  config: Promise<BridgeConfig>,
  rec: HandoffRecord,
): Promise<void> {
  return sendFromObject(env, ctx, config, `handoff ${rec.id}`, async () => {
    let hops: HopInput[] = await keptHandoffHops(rec);
    if (rec.replay_hops && rec.redeemed_at !== null) {
      const redeemed = { redeemed_at: rec.redeemed_at, redeemed_via: rec.redeemed_via ?? null };
      const facts = { ...rec, ...redeemed, scan: scanFacts(rec) };
      // A scan made by the redeeming call travels with the redemption: one row, not two copies.
      if (rec.replay_hops.scanned) hops = hops.filter((h) => h.hop !== "scanned");
      hops.push(...(await onceRedemptionHops(facts, rec.replay_hops)));
    }
    return hops;
  });
}

/**
 * Send every hop login `rec` kept the facts of, just before its alarm deletes it.
 *
 * @example
 * ctx.waitUntil(resendLoginHops(env, ctx, bridgeConfig(), rec)); // just before the purge
 */
export function resendLoginHops(
  env: Env,
  ctx: WaitUntil,
  config: Promise<BridgeConfig>,
  rec: LoginRecord,
): Promise<void> {
  return sendFromObject(env, ctx, config, `login ${rec.id}`, () => keptLoginHops(rec));
}
