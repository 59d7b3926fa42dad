/**
 * OpenAPI/zod schemas of the handoff API (`/v1/handoffs…`), and its route definitions (method,
 * path, auth, request and responses) that routes/handoffs.ts registers with their handlers.
 * Times are unix milliseconds. Their summaries, descriptions and examples: reference/handoffs.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { HANDOFF_STATUSES } from "../core/handoff-record";
import { LIMITS } from "../limits";
import { access } from "./access";
import { IdempotencyHeaders, idempotent } from "./idempotency";
import { requireKey } from "./middleware";
import { errorResponses, ownKeys, QrLinks } from "./schemas";

export const Status = z.enum(HANDOFF_STATUSES).openapi("HandoffStatus");

export const CreateHandoff = z
  .object({
    payload: z.unknown().optional(),
    path: z.string().max(512).optional(),
    ttl: z.number().int().optional(),
    // Optional, not `.default()`: a default makes generated clients require the field.
    confirm: z.enum(["none", "pc"]).optional(),
    metadata: ownKeys(z.record(z.string(), z.string())).optional(),
  })
  .openapi("CreateHandoffRequest");

export const Device = z
  .object({
    platform: z.string(),
    os: z.string().nullable(),
    browser: z.string().nullable(),
    in_app: z.string().nullable(),
    country: z.string().nullable(),
  })
  .openapi("HandoffDevice");

// A fresh schema per field: each has its own description in the reference (routes/reference/).
const ms = () => z.number().int().nullable();

export const Handoff = z
  .object({
    id: z.string(),
    status: Status,
    confirm: z.enum(["none", "pc"]),
    path: z.string().nullable(),
    metadata: z.record(z.string(), z.string()).nullable(),
    created_at: z.number().int(),
    expires_at: z.number().int(),
    redeemable_until: ms(),
    scanned_at: ms(),
    approved_at: ms(),
    redeemed_at: ms(),
    ended_at: ms(),
    device: Device.nullable(),
  })
  .openapi("Handoff");

export const WatchedHandoff = Handoff.extend({
  changed: z.boolean().optional(),
}).openapi("WatchedHandoff");

export const CreatedHandoff = z
  .object({
    id: z.string(),
    url: z.string(),
    qr: QrLinks,
    expires_at: z.number().int(),
    watch: z.string(),
    events_url: z.string(),
    status: Status,
    confirm: z.enum(["none", "pc"]),
  })
  .openapi("CreatedHandoff");

/** A created handoff's `201` body. */
export type CreatedHandoff = z.infer<typeof CreatedHandoff>;

export const IdParam = z.object({ id: z.string().min(20).max(40) });
export const WatchQuery = z.object({ watch: z.string().max(100).optional() });

/**
 * A handoff is watched with the secret key that created it (or admin) or its `watch` secret;
 * never with a publishable key, which is public.
 */
const security = access.watch("handoffs:write");

/** `POST /v1/handoffs`: create a handoff (secret key, or publishable key from an allowed origin). */
export const createHandoffRoute = createRoute({
  method: "post",
  path: "/v1/handoffs",
  operationId: "createHandoff",
  tags: ["handoffs"],
  security: access.create("handoffs:write"),
  middleware: [requireKey("handoffs:write", { publishable: "create" }), idempotent()] as const,
  request: {
    headers: IdempotencyHeaders,
    body: { content: { "application/json": { schema: CreateHandoff } }, required: true },
  },
  responses: {
    201: {
      description: "The handoff; `watch` is shown once",
      content: { "application/json": { schema: CreatedHandoff } },
    },
    ...errorResponses(400, 401, 403, 409, 413, 415, 422, 429),
  },
});

/** `GET /v1/handoffs/{id}`: the status, or a long-poll with `?wait=`. */
export const getHandoffRoute = createRoute({
  method: "get",
  path: "/v1/handoffs/{id}",
  operationId: "getHandoff",
  tags: ["handoffs"],
  security,
  request: {
    params: IdParam,
    query: WatchQuery.extend({
      wait: z.coerce.number().int().min(0).max(LIMITS.longPollSeconds).optional(),
      since: Status.optional(),
    }),
  },
  responses: {
    200: {
      description: "The handoff (never its payload)",
      content: { "application/json": { schema: WatchedHandoff } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `DELETE /v1/handoffs/{id}`: cancel. */
export const cancelHandoffRoute = createRoute({
  method: "delete",
  path: "/v1/handoffs/{id}",
  operationId: "cancelHandoff",
  tags: ["handoffs"],
  security,
  request: { params: IdParam, query: WatchQuery },
  responses: {
    200: { description: "Cancelled", content: { "application/json": { schema: Handoff } } },
    ...errorResponses(400, 401, 403, 404, 409, 410),
  },
});

/**
 * `POST /v1/handoffs/{id}/approve` or `/deny` (handoffs created with `confirm: "pc"`).
 *
 * @example
 * app.openapi(decideHandoffRoute("approve"), async (c) => { … });
 */
export function decideHandoffRoute(action: "approve" | "deny") {
  return createRoute({
    method: "post",
    path: `/v1/handoffs/{id}/${action}`,
    operationId: `${action}Handoff`,
    tags: ["handoffs"],
    security,
    request: {
      params: IdParam,
      query: WatchQuery,
      body: {
        content: {
          "application/json": { schema: z.object({ watch: z.string().max(100).optional() }) },
        },
        required: false,
      },
    },
    responses: {
      200: {
        // A repeat of the decision (a lost answer retried) gets the same 200 and changes nothing.
        description:
          action === "approve"
            ? "Approved, now or by an earlier approval (the handoff as it is now)"
            : "Denied, now or by an earlier denial",
        content: { "application/json": { schema: Handoff } },
      },
      ...errorResponses(400, 401, 403, 404, 409, 410, 413, 415),
    },
  });
}

/** `GET /v1/handoffs/{id}/events`: the WebSocket of status changes. */
export const handoffEventsRoute = createRoute({
  method: "get",
  path: "/v1/handoffs/{id}/events",
  operationId: "watchHandoff",
  tags: ["handoffs"],
  security,
  request: { params: IdParam, query: WatchQuery },
  responses: {
    101: { description: "Switching protocols" },
    ...errorResponses(400, 401, 403, 404, 426),
  },
});
