/**
 * Schemas of the `/v1/webhooks` routes (request bodies, endpoints, deliveries), and the check of
 * a receiver URL that registering and editing an endpoint share.
 */
import { z } from "@hono/zod-openapi";
import type { BridgeConfig } from "../config";
import { ApiError } from "../core/errors";
import { WEBHOOK_EVENT_TYPES } from "../core/webhook-events";
import { DELIVERY_STATES } from "../core/webhook-retry";
import { LIMITS } from "../limits";
import { adminKit } from "./lazy-modules";

export const EventType = z.enum([...WEBHOOK_EVENT_TYPES, "*"]);
export const EndpointId = z.object({ id: z.string().regex(/^whe_[a-z0-9]{16}$/, "a webhook id") });
export const DeliveryParams = EndpointId.extend({ delivery_id: z.string().min(5).max(200) });

const Url = z.string().min(8).max(2048);
const Events = z
  .array(EventType)
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length + 1);

export const CreateWebhook = z
  .object({
    url: Url,
    events: Events,
    description: z.string().max(200).optional(),
  })
  .strict()
  .openapi("CreateWebhookRequest");

export const PatchWebhook = z
  .object({
    url: Url.optional(),
    events: Events.optional(),
    description: z.string().max(200).nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, {
    message: "give at least one of url, events, description, enabled",
    path: ["url"],
  })
  .openapi("PatchWebhookRequest");

export const RotateWebhookSecret = z
  .object({
    expires_in: z
      .number()
      .int()
      .min(LIMITS.webhookSecretOverlapSeconds.min)
      .max(LIMITS.webhookSecretOverlapSeconds.max)
      .optional(),
  })
  .strict()
  .openapi("RotateWebhookSecretRequest");

export const RotatedWebhookSecret = z
  .object({
    id: z.string(),
    secret: z.string(),
    previous_secret_expires_at: z.number().int().nullable(),
  })
  .openapi("RotatedWebhookSecret");

export const Webhook = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(EventType),
    description: z.string().nullable(),
    created_at: z.number().int(),
    disabled_at: z.number().int().nullable(),
    enabled: z.boolean(),
    paused_at: z.number().int().nullable(),
    paused_reason: z.enum(["manual", "failing"]).nullable(),
    failing_since: z.number().int().nullable(),
    previous_secret_expires_at: z.number().int().nullable(),
    hold_expired: z
      .object({ count: z.number().int().min(1), from: z.number().int(), to: z.number().int() })
      .nullable(),
  })
  .openapi("Webhook");

export const WebhookView = Webhook.extend({
  held: z.number().int().min(0),
}).openapi("WebhookView");

export const PatchedWebhook = Webhook.extend({
  released: z.number().int().min(0).optional(),
}).openapi("PatchedWebhook");

export const CreatedWebhook = Webhook.extend({
  secret: z.string(),
}).openapi("CreatedWebhook");

export const DeliveryStatus = z.enum(DELIVERY_STATES);

export const Delivery = z
  .object({
    id: z.string(),
    endpoint_id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    status: DeliveryStatus,
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.number().int(),
    next_attempt_at: z.number().int().nullable(),
    delivered_at: z.number().int().nullable(),
    attempts_left: z.number().int().min(0),
  })
  .openapi("WebhookDelivery");

export const DeliveryDetail = Delivery.extend({
  payload: z.string(),
  attempt_log: z.array(
    z.object({
      attempt: z.number().int(),
      at: z.number().int(),
      status_code: z.number().int().nullable(),
      error: z.string().nullable(),
      duration_ms: z.number().int(),
    }),
  ),
}).openapi("WebhookDeliveryDetail");

/**
 * Check a receiver URL: https to a public host (never loopback, private, link-local or an
 * internal name: see core/url-safety.ts), no credentials; plain http to localhost only outside
 * production. The same check runs again before every delivery. The check is the admin kit's
 * (routes/lazy-modules.ts), which the routes that take a URL load anyway.
 *
 * @example
 * await checkWebhookUrl("https://api.example.com/hook", config); // ok, else a 400 on `url`
 */
export async function checkWebhookUrl(
  text: string,
  config: Pick<BridgeConfig, "env">,
): Promise<string> {
  const { checkOutboundUrl } = await adminKit();
  const check = checkOutboundUrl(text, { allowLocalHttp: config.env !== "production" });
  if (!check.ok) throw new ApiError("validation_failed", `url: ${check.reason}`, { field: "url" });
  return check.url;
}
