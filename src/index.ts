/**
 * The default Worker: configuration from `QB_*` variables, everything else from the library.
 * Deploy it as is (`npm run deploy`), or import `createBridge` into a Worker of your own.
 */
import { createBridge } from "./bridge";
import { optionsFromEnv } from "./env-options";

const bridge = createBridge((env) => optionsFromEnv(env));

/**
 * The handoff Durable Object of the default Worker (bound as `HANDOFF` in wrangler.toml),
 * reading this bridge's configuration.
 *
 * @example
 * // src/index.ts of a Worker that is the default bridge under a name of your own
 * export { default, HandoffObject, LoginObject } from "qrbridge/worker";
 */
export const HandoffObject = bridge.HandoffObject;

/**
 * The QR login Durable Object of the default Worker (bound as `LOGIN` in wrangler.toml),
 * reading this bridge's configuration.
 *
 * @example
 * import worker, { HandoffObject, LoginObject } from "qrbridge/worker";
 * export { HandoffObject, LoginObject };
 * export default worker;
 */
export const LoginObject = bridge.LoginObject;

/**
 * The default Worker's handlers, options from the `QB_*` variables. Its wrangler.toml needs
 * no `src/`: `main = "node_modules/qrbridge/lib/worker.js"`.
 *
 * @example
 * // the default Worker, with a health check of your own in front of it
 * import type { Env } from "qrbridge";
 * import worker from "qrbridge/worker";
 * export { HandoffObject, LoginObject } from "qrbridge/worker";
 * export default {
 *   ...worker,
 *   fetch: (request, env, ctx) =>
 *     new URL(request.url).pathname === "/ping" ? new Response("pong") : worker.fetch(request, env, ctx),
 * } satisfies ExportedHandler<Env>;
 */
export default {
  fetch: bridge.fetch,
  queue: bridge.queue,
  scheduled: bridge.scheduled,
} satisfies ExportedHandler<import("./env").Env>;
