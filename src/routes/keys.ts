/**
 * `/v1/keys`: the admin key mints, lists, rolls, edits and revokes API keys.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { ApiError } from "../core/errors";
import { LIMITS } from "../limits";
import type { KeyRefusal } from "../store/key-changes";
import {
  type ApiKeyRecord,
  forgetKeyLookups,
  type ListedKey,
  PUBLISHABLE_SCOPES,
  revokeKey,
} from "../store/keys";
import { access } from "./access";
import { answerHook, IdempotencyHeaders, idempotent } from "./idempotency";
import {
  CreatedKey,
  CreateKey,
  KeyIdParam,
  KeyRecord,
  PatchKey,
  RolledKey,
  RollKey,
} from "./key-schemas";
import { adminKit } from "./lazy-modules";
import { actorOf, requireKey } from "./middleware";
import { errorResponses } from "./schemas";

const security = access.admin;

const Revoked = z.object({ id: z.string(), revoked: z.literal(true) });

/** 400 `validation_failed` naming the field a key cannot take. */
const invalid = (field: string, why: string) =>
  new ApiError("validation_failed", `${field}: ${why}`, { field });

/** A change refused because of what became of the key: 404, or 409 saying why. */
function refusal(id: string, out: KeyRefusal): ApiError {
  switch (out.kind) {
    case "not_found":
      return new ApiError("not_found", `no key ${id}`);
    case "revoked":
      return new ApiError("conflict", `key ${id} was revoked; mint a new key`, {
        reason: "revoked",
      });
    case "expired":
      return new ApiError("conflict", `key ${id} has expired; mint a new key`, {
        reason: "expired",
        expires_at: out.expires_at,
      });
    case "rolled":
      return new ApiError(
        "conflict",
        `key ${id} was already rolled to ${out.rolled_to}: change that key instead (DELETE ${id} ends the old one now)`,
        { reason: "rolled", rolled_to: out.rolled_to },
      );
    case "changed":
      return new ApiError("conflict", `key ${id} changed meanwhile; read it again and retry`, {
        reason: "changed",
      });
  }
}

/**
 * A store key is for a store's manager, who reads: a secret key with `stats:read` alone (any
 * other scope — writing posters, webhooks, events, handoffs — acts across every store), and
 * its store must exist.
 */
async function checkStoreKey(db: D1Database, body: z.infer<typeof CreateKey>): Promise<string> {
  if (body.kind !== "secret")
    throw invalid("kind", "a key held to a store (store_id) is a secret key");
  const other = body.scopes.find((s) => s !== "stats:read");
  if (other)
    throw invalid(
      "scopes",
      `a key held to a store (store_id) may hold only stats:read, not ${other}: every other scope acts across all stores`,
    );
  const store = await (await adminKit()).getStore(db, body.store_id!);
  if (!store)
    throw invalid("store_id", `no store ${body.store_id}; create it first (POST /v1/stores)`);
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
        if (bad) throw invalid("scopes", `a publishable key may not hold ${bad}`);
        if (!body.origins?.length)
          throw invalid("origins", "a publishable key needs at least one allowed origin");
      }
      if (body.expires_at !== undefined && body.expires_at <= Date.now())
        throw invalid("expires_at", "must be in the future (unix ms)");
      const storeName = body.store_id === undefined ? null : await checkStoreKey(c.env.DB, body);
      const toBody = (made: { key: string; record: ApiKeyRecord }) => ({
        ...made.record,
        store_name: storeName,
        key: made.key,
      });
      const { mintKey } = await adminKit();
      const made = await mintKey(c.env.DB, body, actorOf(c), answerHook(c, toBody));
      return c.json(toBody(made), 201);
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
      request: { params: KeyIdParam },
      responses: {
        200: {
          description: "Revoked",
          content: { "application/json": { schema: Revoked } },
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

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/keys/{id}/roll",
      operationId: "rollKey",
      tags: ["keys"],
      security,
      middleware: [requireKey("admin"), idempotent()] as const,
      request: {
        params: KeyIdParam,
        headers: IdempotencyHeaders,
        body: { content: { "application/json": { schema: RollKey } }, required: false },
      },
      responses: {
        201: {
          description: "The new key, shown once, and the old one with its end",
          content: { "application/json": { schema: RolledKey } },
        },
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const grace = c.req.valid("json")?.expires_in ?? LIMITS.keyRollGraceSeconds.default;
      const toBody = (made: { key: string; record: ListedKey; old: ListedKey }) => ({
        ...made.record,
        key: made.key,
        previous: made.old,
      });
      const { rollKey } = await adminKit();
      const answer = answerHook(c, toBody);
      const out = await rollKey(c.env.DB, id, grace, Date.now(), actorOf(c), answer);
      if (out.kind !== "ok") throw refusal(id, out);
      forgetKeyLookups();
      return c.json(toBody(out), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/v1/keys/{id}",
      operationId: "updateKey",
      tags: ["keys"],
      security,
      middleware: [requireKey("admin")] as const,
      request: {
        params: KeyIdParam,
        body: { content: { "application/json": { schema: PatchKey } }, required: true },
      },
      responses: {
        200: {
          description: "The key after the change",
          content: { "application/json": { schema: KeyRecord } },
        },
        ...errorResponses(400, 401, 403, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const patch = c.req.valid("json");
      const { updateKey } = await adminKit();
      const out = await updateKey(c.env.DB, id, patch, Date.now(), actorOf(c));
      if (out.kind === "invalid") throw invalid(out.field, out.message);
      if (out.kind !== "ok") throw refusal(id, out);
      forgetKeyLookups();
      return c.json(out.record, 200);
    },
  );
}
