/**
 * `/v1/posters`: create, list, read, change and delete posters (secret key, `posters:write`).
 * Every change bumps the poster's version and drops its KV cache entry, so scans in this
 * location see it at once (other locations within KV's propagation delay, see docs/posters.md).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { ApiError } from "../core/errors";
import { MAX_PAGE } from "../store/paging";
import {
  deletePoster,
  getPoster,
  type PosterPatch,
  type PosterRecord,
  updatePoster,
} from "../store/posters";
import { answerHook, IdempotencyHeaders, idempotent } from "./idempotency";
import { adminKit } from "./lazy-modules";
import { checkStyleLogo } from "./logos";
import { actorOf, requireKey } from "./middleware";
import {
  CreatePoster,
  PatchPoster,
  Poster,
  PosterId,
  posterBody,
  StoreId,
  security,
} from "./poster-schemas";
import { cursorParam, errorResponses } from "./schemas";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });

const ListQuery = z.object({
  store_id: StoreId.optional(),
  campaign_id: z.string().max(40).optional(),
  status: z.enum(["active", "paused", "revoked"]).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
  cursor: z.string().max(80).optional(),
});

/**
 * Register the poster CRUD routes.
 *
 * @example
 * registerPosterRoutes(app);
 */
export function registerPosterRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/posters",
      operationId: "createPoster",
      tags: ["posters"],
      security,
      middleware: [requireKey("posters:write"), idempotent()] as const,
      request: { headers: IdempotencyHeaders, body: { ...json(CreatePoster), required: true } },
      responses: {
        201: { description: "The poster, with its code, URL and QR links", ...json(Poster) },
        ...errorResponses(400, 401, 403, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const input = c.req.valid("json");
      await checkStyleLogo(c, input.style);
      const toBody = (made: PosterRecord[]) => posterBody(c, made[0]!);
      const { keyring } = c.var.config;
      const answer = answerHook(c, toBody);
      const { createPosters } = await adminKit();
      const out = await createPosters(c.env.DB, keyring, [input], actorOf(c), answer);
      if (!out.ok) {
        const e = out.errors[0]!;
        throw new ApiError("validation_failed", `${e.field}: ${e.message}`, { field: e.field });
      }
      return c.json(toBody(out.posters), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/posters",
      operationId: "listPosters",
      tags: ["posters"],
      security,
      middleware: [requireKey("posters:write")] as const,
      request: { query: ListQuery },
      responses: {
        200: {
          description: "A page of posters; pass `next_cursor` as `cursor` for the next",
          ...json(z.object({ posters: z.array(Poster), next_cursor: z.string().nullable() })),
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const { items, next_cursor } = await (await adminKit()).listPosters(c.env.DB, {
        ...q,
        cursor: cursorParam(q.cursor),
      });
      return c.json({ posters: items.map((p) => posterBody(c, p)), next_cursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/posters/{id}",
      operationId: "getPoster",
      tags: ["posters"],
      security,
      middleware: [requireKey("posters:write")] as const,
      request: { params: z.object({ id: PosterId }) },
      responses: {
        200: { description: "The poster", ...json(Poster) },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const poster = await getPoster(c.env.DB, id);
      if (!poster) throw new ApiError("not_found", `no poster ${id}`);
      return c.json(posterBody(c, poster), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/v1/posters/{id}",
      operationId: "updatePoster",
      tags: ["posters"],
      security,
      middleware: [requireKey("posters:write")] as const,
      request: {
        params: z.object({ id: PosterId }),
        body: { ...json(PatchPoster), required: true },
      },
      responses: {
        200: { description: "The poster after the change", ...json(Poster) },
        ...errorResponses(400, 401, 403, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { version, ...patch } = c.req.valid("json");
      await checkStyleLogo(c, patch.style);
      if (patch.store_id) {
        const { errors } = await (await adminKit()).checkStores(c.env.DB, [patch]);
        if (errors.length)
          throw new ApiError("validation_failed", `store_id: ${errors[0]!.message}`, {
            field: "store_id",
          });
      }
      // Read, check the merged window, write guarded by the version read (or the caller's).
      for (let attempt = 0; attempt < 3; attempt++) {
        const current = await getPoster(c.env.DB, id);
        if (!current) throw new ApiError("not_found", `no poster ${id}`);
        if (current.deleted_at !== null)
          throw new ApiError("conflict", `poster ${id} is deleted and cannot change`);
        if (
          current.status === "revoked" &&
          patch.status !== undefined &&
          patch.status !== "revoked"
        ) {
          throw new ApiError(
            "conflict",
            `poster ${id} is revoked for good; pause a poster to stop it for a while`,
          );
        }
        if (version !== undefined && version !== current.version) {
          throw new ApiError(
            "conflict",
            `poster ${id} is at version ${current.version}, not ${version}`,
            {
              version: current.version,
            },
          );
        }
        const from = patch.active_from !== undefined ? patch.active_from : current.active_from;
        const until = patch.active_until !== undefined ? patch.active_until : current.active_until;
        if (from !== null && until !== null && from >= until) {
          throw new ApiError("validation_failed", "active_until: must be after active_from", {
            field: "active_until",
          });
        }
        const out = await updatePoster(
          c.env,
          id,
          current.version,
          patch as PosterPatch,
          actorOf(c),
          c.executionCtx,
        );
        if (out === "no_store")
          throw new ApiError("validation_failed", `store_id: no store ${patch.store_id}`, {
            field: "store_id",
          });
        if (out === "conflict") {
          if (version !== undefined)
            throw new ApiError("conflict", `poster ${id} changed meanwhile`);
          continue;
        }
        return c.json(posterBody(c, out), 200);
      }
      throw new ApiError("conflict", `poster ${id} is changing concurrently; retry`);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/posters/{id}",
      operationId: "deletePoster",
      tags: ["posters"],
      security,
      middleware: [requireKey("posters:write")] as const,
      request: { params: z.object({ id: PosterId }) },
      responses: {
        200: { description: "The deleted poster", ...json(Poster) },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      if (!(await deletePoster(c.env, id, actorOf(c), c.executionCtx)))
        throw new ApiError("not_found", `no poster ${id}`);
      return c.json(posterBody(c, (await getPoster(c.env.DB, id))!), 200);
    },
  );
}
