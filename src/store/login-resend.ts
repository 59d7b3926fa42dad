/**
 * The login object's last send of its steps' hops, just before its alarm deletes the login: the
 * Worker that made a step (scan, approve, deny, exchange) sent its hop after the object
 * committed it, and may have died before it did; nothing else would send it again. The copies
 * are the same once-only rows (core/login-hops.ts), so one that was counted already counts
 * nothing more, and makes no second webhook delivery.
 */
import type { BridgeConfig } from "../config";
import { keptLoginHops } from "../core/login-hops";
import type { LoginRecord } from "../core/login-record";
import type { Env } from "../env";
import { recordHop, type WaitUntil } from "./hops";

/**
 * Send every hop `rec` kept the facts of, from the object (no request behind it).
 *
 * @example
 * ctx.waitUntil(resendLoginHops(env, ctx, bridgeConfig(), rec)); // just before the purge
 */
export async function resendLoginHops(
  env: Env,
  ctx: WaitUntil,
  config: Promise<BridgeConfig>,
  rec: LoginRecord,
): Promise<void> {
  try {
    const hops = await keptLoginHops(rec);
    if (hops.length === 0) return;
    const scope = { env, ctx, config: await config, request: null };
    for (const input of hops) recordHop(scope, input);
  } catch (err) {
    console.error("qrbridge: could not send the login's hops again", rec.id, err);
  }
}
