/**
 * `GET /healthz`: liveness, the configuration's warnings, and the baseline route the benchmarks
 * compare the scan path with. A configuration the bridge refuses answers 500 `misconfigured`
 * before any route (bridge.ts), so a 200 here means the Worker serves.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { VERSION } from "../version";
import { access } from "./access";

/**
 * Register `/healthz`.
 *
 * @example
 * registerHealthRoutes(app);
 */
export function registerHealthRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/healthz",
      operationId: "getHealth",
      security: access.public,
      tags: ["meta"],
      responses: {
        200: {
          description: "The Worker is up",
          content: {
            "application/json": {
              schema: z.object({
                ok: z.literal(true),
                version: z.string(),
                warnings: z.array(z.string()),
              }),
            },
          },
        },
      },
    }),
    (c) => {
      c.header("cache-control", "no-store");
      return c.json({ ok: true as const, version: VERSION, warnings: c.var.config.warnings }, 200);
    },
  );
}
