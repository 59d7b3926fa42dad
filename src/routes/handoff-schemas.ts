/**
 * OpenAPI/zod schemas of the handoff API (`/v1/handoffs…`), and its route definitions (method,
 * path, auth, request and responses) that routes/handoffs.ts registers with their handlers.
 * Times are unix milliseconds.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { LIMITS } from "../config";
import { HANDOFF_STATUSES } from "../core/handoff";
import { METADATA_LIMITS } from "../core/handoff-input";
import { access } from "./access";
import { requireKey } from "./middleware";
import { errorResponses, ownKeys, QrLinks } from "./schemas";

export const Status = z.enum(HANDOFF_STATUSES).openapi("HandoffStatus");

export const CreateHandoff = z
  .object({
    payload: z
      .unknown()
      .optional()
      .openapi({
        description: "Any JSON (≤ 4 KiB), returned once to the app that redeems the handoff",
        example: { cart_id: "c_42" },
      }),
    path: z.string().max(512).optional().openapi({
      description: 'In-app path to open, relative: starts with "/", no scheme, no "//"',
      example: "/cart/42",
    }),
    ttl: z.number().int().optional().openapi({ description: "Seconds, 15–900 (default 120)" }),
    // Optional, not `.default()`: a default makes generated clients require the field.
    confirm: z.enum(["none", "pc"]).optional().openapi({
      description:
        '"pc": the app waits (202) until the PC page approves or denies; "none" (the default): the first app to resolve gets the payload',
    }),
    metadata: ownKeys(z.record(z.string(), z.string()))
      .optional()
      .openapi({
        description: `Shown on the landing page (title, subtitle); ≤ ${METADATA_LIMITS.maxEntries} string values of ≤ ${METADATA_LIMITS.maxValue} characters`,
        example: { title: "Your cart", subtitle: "3 items" },
      }),
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

const ms = (description: string) => z.number().int().nullable().openapi({ description });

export const Handoff = z
  .object({
    id: z.string(),
    status: Status,
    confirm: z.enum(["none", "pc"]),
    path: z.string().nullable(),
    metadata: z.record(z.string(), z.string()).nullable(),
    created_at: z.number().int().openapi({ description: "Unix ms" }),
    expires_at: z.number().int().openapi({ description: "Unix ms: the QR stops working" }),
    redeemable_until: ms("Unix ms: deadline of the current state (null once ended)"),
    scanned_at: ms("Unix ms"),
    approved_at: ms("Unix ms"),
    redeemed_at: ms("Unix ms"),
    ended_at: ms("Unix ms: redeemed, cancelled, expired or denied"),
    device: Device.nullable(),
  })
  .openapi("Handoff");

export const WatchedHandoff = Handoff.extend({
  changed: z.boolean().optional().openapi({ description: "Long-poll only: did the status change" }),
}).openapi("WatchedHandoff");

export const CreatedHandoff = z
  .object({
    id: z.string().openapi({ example: "8QK3T0M1ZC7X9R2B4N6D" }),
    url: z.string().openapi({ description: "The link the QR carries (uppercase)" }),
    qr: QrLinks,
    expires_at: z.number().int().openapi({ description: "Unix ms" }),
    watch: z.string().openapi({ description: "Secret for watching/approving. Shown once." }),
    events_url: z.string().openapi({ description: "WebSocket URL with the watch secret" }),
    status: Status,
    confirm: z.enum(["none", "pc"]),
  })
  .openapi("CreatedHandoff");

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
  summary: "Create a handoff (PC page → app)",
  description:
    "With a secret key, or a publishable key from one of its allowed origins (rate limited).",
  security: access.create("handoffs:write"),
  middleware: [requireKey("handoffs:write", { publishable: "create" })] as const,
  request: {
    body: { content: { "application/json": { schema: CreateHandoff } }, required: true },
  },
  responses: {
    201: {
      description: "The handoff; `watch` is shown once",
      content: { "application/json": { schema: CreatedHandoff } },
    },
    ...errorResponses(400, 401, 403, 413, 415, 429),
  },
});

/** `GET /v1/handoffs/{id}`: the status, or a long-poll with `?wait=`. */
export const getHandoffRoute = createRoute({
  method: "get",
  path: "/v1/handoffs/{id}",
  operationId: "getHandoff",
  tags: ["handoffs"],
  summary: "A handoff's status; `?wait=N` long-polls up to N seconds for a change",
  description:
    "Authorised by the secret key that created it (or admin) or `?watch=`; a publishable key gets 403. With `wait`, answers as soon as the status differs from `since` (default: the status when the request arrived), else after `wait` seconds with the unchanged status.",
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
  summary: "Cancel a handoff",
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
    summary:
      action === "approve" ? "Approve the device (confirm: pc)" : "Deny the device (confirm: pc)",
    description: `For handoffs created with \`confirm: "pc"\`, ${
      action === "approve"
        ? "once a phone has asked (`awaiting_confirmation`): on a handoff that is only `scanned` it is `409`, since no phone would be bound to the approval"
        : "once scanned"
    }. The watch secret goes in the body (\`{watch}\`) or the query; or use the secret key that created it. A publishable key gets 403: it is public, and whoever scanned the QR could approve themselves with it.`,
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
        description: action === "approve" ? "Approved" : "Denied",
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
  summary: "WebSocket of status changes",
  description:
    'Upgrade with `Upgrade: websocket`. Sends `{"type":"status","status","at","device"?}` on connect and on every change (`at` in unix ms), then closes once the handoff has ended. Text `ping` is answered `pong`; any other text re-sends the status.',
  security,
  request: { params: IdParam, query: WatchQuery },
  responses: {
    101: { description: "Switching protocols" },
    ...errorResponses(400, 401, 403, 404, 426),
  },
});
