/**
 * `/dashboard/api/*`: the JSON and CSV behind the dashboard, authorised by the session cookie
 * (not a bearer key) and returning exactly what `/v1/stats/funnel` and `/v1/hops` return — to a
 * session whose key holds stats:read, as those need, and for a store key's session held to its
 * store as those are (routes/store-scope.ts).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { App, AppEnv } from "../app-env";
import { IN_APP_RULES } from "../core/device-tables";
import { access } from "./access";
import { requireDashboardSession } from "./dashboard-session";
import { exportResponse } from "./hops-export";
import { adminKit } from "./lazy-modules";
import { sessionScopeCheck } from "./middleware";
import { DASHBOARD_CSV_ROWS } from "./response-limits";
import { errorResponses } from "./schemas";
import { callerFunnel, FunnelQuery, FunnelResponse, RangeQuery } from "./stats";
import { heldToStore } from "./store-scope";

const Label = z.object({ id: z.string(), name: z.string() });
const Labels = z
  .object({
    stores: z.array(Label),
    campaigns: z.array(Label),
    posters: z.array(Label),
    in_app: z.array(Label),
  })
  .openapi("DashboardLabels");

/** The in-app browsers' names ("WeChat" for `wechat`), from the one table that detects them. */
const IN_APP_LABELS = IN_APP_RULES.map(({ id, name }) => ({ id, name }));

/**
 * The dashboard's data is what stats:read reads. A key signs in only holding it, but an edit
 * may take it away afterwards, and the session reads its key's scopes on every request.
 */
const readsStats: MiddlewareHandler<AppEnv> = async (c, next) => {
  sessionScopeCheck(c.var.auth, "stats:read");
  await next();
};

/**
 * Register the dashboard's data routes.
 *
 * @example
 * registerDashboardApiRoutes(app);
 */
export function registerDashboardApiRoutes(app: App): void {
  app.use("/dashboard/api/*", requireDashboardSession());

  app.openapi(
    createRoute({
      method: "get",
      path: "/dashboard/api/funnel",
      operationId: "getDashboardFunnel",
      security: access.session,
      middleware: [readsStats] as const,
      tags: ["dashboard"],
      request: { query: FunnelQuery },
      responses: {
        200: {
          description: "The funnel",
          content: { "application/json": { schema: FunnelResponse } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) =>
      c.json(
        await callerFunnel(c.env, c.var.auth, c.req.valid("query"), c.var.config.reportingTimeZone),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/dashboard/api/hops.csv",
      operationId: "exportDashboardHops",
      security: access.session,
      middleware: [readsStats] as const,
      tags: ["dashboard"],
      // The page's filters, the poster's too: a CSV of every poster under a one-poster funnel
      // would not be the numbers on the screen.
      request: {
        query: RangeQuery.extend({
          cursor: z.string().max(200).optional(),
          poster_id: z.string().min(1).max(100).optional(),
        }),
      },
      responses: {
        200: {
          description: "A page of the CSV download",
          headers: z.object({ "x-next-cursor": z.string().optional() }),
          content: { "text/csv": { schema: z.string() } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) =>
      exportResponse(
        c.env,
        {
          ...heldToStore(c.var.auth, c.req.valid("query")),
          format: "csv",
          limit: DASHBOARD_CSV_ROWS,
        },
        new URL(c.req.url),
        c.var.auth,
        c.var.config.reportingTimeZone,
        c.var.config.hopRetentionDays,
      ),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/dashboard/api/labels",
      operationId: "getDashboardLabels",
      security: access.session,
      middleware: [readsStats] as const,
      tags: ["dashboard"],
      responses: {
        200: { description: "Names by id", content: { "application/json": { schema: Labels } } },
        ...errorResponses(401, 403),
      },
    }),
    async (c) =>
      c.json(
        {
          ...(await (await adminKit()).dashboardLabels(c.env.DB, c.var.auth.storeId)),
          in_app: IN_APP_LABELS,
        },
        200,
      ),
  );
}
