/**
 * `/v1/keys`: the admin key mints, lists and revokes API keys.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { ApiError } from "../core/errors";
import { PUBLISHABLE_SCOPES, revokeKey, SCOPES } from "../store/keys";
import { access } from "./access";
import { IdempotencyHeaders, idempotent } from "./idempotency";
import { adminKit } from "./lazy-modules";
import { actorOf, requireKey } from "./middleware";
import { errorResponses } from "./schemas";

const Origin = z
  .string()
  .regex(/^https?:\/\/[^/\s?#]+$/, "an origin is scheme://host[:port] with no path");

const CreateKey = z
  .object({
    name: z.string().min(1).max(100),
    kind: z.enum(["secret", "publishable"]),
    scopes: z.array(z.enum(SCOPES)).min(1),
    origins: z.array(Origin).max(50).optional(),
    /**
     * Hold the key to one store: it reads that store's funnel and hops only. Such a key is a
     * secret key with `stats:read` alone (it is handed to a store's manager, who reads).
     */
    store_id: z.string().min(1).max(64).optional(),
  })
  .openapi("CreateKeyRequest");

const KeyRecord = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(["secret", "publishable"]),
    prefix: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    origins: z.array(z.string()),
    created_at: z.number().int(),
    revoked_at: z.number().int().nullable(),
    last_used_at: z.number().int().nullable(),
    store_id: z.string().nullable(),
    store_name: z.string().nullable(),
  })
  .openapi("ApiKey");

const CreatedKey = KeyRecord.extend({
  key: z.string(),
}).openapi("CreatedApiKey");

const security = access.admin;

/**
 * A store key is for a store's manager, who reads: a secret key with `stats:read` alone (any
 * other scope — writing posters, webhooks, events, handoffs — acts across every store), and
 * its store must exist.
 */
async function checkStoreKey(db: D1Database, body: z.infer<typeof CreateKey>): Promise<string> {
  const bad = (field: string, why: string) =>
    new ApiError("validation_failed", `${field}: ${why}`, { field });
  if (body.kind !== "secret") throw bad("kind", "a key held to a store (store_id) is a secret key");
  const other = body.scopes.find((s) => s !== "stats:read");
  if (other)
    throw bad(
      "scopes",
      `a key held to a store (store_id) may hold only stats:read, not ${other}: every other scope acts across all stores`,
    );
  const store = await (await adminKit()).getStore(db, body.store_id!);
  if (!store) throw bad("store_id", `no store ${body.store_id}; create it first (POST /v1/stores)`);
  return store.name;
}

/**
 * Register the key routes.
 *
 * @example
 * registerKeyRoutes(app);
 */
export function registerKeyRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/keys",
      operationId: "createKey",
      tags: ["keys"],
      security,
      middleware: [requireKey("admin"), idempotent()] as const,
      request: {
        headers: IdempotencyHeaders,
        body: { content: { "application/json": { schema: CreateKey } }, required: true },
      },
      responses: {
        201: {
          description: "The key, shown once",
          content: { "application/json": { schema: CreatedKey } },
        },
        ...errorResponses(400, 401, 403, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      if (body.kind === "publishable") {
        const bad = body.scopes.find((s) => !PUBLISHABLE_SCOPES.includes(s));
        if (bad)
          throw new ApiError("validation_failed", `scopes: a publishable key may not hold ${bad}`, {
            field: "scopes",
          });
        if (!body.origins?.length) {
          throw new ApiError(
            "validation_failed",
            "origins: a publishable key needs at least one allowed origin",
            {
              field: "origins",
            },
          );
        }
      }
      const storeName = body.store_id === undefined ? null : await checkStoreKey(c.env.DB, body);
      const { key, record } = await (await adminKit()).mintKey(c.env.DB, body, actorOf(c));
      return c.json({ ...record, store_name: storeName, key }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/keys",
      operationId: "listKeys",
      tags: ["keys"],
      security,
      middleware: [requireKey("admin")] as const,
      responses: {
        200: {
          description: "Keys, newest first",
          content: { "application/json": { schema: z.object({ keys: z.array(KeyRecord) }) } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => c.json({ keys: await (await adminKit()).listKeys(c.env.DB) }, 200),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/keys/{id}",
      operationId: "revokeKey",
      tags: ["keys"],
      security,
      middleware: [requireKey("admin")] as const,
      request: { params: z.object({ id: z.string().max(40) }) },
      responses: {
        200: {
          description: "Revoked",
          content: {
            "application/json": { schema: z.object({ id: z.string(), revoked: z.literal(true) }) },
          },
        },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      if (!(await revokeKey(c.env.DB, id, actorOf(c))))
        throw new ApiError("not_found", `no active key ${id}`);
      return c.json({ id, revoked: true as const }, 200);
    },
  );
}
