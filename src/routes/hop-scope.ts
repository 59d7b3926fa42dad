/**
 * The one place a route's hop scope is built: the bindings, the request's `waitUntil`, the
 * resolved config and the request (its country, colo, referrer and client IP go into the hop).
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import type { HopScope } from "../store/hops";

/**
 * Where a route's hops are recorded from.
 *
 * @example
 * recordHop(hopScope(c), { kind: "handoff", subject_id: id, hop: "created" });
 */
export function hopScope(c: Context<AppEnv>): HopScope {
  return { env: c.env, ctx: c.executionCtx, config: c.var.config, request: c.req.raw };
}
