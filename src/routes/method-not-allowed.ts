/**
 * `405 Method Not Allowed` for a known path asked with another method (`PUT /v1/keys`), with
 * the `Allow` header and the JSON error, where Hono alone answers 404 as for an unknown path.
 * The app's `notFound` handler asks {@link allowedMethods}; it matches with a router of its own
 * built from the app's routes, so a path with parameters (`/v1/posters/:id`) or under a base
 * path is judged exactly as the app routes it. It is built on the first miss, not per request.
 */
import type { Context, Hono } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import { ApiError, errorResponse } from "../core/errors";

interface MethodIndex {
  /** How many routes the app had when the index was built: more means build it again. */
  routes: number;
  router: TrieRouter<string>;
}

// Keyed by the routes array, which an app shares with the apps its basePath() returns.
const indexes = new WeakMap<object, MethodIndex>();

// Middleware (`app.use`) is registered for every method and is not a route.
const EVERY_METHOD = "ALL";

function indexOf(routes: Hono["routes"]): TrieRouter<string> {
  let index = indexes.get(routes);
  if (!index || index.routes !== routes.length) {
    const router = new TrieRouter<string>();
    // Each route goes in under every method, carrying its own: one match gives them all.
    for (const r of routes)
      if (r.method !== EVERY_METHOD) router.add(EVERY_METHOD, r.path, r.method);
    index = { routes: routes.length, router };
    indexes.set(routes, index);
  }
  return index.router;
}

/**
 * The methods `app` answers on `path` (the path as the app routes it, base path included),
 * sorted, with `HEAD` wherever `GET` is (Hono answers it); `[]` for an unknown path.
 *
 * @example
 * allowedMethods(app, "/v1/posters/pst_123") // ["DELETE", "GET", "HEAD", "PATCH"]
 */
export function allowedMethods(app: Pick<Hono, "routes">, path: string): string[] {
  const [matches] = indexOf(app.routes).match(EVERY_METHOD, path);
  const methods = new Set(matches.map(([method]) => method));
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].sort();
}

/**
 * The app's `notFound` handler: 405 with `Allow` when the path is known under other methods,
 * else 404 `not_found`; both in the one JSON error shape.
 *
 * @example
 * app.notFound(notFoundOrMethodNotAllowed(app));
 */
export function notFoundOrMethodNotAllowed(app: Pick<Hono, "routes">) {
  return (c: Context): Response => {
    const { method, path } = c.req;
    const allowed = allowedMethods(app, path);
    // A route of this very method that answered nothing is a miss, not a wrong method.
    if (allowed.length === 0 || allowed.includes(method))
      return errorResponse(new ApiError("not_found", `no route for ${method} ${path}`));
    return errorResponse(
      new ApiError(
        "method_not_allowed",
        `${method} is not allowed on ${path}; use ${allowed.join(", ")}`,
        { allow: allowed },
      ),
      { allow: allowed.join(", ") },
    );
  };
}
