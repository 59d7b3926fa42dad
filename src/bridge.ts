/**
 * `createBridge(options)`: the library's entry point. One options object in; out comes what a
 * Worker exports (`fetch`, `queue`, `scheduled` and the `HandoffObject` and `LoginObject`
 * Durable Object classes)
 * plus the Hono `app`, so a company can deploy `src/index.ts` as is or serve the bridge under a
 * path of its own Worker. Every part, the Durable Object included, reads the one configuration
 * these options resolve to.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { type BridgeConfig, type BridgeOptions, ConfigError, resolveConfig } from "./config";
import { ApiError, errorResponse } from "./core/errors";
import type { Env } from "./env";
import { handleError, validationHook } from "./routes/errors";
import { registerRoutes } from "./routes/index";
import { maintenanceKit } from "./routes/lazy-modules";
import { notFoundOrMethodNotAllowed } from "./routes/method-not-allowed";
import { bindHandoffObject, type HandoffObject } from "./store/handoff-object";
import { bindLoginObject, type LoginObject } from "./store/login-object";
import { consumeQueueBatch } from "./store/queues";

export type { BridgeConfig, BridgeOptions } from "./config";
export type { Env } from "./env";
export { optionsFromEnv } from "./env-options";
export type { HandoffObject } from "./store/handoff-object";
export type { LoginObject } from "./store/login-object";

/** What `createBridge` returns: spread it into `export default`, export its Durable Object classes. */
export interface Bridge {
  /** The Hono (OpenAPIHono) app for the base path given to `createBridge`. */
  app: OpenAPIHono<AppEnv>;
  /**
   * The Worker's `fetch`. Of its context it uses `waitUntil` (and `passThroughOnException`), so a
   * host Hono app's `c.executionCtx` fits as it is.
   */
  fetch: (
    request: Request,
    env: Env,
    ctx: Pick<ExecutionContext, "waitUntil" | "passThroughOnException">,
  ) => Promise<Response>;
  queue: (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;
  scheduled: (controller: ScheduledController, env: Env, ctx: ExecutionContext) => Promise<void>;
  /** The resolved configuration for an env (cached per isolate). */
  config: (env: Env) => Promise<BridgeConfig>;
  /**
   * The Durable Object class of this bridge (bound as `HANDOFF`): export it from your Worker
   * as `HandoffObject`. It reads this bridge's configuration (e.g. `hops: false`), also for
   * the hops it records with no request behind them (an expiry).
   */
  HandoffObject: typeof HandoffObject;
  /** The QR login Durable Object class of this bridge (bound as `LOGIN`): export it as `LoginObject`. */
  LoginObject: typeof LoginObject;
}

// Paths people type or scan are matched case-insensitively: QR codes carry them in capitals
// (alphanumeric mode). Only these prefixes are folded; the token itself is normalised by verify.
const CASE_FOLDED = /^(\/(?:h|p|c|l|qr)(?:\/|$))/i;

/**
 * Build a bridge.
 *
 * @example
 * // src/index.ts of your own Worker
 * import { createBridge, optionsFromEnv } from "qrbridge";
 * const bridge = createBridge((env) => ({ ...optionsFromEnv(env), apps: { name: "Acme", scheme: "acme" } }));
 * export const HandoffObject = bridge.HandoffObject;
 * export const LoginObject = bridge.LoginObject;
 * export default { fetch: bridge.fetch, queue: bridge.queue, scheduled: bridge.scheduled };
 *
 * @example
 * // mounted under /qr inside a larger Hono app
 * const bridge = createBridge((env) => ({ ...optionsFromEnv(env), basePath: "/qr" }));
 * company.all("/qr/*", (c) => bridge.fetch(c.req.raw, c.env, c.executionCtx));
 */
export function createBridge(
  options: BridgeOptions | ((env: Env) => BridgeOptions) = {},
  mount: { basePath?: string } = {},
): Bridge {
  const configs = new WeakMap<object, Promise<BridgeConfig>>();
  const config = (env: Env): Promise<BridgeConfig> => {
    let pending = configs.get(env);
    if (!pending) {
      const opts = typeof options === "function" ? options(env) : options;
      pending = resolveConfig({ ...opts, basePath: opts.basePath ?? mount.basePath });
      // A failed config is not cached, so fixing a secret takes effect without a redeploy race.
      // Warnings are logged once per isolate, where `wrangler tail` shows them.
      pending.then(
        (c) => {
          for (const warning of c.warnings) console.warn(`qrbridge: ${warning}`);
        },
        () => configs.delete(env),
      );
      configs.set(env, pending);
    }
    return pending;
  };

  // The base path shapes routing, so each base gets its app, built on first use. The one known
  // without an env is built at once (`bridge.app`); an options function may name another.
  const apps = new Map<string, OpenAPIHono<AppEnv>>();
  const appFor = (base: string): OpenAPIHono<AppEnv> => {
    let app = apps.get(base);
    if (!app) {
      app = buildApp(base, config);
      apps.set(base, app);
    }
    return app;
  };
  const givenBase = typeof options === "function" ? mount.basePath : options.basePath;
  const app = appFor((givenBase ?? mount.basePath ?? "").replace(/\/+$/, ""));

  return {
    app,
    config,
    fetch: async (request, env, ctx) => {
      let target = app;
      try {
        target = appFor((await config(env)).basePath);
      } catch {
        // Misconfigured: `app` answers, and its middleware says why.
      }
      // Hono's own context type asks for `props` too, which no route of the bridge reads.
      return target.fetch(request, env, ctx as ExecutionContext);
    },
    queue: async (batch, env, ctx) => consumeQueueBatch(batch, env, ctx, await config(env)),
    scheduled: async (controller, env, ctx) =>
      (await maintenanceKit()).runScheduled(controller, env, ctx, await config(env)),
    HandoffObject: bindHandoffObject(config),
    LoginObject: bindLoginObject(config),
  };
}

/** The bridge's Hono app for one base path. */
function buildApp(base: string, config: (env: Env) => Promise<BridgeConfig>): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: validationHook,
    getPath: (req) => {
      const url = req.url;
      const start = url.indexOf("/", url.indexOf("://") + 3);
      const end = url.indexOf("?", start);
      const path = end === -1 ? url.slice(start) : url.slice(start, end);
      const underBase = base !== "" && path.toLowerCase().startsWith(base);
      const rest = underBase ? path.slice(base.length) : path;
      const m = CASE_FOLDED.exec(rest);
      if (!m) return path;
      return (underBase ? base : "") + m[1]!.toLowerCase() + rest.slice(m[1]!.length);
    },
  });

  // Set before basePath(), which copies them: a request the bridge makes to itself through
  // `root` (the demo's backend calling the API) gets the same error bodies as any other.
  app.onError(handleError);
  app.notFound(notFoundOrMethodNotAllowed(app));
  const root = base ? app.basePath(base) : app;
  root.use("*", async (c, next) => {
    try {
      c.set("config", await config(c.env));
    } catch (err) {
      if (err instanceof ConfigError) {
        console.error(`qrbridge refuses to serve: ${err.message}`);
        return errorResponse(
          new ApiError("misconfigured", `qrbridge is misconfigured: ${err.message}`),
        );
      }
      throw err;
    }
    await next();
  });
  registerRoutes(root as OpenAPIHono<AppEnv>);
  return app;
}
