/**
 * `GET /v1/hops`: the raw hop log, streamed as NDJSON or CSV, a page at a time with a cursor.
 * Secret key with `stats:read`. Raw hops exist only within `QB_HOP_RETENTION_DAYS`.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { ApiError } from "../core/errors";
import { parseDay } from "../core/funnel";
import {
  decodeHopCursor,
  EXPORT_COLUMNS,
  encodeHopCursor,
  pageEnd,
  streamHops,
} from "../store/hop-export";
import { requireKey } from "./middleware";
import { errorResponses } from "./schemas";
import { RangeQuery, resolveRange } from "./stats";

export const MAX_EXPORT_PAGE = 10_000;

const ExportQuery = RangeQuery.extend({
  format: z.enum(["ndjson", "csv"]).optional().openapi({ description: "Default ndjson" }),
  cursor: z.string().max(200).optional().openapi({
    description: "`X-Next-Cursor` of the previous page",
  }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_EXPORT_PAGE)
    .optional()
    .openapi({
      description: `Rows per page (default 1000, at most ${MAX_EXPORT_PAGE})`,
    }),
});

/**
 * Build the streamed export response for a validated query. `X-Next-Cursor` (and a
 * `Link: rel="next"` URL) is set when more rows follow; its absence means the last page.
 *
 * @example
 * return exportResponse(c.env.DB, c.req.valid("query"), new URL(c.req.url));
 */
export async function exportResponse(
  db: D1Database,
  q: z.infer<typeof ExportQuery>,
  url: URL,
): Promise<Response> {
  const range = resolveRange(q.from, q.to);
  const after = q.cursor === undefined ? null : decodeHopCursor(q.cursor);
  if (q.cursor !== undefined && !after)
    throw new ApiError("validation_failed", "cursor: not a cursor from this API", {
      field: "cursor",
    });
  const query = {
    fromMs: parseDay(range.from)!,
    toMs: parseDay(range.to)! + 86_400_000,
    store_id: q.store_id,
    campaign_id: q.campaign_id,
    after,
  };
  const limit = q.limit ?? 1000;
  const format = q.format ?? "ndjson";
  const end = await pageEnd(db, query, limit);
  const headers = new Headers({
    "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  if (format === "csv")
    headers.set("content-disposition", `attachment; filename="hops-${range.from}-${range.to}.csv"`);
  if (end) {
    const next = encodeHopCursor(end);
    const nextUrl = new URL(url);
    nextUrl.searchParams.set("cursor", next);
    headers.set("x-next-cursor", next);
    headers.set("link", `<${nextUrl.pathname}${nextUrl.search}>; rel="next"`);
  }
  return new Response(streamHops(db, query, limit, format), { status: 200, headers });
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
      tags: ["stats"],
      summary: "Export the raw hop log (NDJSON or CSV), paged with a cursor",
      description: `Rows ordered by time then event id. Columns: ${EXPORT_COLUMNS.join(", ")}. The response is streamed; \`X-Next-Cursor\` carries the cursor of the next page and is absent on the last page. CSV is RFC 4180 with formula-like text prefixed by \`'\`.`,
      security: [{ bearer: [] }],
      middleware: [requireKey("stats:read")] as const,
      request: { query: ExportQuery },
      responses: {
        200: {
          description: "A page of hops",
          headers: z.object({
            "x-next-cursor": z
              .string()
              .optional()
              .openapi({ description: "Absent on the last page" }),
          }),
          content: {
            "application/x-ndjson": { schema: z.string() },
            "text/csv": { schema: z.string() },
          },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => exportResponse(c.env.DB, c.req.valid("query"), new URL(c.req.url)),
  );
}
