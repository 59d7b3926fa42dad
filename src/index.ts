/**
 * The default Worker: configuration from `QB_*` variables, everything else from the library.
 * Deploy it as is (`npm run deploy`), or import `createBridge` into a Worker of your own.
 */
import { createBridge } from "./bridge";
import { optionsFromEnv } from "./config";

export { HandoffObject } from "./store/handoff-object";
export { LoginObject } from "./store/login-object";

const bridge = createBridge((env) => optionsFromEnv(env));

export default {
  fetch: bridge.fetch,
  queue: bridge.queue,
  scheduled: bridge.scheduled,
} satisfies ExportedHandler<import("./env").Env>;
