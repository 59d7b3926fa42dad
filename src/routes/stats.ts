/**
 * `GET /v1/stats/funnel`: the funnel by day, store, campaign, poster, platform, in-app browser
 * or source, from the daily rollups. Secret key with `stats:read`.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { funnelReport } from "../store/funnel-report";
import { GROUP_BY } from "../store/stats";
import { access } from "./access";
import { requireKey } from "./middleware";
import { errorResponses } from "./schemas";

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a day as YYYY-MM-DD")
  .openapi({ example: "2026-01-31" });
const Id = z.string().min(1).max(64);

/** Query parameters shared by the funnel, the export and the dashboard API. */
export const RangeQuery = z.object({
  from: Day.optional().openapi({
    description: "First day (UTC), inclusive. Default: 29 days before `to`",
  }),
  to: Day.optional().openapi({ description: "Last day (UTC), inclusive. Default: today" }),
  store_id: Id.optional(),
  campaign_id: Id.optional(),
});

export const FunnelQuery = RangeQuery.extend({
  group_by: z.enum(GROUP_BY).optional().openapi({
    description:
      "Default `day`. `source` groups by kind (handoff, poster, login); `via` by how the app was reached (page, direct, scheme, install_referrer, …)",
  }),
  poster_id: Id.optional(),
  source: z.enum(["handoff", "poster", "login"]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional().openapi({
    description: "Most groups (largest first); `day` always lists every day. Default 100",
  }),
});

const Rates = z
  .object({
    landing: z.number().nullable().openapi({ description: "landings ÷ scans" }),
    app_open: z.number().nullable().openapi({ description: "poster app opens ÷ poster scans" }),
    redeemed: z.number().nullable().openapi({
      description: "handoff (and login) redemptions ÷ their scans; null with posters only",
    }),
    converted: z.number().nullable().openapi({
      description:
        "conversions ÷ poster app opens and handoff redemptions (each kind's own previous stage)",
    }),
  })
  .openapi("FunnelRates", {
    description:
      "Each stage ÷ the earlier stage the same kind goes through, so handoffs and posters never divide each other; 4 decimals; null when there is nothing to divide by",
  });

const Figures = z.object({
  scanned: z.number().int(),
  landing: z.number().int(),
  app_open: z.number().int(),
  redeemed: z.number().int(),
  converted: z.number().int(),
  rates: Rates,
  unique_scanners: z.number().int().openapi({
    description:
      "Distinct scanners (daily IP hash), from mergeable sketches: ±1.6 % standard error",
  }),
  direct_app_opens: z.number().int().openapi({
    description: "App opens straight from the QR (app installed: no landing page, no delay)",
  }),
  median_scan_to_app_open_ms: z.number().int().nullable().openapi({
    description:
      "Median delay from a landing-page scan to its app open (within ~5 %); direct opens are not in it",
  }),
  converted_value: z.record(z.string(), z.number()).openapi({
    description:
      "The counted conversions' `value`s summed per ISO 4217 currency (`XXX`: sent without one), exact to the hundredth up to 9,999,999,999,999.99; only currencies seen, `{}` when none. Bots add nothing; conversions counted before this field existed are not in it (docs/stats.md)",
    example: { EUR: 1234.5, USD: 0.3 },
  }),
  refused: z.number().int().openapi({
    description: "People's scans of an inactive poster: not a stage; no bots (docs/stats.md)",
  }),
  refused_by_reason: z.object({
    paused: z.number().int(),
    revoked: z.number().int(),
    not_started: z.number().int(),
    ended: z.number().int(),
  }),
});

export const FunnelResponse = z
  .object({
    from: Day,
    to: Day,
    group_by: z.enum(GROUP_BY),
    rows: z.array(Figures.extend({ group: z.string().nullable() })),
    totals: Figures,
    median_sample: z.object({
      pairs: z.number().int().openapi({ description: "Page scan → app open delays in the median" }),
      truncated: z
        .boolean()
        .openapi({ description: "Always false: every delay is in the rollups" }),
    }),
  })
  .openapi("Funnel");

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
      summary: "The funnel: scanned → landing → app_open → redeemed → converted",
      description:
        "Counts per group from the daily rollups (kept after raw hops are deleted), the rate between stages, unique scanners (by a daily IP hash, from mergeable sketches), app opens straight from the QR, what the conversions were worth per currency (`converted_value`), and the median time from a landing-page scan to its app open. Reads rollups only. Bots never count.",
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
    async (c) => c.json(await funnelReport(c.env.DB, c.req.valid("query")), 200),
  );
}
