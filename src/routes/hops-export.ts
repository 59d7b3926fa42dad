/**
 * `GET /v1/hops`: the raw hop log from the R2 archive, streamed as NDJSON or CSV, a page at a
 * time with a cursor (store/hop-export.ts). Secret key with `stats:read`. Raw hops are kept
 * `QB_HOP_RETENTION_DAYS`. `from` and `to` are local days as the funnel counts them (a row's
 * `day`): the archive's UTC hours that hold them in every zone in use are read, and only the
 * hops filed under those days given.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App, AuthContext } from "../app-env";
import { ApiError } from "../core/errors";
import { HOP_NAMES, SUBJECT_KINDS } from "../core/hop-row";
import type { Env } from "../env";
import { access } from "./access";
import { adminKit } from "./lazy-modules";
import { requireKey } from "./middleware";
import { MAX_EXPORT_OBJECTS, MAX_EXPORT_PAGE } from "./response-limits";
import { errorResponses } from "./schemas";
import { RangeQuery } from "./stats";
import { heldToStore } from "./store-scope";

const Id = z.string().min(1).max(100);

export const ExportQuery = RangeQuery.extend({
  kind: z.enum(SUBJECT_KINDS).optional(),
  hop: z.enum(HOP_NAMES).optional(),
  poster_id: Id.optional(),
  subject_id: Id.optional(),
  format: z.enum(["ndjson", "csv"]).optional(),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_EXPORT_PAGE).optional(),
});

/**
 * Build the streamed export response for a validated query: its default range ends today in the
 * store's zone (with `store_id`; the poster's store's with `poster_id`) or `timeZone` (the
 * reporting time zone), and it gives the rows whose `day` is in the range. With one zone in use the
 * hours of its days are read; with stores in other zones, the hours of the days in the world's
 * widest zones (a row's day may be any zone's: a store's zone changed, or set since), ~26 h more
 * whatever the range. The archive is kept `retentionDays` (an object retention deletes while the
 * page is read is skipped). `X-Next-Cursor` (and a `Link: rel="next"` URL) is set when more rows
 * follow; its absence means the last page.
 *
 * @example
 * return exportResponse(c.env, heldToStore(c.var.auth, q), new URL(c.req.url), c.var.auth, "UTC");
 */
export async function exportResponse(
  env: Env,
  q: z.infer<typeof ExportQuery>,
  url: URL,
  auth: Pick<AuthContext, "storeId"> = {},
  timeZone = "UTC",
  retentionDays?: number,
): Promise<Response> {
  const now = Date.now();
  const {
    decodeHopCursor,
    encodeHopCursor,
    filteredDayZone,
    filteredPage,
    firstKeptHour,
    pageText,
    planPage,
    resolveRange,
    streamPage,
    WIDEST_ZONES,
    zonedDaysSpanIn,
    zonesInUse,
  } = await adminKit();
  const [inUse, zone] = await Promise.all([
    zonesInUse(env.DB, timeZone),
    filteredDayZone(env.DB, q, timeZone),
  ]);
  const range = resolveRange(q.from, q.to, now, zone ?? timeZone);
  const span = zonedDaysSpanIn(range.from, range.to, inUse.length > 1 ? WIDEST_ZONES : inUse);
  const after = q.cursor === undefined ? null : decodeHopCursor(q.cursor);
  if (q.cursor !== undefined && !after)
    throw new ApiError("validation_failed", "cursor: not a cursor from this API", {
      field: "cursor",
    });
  // A cursor only ever points into the days of the query that gave it; one outside them would
  // page through hours the query did not ask for.
  if (after && (after.hour < span.firstHour || after.hour > span.lastHour))
    throw new ApiError(
      "validation_failed",
      "cursor: not a cursor of these days (send the from and to of the page that gave it)",
      { field: "cursor" },
    );
  const query = {
    span,
    days: range,
    filters: {
      kind: q.kind,
      hop: q.hop,
      store_id: q.store_id,
      campaign_id: q.campaign_id,
      poster_id: q.poster_id,
      subject_id: q.subject_id,
    },
    after,
    // An hour of slack: the cron that deletes a day may run just after the page was planned.
    keptFrom:
      retentionDays === undefined ? null : firstKeptHour(now + 3_600_000, retentionDays, inUse),
  };
  const format = q.format ?? "ndjson";
  const limit = q.limit ?? 1000;
  // A store key pages by its own rows: planPage's pages and cursors count every store's rows.
  // Its page is held in memory before the answer, so the console CSV's limit is cut to a page's.
  const held =
    auth.storeId === undefined
      ? null
      : await filteredPage(env, query, Math.min(limit, MAX_EXPORT_PAGE), MAX_EXPORT_OBJECTS);
  const { parts, next } = held
    ? { parts: [], next: held.next }
    : await planPage(env.DB, query, limit, MAX_EXPORT_OBJECTS);
  const headers = new Headers({
    "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  if (format === "csv")
    headers.set("content-disposition", `attachment; filename="hops-${range.from}-${range.to}.csv"`);
  if (next) {
    const cursor = encodeHopCursor(next);
    const nextUrl = new URL(url);
    nextUrl.searchParams.set("cursor", cursor);
    headers.set("x-next-cursor", cursor);
    headers.set("link", `<${nextUrl.pathname}${nextUrl.search}>; rel="next"`);
  }
  const body = held ? pageText(held.rows, format) : streamPage(env, parts, query, format);
  return new Response(body, { status: 200, headers });
}

/**
 * Register `GET /v1/hops`.
 *
 * @example
 * registerHopExportRoutes(app);
 */
export function registerHopExportRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/hops",
      operationId: "exportHops",
      tags: ["stats"],
      security: access.secret("stats:read"),
      middleware: [requireKey("stats:read")] as const,
      request: { query: ExportQuery },
      responses: {
        200: {
          description: "A page of hops",
          headers: z.object({
            "x-next-cursor": z.string().optional(),
          }),
          content: {
            "application/x-ndjson": { schema: z.string() },
            "text/csv": { schema: z.string() },
          },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) =>
      exportResponse(
        c.env,
        heldToStore(c.var.auth, c.req.valid("query")),
        new URL(c.req.url),
        c.var.auth,
        c.var.config.reportingTimeZone,
        c.var.config.hopRetentionDays,
      ),
  );
}
