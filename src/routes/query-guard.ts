/**
 * Unknown query parameters on `/v1` answer 400 naming them. zod drops keys a schema does not
 * declare, so a misspelt filter (`?stor_id=`) would otherwise be ignored behind a 200 that
 * looks right and counts the wrong thing. The check is attached to every route declared with
 * `app.openapi(...)` from the route's own `request.query` schema — a route without one takes
 * no query parameters at all — so a new route gets it without doing anything.
 */
import type { MiddlewareHandler } from "hono";
import type { App, AppEnv } from "../app-env";
import { ApiError } from "../core/errors";

/** Only the public API is strict: scan and landing URLs carry whatever campaigns append. */
const STRICT_PREFIX = "/v1/";

/**
 * The keys an object schema declares (zod 4: `shape`, or the input of a pipe/wrapper).
 * A query schema that is not an object is a programming error, found at startup.
 */
export function declaredQueryKeys(schema: unknown): string[] {
  if (schema === undefined || schema === null) return [];
  const s = schema as {
    shape?: Record<string, unknown>;
    _zod?: { def?: { in?: unknown; innerType?: unknown; schema?: unknown } };
  };
  if (s.shape && typeof s.shape === "object") return Object.keys(s.shape);
  const def = s._zod?.def;
  const inner = def?.in ?? def?.innerType ?? def?.schema;
  if (inner) return declaredQueryKeys(inner);
  throw new Error("qrbridge: a route's request.query must be a z.object({...})");
}

/**
 * Middleware refusing query parameters outside `allowed` with 400 `validation_failed`
 * (`details.field` = the first unknown name, `details.fields` = all of them).
 *
 * @example
 * app.use("/v1/thing", rejectUnknownQuery(["limit", "cursor"]));
 */
export function rejectUnknownQuery(allowed: readonly string[]): MiddlewareHandler<AppEnv> {
  const known = new Set(allowed);
  return async (c, next) => {
    const unknown = Object.keys(c.req.queries()).filter((name) => !known.has(name));
    if (unknown.length > 0) {
      const accepted = allowed.length ? `; this route accepts ${allowed.join(", ")}` : "";
      throw new ApiError("validation_failed", `${unknown[0]}: unknown query parameter${accepted}`, {
        field: unknown[0],
        fields: unknown.map((field) => ({ field, message: "unknown query parameter" })),
      });
    }
    await next();
  };
}

type RouteConfig = Parameters<App["openapi"]>[0];

/**
 * Make every `/v1` route registered on `app` from now on refuse unknown query parameters: wraps
 * `app.openapi` so each route's middleware ends with {@link rejectUnknownQuery} built from its
 * declared query schema (after the route's own middleware, so a missing key is still 401 first).
 *
 * @example
 * refuseUnknownQueryParams(app); // before registering routes
 */
export function refuseUnknownQueryParams(app: App): void {
  const register = app.openapi;
  const wrapped = (route: RouteConfig, ...rest: unknown[]) => {
    if (!route.path.startsWith(STRICT_PREFIX))
      return (register as (...a: unknown[]) => App)(route, ...rest);
    const own = route.middleware
      ? Array.isArray(route.middleware)
        ? route.middleware
        : [route.middleware]
      : [];
    const guard = rejectUnknownQuery(declaredQueryKeys(route.request?.query));
    return (register as (...a: unknown[]) => App)(
      { ...route, middleware: [...own, guard] },
      ...rest,
    );
  };
  app.openapi = wrapped as unknown as App["openapi"];
}
