/**
 * `GET /favicon.ico`: browsers ask for it on every page they show (a landing page, the
 * dashboard, the docs). The bridge has no brand of its own to put there, so it answers
 * `204 No Content`, cached for a week: the browser logs nothing and does not ask again, where
 * a 404 was a console error on every page view.
 */
import { createRoute } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { access } from "./access";

/** A week: the answer never changes, and a browser keeps it across page views. */
export const FAVICON_CACHE = "public, max-age=604800";

/**
 * Register `/favicon.ico`.
 *
 * @example
 * registerFaviconRoute(app);
 */
export function registerFaviconRoute(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/favicon.ico",
      operationId: "getFavicon",
      security: access.public,
      tags: ["meta"],
      responses: { 204: { description: "No icon; cached for a week" } },
    }),
    (c) => c.body(null, 204, { "cache-control": FAVICON_CACHE }),
  );
}
