/**
 * `/v1/stores` and `/v1/campaigns` (secret key, `posters:write`): the places and campaigns that
 * poster scans are attributed to. A store rename drops the cache entries of its posters so the
 * landing and "no longer active" pages show the new name; a time zone change does too, so its
 * posters' next hops count on the new zone's days.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { ApiError } from "../core/errors";
import { timeZoneName } from "../core/time-zone";
import type { CampaignRecord } from "../store/campaigns";
import { MAX_PAGE } from "../store/paging";
import { type StoreRecord, updateStore } from "../store/stores";
import { answerHook, IdempotencyHeaders, idempotent } from "./idempotency";
import { adminKit } from "./lazy-modules";
import { actorOf, requireKey } from "./middleware";
import { CampaignName, StoreId, security } from "./poster-schemas";
import { cursorParam, errorResponses, ownKeys } from "./schemas";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });

const Metadata = ownKeys(
  z
    .record(z.string(), z.unknown())
    .refine(
      (m) => JSON.stringify(m).length <= 2000,
      "metadata must be at most 2,000 characters of JSON",
    ),
);

const StoreFields = {
  name: z.string().trim().min(1).max(200),
  address: z.string().trim().max(500).nullable().optional(),
  ref: z.string().trim().max(100).nullable().optional(),
  metadata: Metadata.optional(),
  /** Checked here, so a zone the runtime does not know is a 400 naming the field. */
  time_zone: z
    .string()
    .trim()
    .max(64)
    .refine((zone) => timeZoneName(zone) !== null, "not an IANA time zone such as Asia/Tokyo")
    .nullable()
    .optional(),
};

const CreateStore = z.object(StoreFields).strict().openapi("CreateStoreRequest");
const PatchStore = z
  .object({ ...StoreFields, name: StoreFields.name.optional() })
  .strict()
  .openapi("PatchStoreRequest");

const Store = z
  .object({
    id: z.string(),
    name: z.string(),
    address: z.string().nullable(),
    ref: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    time_zone: z.string().nullable(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .openapi("Store");

const Campaign = z
  .object({
    id: z.string(),
    name: z.string(),
    created_at: z.number().int(),
  })
  .openapi("Campaign");

const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
  cursor: z.string().max(80).optional(),
  q: z.string().trim().max(100).optional(),
});

/**
 * Register the store and campaign routes.
 *
 * @example
 * registerStoreRoutes(app);
 */
export function registerStoreRoutes(app: App): void {
  const idParam = { params: z.object({ id: StoreId }) };

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/stores",
      operationId: "createStore",
      tags: ["stores"],
      security,
      middleware: [requireKey("posters:write"), idempotent()] as const,
      request: { headers: IdempotencyHeaders, body: { ...json(CreateStore), required: true } },
      responses: {
        201: { description: "The store", ...json(Store) },
        ...errorResponses(400, 401, 403, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const { createStore } = await adminKit();
      const answer = answerHook(c, (store: StoreRecord) => store);
      return c.json(await createStore(c.env.DB, c.req.valid("json"), actorOf(c), answer), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/stores",
      operationId: "listStores",
      tags: ["stores"],
      security,
      middleware: [requireKey("posters:write")] as const,
      request: { query: PageQuery },
      responses: {
        200: {
          description: "A page of stores",
          ...json(z.object({ stores: z.array(Store), next_cursor: z.string().nullable() })),
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const out = await (await adminKit()).listStores(c.env.DB, {
        limit: q.limit,
        cursor: cursorParam(q.cursor),
        q: q.q || undefined,
      });
      return c.json({ stores: out.items, next_cursor: out.next_cursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/stores/{id}",
      operationId: "getStore",
      tags: ["stores"],
      security,
      middleware: [requireKey("posters:write")] as const,
      request: idParam,
      responses: {
        200: { description: "The store", ...json(Store) },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const store = await (await adminKit()).getStore(c.env.DB, id);
      if (!store) throw new ApiError("not_found", `no store ${id}`);
      return c.json(store, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/v1/stores/{id}",
      operationId: "updateStore",
      tags: ["stores"],
      security,
      middleware: [requireKey("posters:write")] as const,
      request: { ...idParam, body: { ...json(PatchStore), required: true } },
      responses: {
        200: { description: "The store after the change", ...json(Store) },
        ...errorResponses(400, 401, 403, 404, 413, 415),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const patch = c.req.valid("json");
      const store = await updateStore(c.env, id, patch, actorOf(c), c.executionCtx);
      if (!store) throw new ApiError("not_found", `no store ${id}`);
      return c.json(store, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/stores/{id}",
      operationId: "deleteStore",
      tags: ["stores"],
      security,
      middleware: [requireKey("posters:write")] as const,
      request: idParam,
      responses: {
        200: {
          description: "Deleted",
          ...json(z.object({ id: z.string(), deleted: z.literal(true) })),
        },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const outcome = await (await adminKit()).deleteStore(c.env.DB, id, actorOf(c));
      if (outcome === "not_found") throw new ApiError("not_found", `no store ${id}`);
      if (outcome === "in_use")
        throw new ApiError(
          "conflict",
          `store ${id} has posters (deleted ones count: their stats name it)`,
        );
      return c.json({ id, deleted: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/campaigns",
      operationId: "listCampaigns",
      tags: ["stores"],
      security,
      middleware: [requireKey("posters:write")] as const,
      request: { query: PageQuery },
      responses: {
        200: {
          description: "A page of campaigns",
          ...json(z.object({ campaigns: z.array(Campaign), next_cursor: z.string().nullable() })),
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const out = await (await adminKit()).listCampaigns(c.env.DB, {
        limit: q.limit,
        cursor: cursorParam(q.cursor),
        q: q.q || undefined,
      });
      return c.json({ campaigns: out.items, next_cursor: out.next_cursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/campaigns",
      operationId: "createCampaign",
      tags: ["stores"],
      security,
      middleware: [requireKey("posters:write"), idempotent()] as const,
      request: {
        headers: IdempotencyHeaders,
        body: {
          ...json(z.object({ name: CampaignName }).strict().openapi("CreateCampaignRequest")),
          required: true,
        },
      },
      responses: {
        201: { description: "The campaign", ...json(Campaign) },
        ...errorResponses(400, 401, 403, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const { name } = c.req.valid("json");
      const { createCampaign, campaignByName } = await adminKit();
      const answer = answerHook(c, (campaign: CampaignRecord) => campaign);
      const created = await createCampaign(c.env.DB, name, actorOf(c), answer);
      if (created) return c.json(created, 201);
      const existing = await campaignByName(c.env.DB, name);
      throw new ApiError("conflict", `name: a campaign is already called ${name}`, {
        field: "name",
        id: existing?.id ?? null,
      });
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/campaigns/{id}",
      operationId: "getCampaign",
      tags: ["stores"],
      security,
      middleware: [requireKey("posters:write")] as const,
      request: { params: z.object({ id: z.string().max(40) }) },
      responses: {
        200: { description: "The campaign", ...json(Campaign) },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const campaign = await (await adminKit()).getCampaign(c.env.DB, id);
      if (!campaign) throw new ApiError("not_found", `no campaign ${id}`);
      return c.json(campaign, 200);
    },
  );
}
