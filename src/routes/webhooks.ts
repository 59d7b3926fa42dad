/**
 * `/v1/webhooks`: register endpoints, read their delivery log, retry or test a delivery.
 * Secret key with `webhooks:write`. Events come from the hop stream (see docs/webhooks.md).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { ApiError } from "../core/errors";
import { dispatchDeliveries } from "../store/webhook-dispatch";
import { MAX_ENDPOINTS, type WebhookEndpoint } from "../store/webhooks";
import { access } from "./access";
import { answerHook, IdempotencyHeaders, idempotent } from "./idempotency";
import { adminKit } from "./lazy-modules";
import { actorOf, requireKey } from "./middleware";
import { cursorParam, errorResponses } from "./schemas";
import {
  CreatedWebhook,
  CreateWebhook,
  checkWebhookUrl,
  Delivery,
  DeliveryDetail,
  DeliveryParams,
  DeliveryStatus,
  EndpointId,
  Webhook,
  WebhookView,
} from "./webhook-schemas";

const security = access.secret("webhooks:write");

/**
 * Register the webhook routes.
 *
 * @example
 * registerWebhookRoutes(app);
 */
export function registerWebhookRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/webhooks",
      operationId: "createWebhook",
      tags: ["webhooks"],
      security,
      middleware: [requireKey("webhooks:write"), idempotent()] as const,
      request: {
        headers: IdempotencyHeaders,
        body: { content: { "application/json": { schema: CreateWebhook } }, required: true },
      },
      responses: {
        201: {
          description: "Registered",
          content: { "application/json": { schema: CreatedWebhook } },
        },
        ...errorResponses(400, 401, 403, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const url = await checkWebhookUrl(body.url, c.var.config);
      const { countActiveEndpoints, createEndpoint } = await adminKit();
      if ((await countActiveEndpoints(c.env.DB)) >= MAX_ENDPOINTS)
        throw new ApiError("conflict", `at most ${MAX_ENDPOINTS} active webhook endpoints`);
      const toBody = (made: { endpoint: WebhookEndpoint; secret: string }) => ({
        ...made.endpoint,
        secret: made.secret,
      });
      const made = await createEndpoint(
        c.env.DB,
        c.var.config.keyring,
        {
          url,
          events: body.events,
          description: body.description,
        },
        actorOf(c),
        answerHook(c, toBody),
      );
      return c.json(toBody(made), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/webhooks",
      operationId: "listWebhooks",
      tags: ["webhooks"],
      security,
      middleware: [requireKey("webhooks:write")] as const,
      responses: {
        200: {
          description: "Endpoints, newest first",
          content: { "application/json": { schema: z.object({ webhooks: z.array(Webhook) }) } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => c.json({ webhooks: await (await adminKit()).listEndpoints(c.env.DB) }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/webhooks/{id}",
      operationId: "getWebhook",
      tags: ["webhooks"],
      security,
      middleware: [requireKey("webhooks:write")] as const,
      request: { params: EndpointId },
      responses: {
        200: {
          description: "The endpoint, with how many deliveries it holds",
          content: { "application/json": { schema: WebhookView } },
        },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { countHeld, getEndpoint } = await adminKit();
      const endpoint = await getEndpoint(c.env.DB, id);
      if (!endpoint) throw new ApiError("not_found", `no webhook ${id}`);
      return c.json({ ...endpoint, held: await countHeld(c.env.DB, id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/webhooks/{id}",
      operationId: "deleteWebhook",
      tags: ["webhooks"],
      security,
      middleware: [requireKey("webhooks:write")] as const,
      request: { params: EndpointId },
      responses: {
        200: {
          description: "Disabled",
          content: {
            "application/json": { schema: z.object({ id: z.string(), deleted: z.literal(true) }) },
          },
        },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      if (!(await (await adminKit()).disableEndpoint(c.env.DB, id, actorOf(c))))
        throw new ApiError("not_found", `no active webhook ${id}`);
      return c.json({ id, deleted: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/webhooks/{id}/deliveries",
      operationId: "listWebhookDeliveries",
      tags: ["webhooks"],
      security,
      middleware: [requireKey("webhooks:write")] as const,
      request: {
        params: EndpointId,
        query: z.object({
          status: DeliveryStatus.optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
          cursor: z.string().max(300).optional(),
        }),
      },
      responses: {
        200: {
          description: "Deliveries",
          content: {
            "application/json": {
              schema: z.object({
                deliveries: z.array(Delivery),
                next_cursor: z.string().nullable(),
              }),
            },
          },
        },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      const cursor = cursorParam(q.cursor);
      const { getEndpoint, listDeliveries } = await adminKit();
      if (!(await getEndpoint(c.env.DB, id))) throw new ApiError("not_found", `no webhook ${id}`);
      const page = await listDeliveries(c.env.DB, id, {
        limit: q.limit ?? 50,
        cursor,
        status: q.status,
      });
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/webhooks/{id}/deliveries/{delivery_id}",
      operationId: "getWebhookDelivery",
      tags: ["webhooks"],
      security,
      middleware: [requireKey("webhooks:write")] as const,
      request: { params: DeliveryParams },
      responses: {
        200: {
          description: "The delivery",
          content: { "application/json": { schema: DeliveryDetail } },
        },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id, delivery_id } = c.req.valid("param");
      const delivery = await (await adminKit()).getDelivery(c.env.DB, id, delivery_id);
      if (!delivery) throw new ApiError("not_found", `no delivery ${delivery_id} for ${id}`);
      return c.json(delivery, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/webhooks/{id}/deliveries/{delivery_id}/retry",
      operationId: "retryWebhookDelivery",
      tags: ["webhooks"],
      security,
      middleware: [requireKey("webhooks:write")] as const,
      request: { params: DeliveryParams },
      responses: {
        202: {
          description: "Queued, or already queued and not yet tried",
          content: {
            "application/json": {
              schema: z.object({ id: z.string(), status: z.literal("pending") }),
            },
          },
        },
        ...errorResponses(400, 401, 403, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const { id, delivery_id } = c.req.valid("param");
      const { getEndpoint, redeliver } = await adminKit();
      const endpoint = await getEndpoint(c.env.DB, id);
      if (!endpoint || endpoint.disabled_at !== null)
        throw new ApiError("not_found", `no active webhook ${id}`);
      // Sent now, it would only be held again: the resume sends it.
      if (!endpoint.enabled)
        throw new ApiError("conflict", `webhook ${id} is paused: resume it to send its deliveries`);
      const outcome = await redeliver(c.env, c.var.config, id, delivery_id, Date.now(), actorOf(c));
      if (outcome === "not found")
        throw new ApiError("not_found", `no delivery ${delivery_id} for ${id}`);
      return c.json({ id: delivery_id, status: "pending" as const }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/webhooks/{id}/test",
      operationId: "sendTestWebhook",
      tags: ["webhooks"],
      security,
      middleware: [requireKey("webhooks:write")] as const,
      request: { params: EndpointId },
      responses: {
        202: {
          description: "Queued; follow it in the delivery log",
          content: { "application/json": { schema: z.object({ delivery_id: z.string() }) } },
        },
        ...errorResponses(400, 401, 403, 404, 413, 415),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { getEndpoint, sendTestEvent } = await adminKit();
      const endpoint = await getEndpoint(c.env.DB, id);
      if (!endpoint || endpoint.disabled_at !== null)
        throw new ApiError("not_found", `no active webhook ${id}`);
      const deliveryId = await sendTestEvent(c.env.DB, id);
      await dispatchDeliveries(c.env, c.var.config, [deliveryId]);
      return c.json({ delivery_id: deliveryId }, 202);
    },
  );
}
