/**
 * The default Worker: configuration from `QB_*` variables, everything else from the library.
 * Deploy it as is (`npm run deploy`), or import `createBridge` into a Worker of your own.
 */
import { createBridge } from "./bridge";
import { optionsFromEnv } from "./config";

const bridge = createBridge((env) => optionsFromEnv(env));

/** The Durable Objects bound as `HANDOFF` and `LOGIN` (wrangler.toml), reading this bridge's configuration. */
export const HandoffObject = bridge.HandoffObject;
export const LoginObject = bridge.LoginObject;

export default {
  fetch: bridge.fetch,
  queue: bridge.queue,
  scheduled: bridge.scheduled,
} satisfies ExportedHandler<import("./env").Env>;
