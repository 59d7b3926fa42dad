/**
 * The cron trigger's work: retention of raw hops.
 */
import type { BridgeConfig } from "../config";
import type { Env } from "../env";

/**
 * Delete raw hops older than the retention period.
 *
 * @example
 * export default { scheduled: (ctrl, env, ctx) => runScheduled(ctrl, env, ctx, config) };
 */
export async function runScheduled(
  controller: ScheduledController,
  env: Env,
  _ctx: ExecutionContext,
  config: BridgeConfig,
): Promise<void> {
  const cutoff = controller.scheduledTime - config.hopRetentionDays * 86_400_000;
  await env.DB.prepare("DELETE FROM hops WHERE at < ?").bind(cutoff).run();
}
