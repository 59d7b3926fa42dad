/**
 * `PATCH /v1/webhooks/:id` (URL, events, description, pause and resume) and
 * `POST /v1/webhooks/:id/rotate-secret`: an endpoint changed in place keeps its id and its
 * delivery log. Secret key with `webhooks:write`; see docs/webhooks.md.
 */
import { createRoute } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { ApiError } from "../core/errors";
import { LIMITS } from "../limits";
import { dispatchDeliveries } from "../store/webhook-dispatch";
import { DRAIN_PACE, queueDrainStep } from "../store/webhook-drain";
import { RELEASE_PAGE } from "../store/webhook-hold";
import { access } from "./access";
import { answerHook, IdempotencyHeaders, idempotent } from "./idempotency";
import { adminKit } from "./lazy-modules";
import { actorOf, requireKey } from "./middleware";
import { errorResponses } from "./schemas";
import {
  checkWebhookUrl,
  EndpointId,
  PatchedWebhook,
  PatchWebhook,
  RotatedWebhookSecret,
  RotateWebhookSecret,
} from "./webhook-schemas";

const security = access.secret("webhooks:write");

/**
 * Held deliveries a resume releases at once (pages of store/webhook-hold.ts `RELEASE_PAGE`); with
 * a queue, the rest drain through it (store/webhook-drain.ts, 10,000 a minute). Without one a
 * few are sent in the request's `waitUntil` and the hourly cron sends the rest, as it does every
 * due delivery then.
 */
const RELEASE_PAGES = 20;
const DIRECT_SENDS = 50;

/**
 * Register the routes that change an endpoint in place.
 *
 * @example
 * registerWebhookEditRoutes(app);
 */
export function registerWebhookEditRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "patch",
      path: "/v1/webhooks/{id}",
      operationId: "updateWebhook",
      tags: ["webhooks"],
      security,
      middleware: [requireKey("webhooks:write")] as const,
      request: {
        params: EndpointId,
        body: { content: { "application/json": { schema: PatchWebhook } }, required: true },
      },
      responses: {
        200: {
          description: "Changed",
          content: { "application/json": { schema: PatchedWebhook } },
        },
        ...errorResponses(400, 401, 403, 404, 413, 415),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const url =
        body.url === undefined ? undefined : await checkWebhookUrl(body.url, c.var.config);
      const { releaseHeld, updateEndpoint } = await adminKit();
      const now = Date.now();
      const endpoint = await updateEndpoint(c.env.DB, id, { ...body, url }, now, actorOf(c));
      if (!endpoint) throw new ApiError("not_found", `no active webhook ${id}`);
      if (body.enabled === true && endpoint.enabled) {
        // Released before the answer (each exactly once: the UPDATE claims it), queued after it;
        // a queue send that fails leaves them `pending`, which the cron queues again.
        const released = await releaseHeld(c.env.DB, id, now, RELEASE_PAGES);
        const send = c.env.WEBHOOKS ? released : released.slice(0, DIRECT_SENDS);
        // A full release may have left more: the drain's first step follows the sends.
        const more = released.length === RELEASE_PAGES * RELEASE_PAGE;
        c.executionCtx.waitUntil(
          dispatchDeliveries(c.env, c.var.config, send)
            .then(() => (more ? queueDrainStep(c.env, id, DRAIN_PACE.delaySeconds) : undefined))
            .catch((err) =>
              console.error(
                "qrbridge: could not queue released webhook deliveries (the cron will)",
                err,
              ),
            ),
        );
        return c.json({ ...endpoint, released: released.length }, 200);
      }
      return c.json(endpoint, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/webhooks/{id}/rotate-secret",
      operationId: "rotateWebhookSecret",
      tags: ["webhooks"],
      security,
      middleware: [requireKey("webhooks:write"), idempotent()] as const,
      request: {
        params: EndpointId,
        headers: IdempotencyHeaders,
        body: {
          content: { "application/json": { schema: RotateWebhookSecret } },
          required: false,
        },
      },
      responses: {
        // 201: a secret was created, and an Idempotency-Key keeps a create's answer (201) only.
        201: {
          description: "Rotated; the new secret is shown once",
          content: { "application/json": { schema: RotatedWebhookSecret } },
        },
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = (c.req.valid("json") as { expires_in?: number } | undefined) ?? {};
      const seconds = body.expires_in ?? LIMITS.webhookSecretOverlapSeconds.default;
      const { rotateSecret } = await adminKit();
      const toBody = (rotated: { secret: string; previous_secret_expires_at: number | null }) => ({
        id,
        ...rotated,
      });
      const rotated = await rotateSecret(
        c.env.DB,
        c.var.config.keyring,
        id,
        seconds,
        Date.now(),
        actorOf(c),
        answerHook(c, toBody),
      );
      if (!rotated) throw new ApiError("not_found", `no active webhook ${id}`);
      return c.json(toBody(rotated), 201);
    },
  );
}
