/**
 * `GET /v1/stats/funnel`: the funnel by day, store, campaign, poster, platform, in-app browser
 * or source, from the daily rollups. Secret key with `stats:read`.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App, AuthContext } from "../app-env";
import { QUIET_DEFAULTS, quietWindows } from "../core/quiet-posters";
import { zonedDay } from "../core/time-zone";
import type { Env } from "../env";
import type { FunnelReportQuery } from "../store/funnel-report";
import { QUIET_SORTS } from "../store/quiet-posters";
import { GROUP_BY } from "../store/stats";
import { access } from "./access";
import { type AdminKit, adminKit } from "./lazy-modules";
import { requireKey } from "./middleware";
import { errorResponses } from "./schemas";
import { heldToStore } from "./store-scope";

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a day as YYYY-MM-DD");
const Id = z.string().min(1).max(64);

/** Query parameters shared by the funnel, the export and the dashboard API. */
export const RangeQuery = z.object({
  from: Day.optional(),
  to: Day.optional(),
  store_id: Id.optional(),
  campaign_id: Id.optional(),
});

export const FunnelQuery = RangeQuery.extend({
  group_by: z.enum(GROUP_BY).optional(),
  poster_id: Id.optional(),
  source: z.enum(["handoff", "poster", "login"]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  freshness: z.enum(["include", "none"]).optional(),
});

const Rates = z
  .object({
    landing: z.number().nullable(),
    app_open: z.number().nullable(),
    redeemed: z.number().nullable(),
    converted: z.number().nullable(),
  })
  .openapi("FunnelRates");

const Figures = z.object({
  scanned: z.number().int(),
  landing: z.number().int(),
  app_open: z.number().int(),
  redeemed: z.number().int(),
  converted: z.number().int(),
  rates: Rates,
  unique_scanners: z.number().int(),
  direct_app_opens: z.number().int(),
  median_scan_to_app_open_ms: z.number().int().nullable(),
  converted_value: z.record(z.string(), z.number()),
  refused: z.number().int(),
  refused_by_reason: z.object({
    paused: z.number().int(),
    revoked: z.number().int(),
    not_started: z.number().int(),
    ended: z.number().int(),
  }),
});

const Capped = z.object({ count: z.number().int(), more: z.boolean() });

/** How current the funnel is (store/funnel-freshness.ts): the whole deployment's, not the filter's. */
const Freshness = z
  .object({
    counted_through: z.number().int().nullable(),
    last_counted_at: z.number().int().nullable(),
    pending: z.object({
      spool: Capped.extend({ oldest_at: z.number().int().nullable() }).nullable(),
      dead_letters: Capped,
    }),
  })
  .nullable()
  .openapi("FunnelFreshness");

export const FunnelResponse = z
  .object({
    from: Day,
    to: Day,
    time_zone: z.string(),
    time_zones: z.array(z.string()),
    group_by: z.enum(GROUP_BY),
    rows: z.array(Figures.extend({ group: z.string().nullable() })),
    totals: Figures,
    median_sample: z.object({
      pairs: z.number().int(),
      truncated: z.boolean(),
    }),
    freshness: Freshness,
  })
  .openapi("Funnel");

export const QuietPostersQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).optional(),
  baseline: z.coerce.number().int().min(1).max(365).optional(),
  store_id: Id.optional(),
  campaign_id: Id.optional(),
  sort: z.enum(QUIET_SORTS).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

const Nullable = z.string().nullable();

export const QuietPostersResponse = z
  .object({
    time_zone: z.string(),
    today: z.string(),
    quiet_from: z.string(),
    baseline_from: z.string(),
    baseline_to: z.string(),
    sort: z.enum(QUIET_SORTS),
    limit: z.number().int(),
    count: z.number().int(),
    more: z.boolean(),
    posters: z.array(
      z.object({
        poster_id: z.string(),
        name: z.string(),
        store_id: Nullable,
        store_name: Nullable,
        campaign_id: Nullable,
        campaign_name: Nullable,
        baseline_scans: z.number().int(),
        last_scanned_day: z.string(),
        quiet_days: z.number().int(),
      }),
    ),
  })
  .openapi("QuietPosters");

/**
 * The funnel as `auth` may read it, for the API's route and the console's alike, in days of
 * `timeZone` (the reporting time zone) or a filtered store's own (store/funnel-report.ts): a
 * store key's held to its store (403 for another), without the freshness block — each of its
 * figures, even when the newest batch was counted, is the whole deployment's traffic, so another
 * store's — and without it when the caller asks `freshness=none` (it reads D1 rows and lists R2).
 *
 * @example
 * return c.json(await callerFunnel(c.env, c.var.auth, c.req.valid("query"), "UTC"), 200);
 */
export async function callerFunnel(
  env: Pick<Env, "DB" | "HOP_ARCHIVE">,
  auth: AuthContext,
  query: FunnelReportQuery & { freshness?: "include" | "none" },
  timeZone: string,
): ReturnType<AdminKit["funnelReport"]> {
  const { funnelReport } = await adminKit();
  const freshness = auth.storeId === undefined && query.freshness !== "none";
  return funnelReport(env, heldToStore(auth, query), { freshness, timeZone });
}

/**
 * Register the stats routes.
 *
 * @example
 * registerStatsRoutes(app);
 */
export function registerStatsRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/stats/funnel",
      operationId: "getFunnel",
      tags: ["stats"],
      security: access.secret("stats:read"),
      middleware: [requireKey("stats:read")] as const,
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
      path: "/v1/stats/quiet-posters",
      operationId: "getQuietPosters",
      tags: ["stats"],
      security: access.secret("stats:read"),
      middleware: [requireKey("stats:read")] as const,
      request: { query: QuietPostersQuery },
      responses: {
        200: {
          description: "The posters gone quiet",
          content: { "application/json": { schema: QuietPostersResponse } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const q = heldToStore(c.var.auth, c.req.valid("query"));
      // One store's "today" is its own zone's, as its funnel's is (store/funnel-report.ts).
      const deployment = c.var.config.reportingTimeZone;
      const { filteredDayZone, quietPosters } = await adminKit();
      const timeZone = (await filteredDayZone(c.env.DB, q, deployment)) ?? deployment;
      const now = Date.now();
      const windows = quietWindows(
        zonedDay(now, timeZone),
        q.days ?? QUIET_DEFAULTS.days,
        q.baseline ?? QUIET_DEFAULTS.baseline,
      );
      const sort = q.sort ?? QUIET_DEFAULTS.sort;
      const limit = q.limit ?? QUIET_DEFAULTS.limit;
      const found = await quietPosters(c.env.DB, windows, now, { ...q, sort, limit });
      const more = found.count > found.posters.length;
      return c.json({ time_zone: timeZone, ...windows, sort, limit, more, ...found }, 200);
    },
  );
}
