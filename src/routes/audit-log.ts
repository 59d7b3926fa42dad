/**
 * `GET /v1/audit-log`: who changed what through the API or the console (admin key only), newest
 * first, filtered by subject, actor and time, paged by a cursor. The rows are written by the
 * store code of each change (store/audit-log.ts).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { AUDIT_SUBJECTS, AUDIT_VIAS, decodeAuditCursor } from "../core/audit";
import { ApiError } from "../core/errors";
import { access } from "./access";
import { adminKit } from "./lazy-modules";
import { requireKey } from "./middleware";
import { errorResponses } from "./schemas";

const AuditChanges = z
  .object({ fields: z.array(z.string()), values: z.record(z.string(), z.unknown()) })
  .openapi("AuditChanges");

const AuditEntry = z
  .object({
    id: z.number().int(),
    at: z.number().int(),
    actor: z.string(),
    via: z.enum(AUDIT_VIAS),
    action: z.string(),
    subject_type: z.string(),
    subject_id: z.string(),
    changes: AuditChanges,
  })
  .openapi("AuditEntry");

const UnixMs = z.coerce.number().int().min(0).max(8_640_000_000_000_000);

const Query = z.object({
  subject_type: z.enum(AUDIT_SUBJECTS).optional(),
  subject_id: z.string().min(1).max(200).optional(),
  actor: z.string().min(1).max(40).optional(),
  from: UnixMs.optional(),
  to: UnixMs.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(40).optional(),
});

/**
 * Register the audit-log route.
 *
 * @example
 * registerAuditLogRoutes(app);
 */
export function registerAuditLogRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/audit-log",
      operationId: "listAuditLog",
      tags: ["operations"],
      security: access.admin,
      middleware: [requireKey("admin")] as const,
      request: { query: Query },
      responses: {
        200: {
          description:
            "A page of changes, newest first; pass `next_cursor` as `cursor` for the next",
          content: {
            "application/json": {
              schema: z.object({
                entries: z.array(AuditEntry),
                next_cursor: z.string().nullable(),
              }),
            },
          },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      let cursor = null;
      if (q.cursor !== undefined) {
        cursor = decodeAuditCursor(q.cursor);
        if (!cursor)
          throw new ApiError("validation_failed", "cursor: not a cursor from a previous page", {
            field: "cursor",
          });
      }
      if (q.subject_id !== undefined && q.subject_type === undefined)
        throw new ApiError("validation_failed", "subject_type: needed with subject_id", {
          field: "subject_type",
        });
      const { items, next_cursor } = await (await adminKit()).listAuditLog(c.env.DB, {
        subject_type: q.subject_type,
        subject_id: q.subject_id,
        actor: q.actor,
        from: q.from,
        to: q.to,
        cursor,
        limit: q.limit ?? 50,
      });
      return c.json({ entries: items, next_cursor }, 200);
    },
  );
}
