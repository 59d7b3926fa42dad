/**
 * `POST /v1/posters/batch`: up to 1,000 posters in one request, all or nothing. Every row is
 * validated first; if any fails, nothing is written and the 400 names each bad row and field.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { ApiError } from "../core/errors";
import { LIMITS } from "../limits";
import type { PosterRecord, RowError } from "../store/posters";
import { validationHook } from "./errors";
import { answerHook, IdempotencyHeaders, idempotent } from "./idempotency";
import { adminKit } from "./lazy-modules";
import { missingLogos } from "./logos";
import { actorOf, requireKey } from "./middleware";
import { CreatePoster, Poster, posterBody, security } from "./poster-schemas";
import { errorResponses } from "./schemas";

/** Most posters one batch may create. */

const BatchRequest = z
  .object({ posters: z.array(CreatePoster).min(1).max(LIMITS.posterBatch) })
  .openapi("CreatePostersBatchRequest");

const MAX_LISTED = 50;

/**
 * The 400 of a batch with bad rows: `field`/`fields` as every validation error
 * (`posters.37.path`), plus `rows` ({index, field, message}) and the count of bad rows.
 */
function rowFailure(rows: RowError[]): ApiError {
  const first = rows[0]!;
  const more = rows.length > 1 ? ` (and ${rows.length - 1} more)` : "";
  const listed = rows.slice(0, MAX_LISTED);
  const fieldOf = (r: RowError) => `posters.${r.index}.${r.field}`;
  return new ApiError(
    "validation_failed",
    `posters[${first.index}].${first.field}: ${first.message}${more}; nothing was created`,
    {
      field: fieldOf(first),
      fields: listed.map((r) => ({ field: fieldOf(r), message: r.message })),
      rows: listed,
      row_errors: rows.length,
    },
  );
}

/**
 * Register the batch route.
 *
 * @example
 * registerPosterBatchRoutes(app);
 */
export function registerPosterBatchRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/posters/batch",
      operationId: "createPosterBatch",
      tags: ["posters"],
      security,
      middleware: [requireKey("posters:write"), idempotent()] as const,
      request: {
        headers: IdempotencyHeaders,
        query: z.object({
          dry_run: z.enum(["true", "false"]).optional(),
        }),
        body: { content: { "application/json": { schema: BatchRequest } }, required: true },
      },
      responses: {
        200: {
          description: "dry_run=true: every row is valid; nothing was written",
          content: {
            "application/json": {
              schema: z.object({ valid: z.literal(true), count: z.number().int() }),
            },
          },
        },
        201: {
          description: "The posters, in request order",
          content: { "application/json": { schema: z.object({ posters: z.array(Poster) }) } },
        },
        ...errorResponses(400, 401, 403, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const { posters } = c.req.valid("json");
      const missing = await missingLogos(
        c,
        posters.map((p) => p.style),
      );
      if (missing.length) throw rowFailure(missing);
      if (c.req.valid("query").dry_run === "true") {
        const { errors } = await (await adminKit()).checkStores(c.env.DB, posters);
        if (errors.length) throw rowFailure(errors);
        return c.json({ valid: true as const, count: posters.length }, 200);
      }
      const toBody = (made: PosterRecord[]) => ({ posters: made.map((p) => posterBody(c, p)) });
      const answer = answerHook(c, toBody);
      const { keyring } = c.var.config;
      const { createPosters } = await adminKit();
      const out = await createPosters(c.env.DB, keyring, posters, actorOf(c), answer);
      if (!out.ok) throw rowFailure(out.errors);
      return c.json(toBody(out.posters), 201);
    },
    (result, c): undefined => {
      // Per-row errors instead of the generic field list: `posters.3.path` → row 3, field path.
      if (result.success) return;
      if (result.target !== "json") {
        validationHook(result as never, c as never); // throws its 400
        return;
      }
      const rows: RowError[] = [];
      for (const issue of result.error.issues) {
        const [top, index, ...rest] = issue.path.map(String);
        if (top === "posters" && index !== undefined && /^\d+$/.test(index)) {
          rows.push({
            index: Number(index),
            field: rest.join(".") || "(row)",
            message: issue.message,
          });
        } else {
          const field = issue.path.map(String).join(".") || "(body)";
          throw new ApiError("validation_failed", `${field}: ${issue.message}`, { field });
        }
      }
      rows.sort((a, b) => a.index - b.index);
      throw rowFailure(rows);
    },
  );
}
