/**
 * `POST /demo/handoffs`: the demo shop's `create-endpoint` for its checkout `<qr-bridge>`
 * (docs/clients.md "your backend"). Like a shop's backend it decides the handoff itself: the
 * demo cart as payload, the cart's title and subtitle as the landing page's heading, in the
 * page's language. Only `ttl` is taken from the browser: anything else the element sends
 * (`path`, `payload`, `metadata`, `confirm`) is ignored, because the handoff is made with a
 * secret key and a secret key's title is shown on the bridge's own landing page. Served only
 * when `config.demo` is on, only to this origin's pages, and limited per client as the demo
 * page's publishable key was.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { clientKey } from "../core/client-ip";
import { ApiError } from "../core/errors";
import { LIMITS } from "../limits";
import { demoCartHandoff } from "../pages/demo";
import { access } from "./access";
import { sameOrigin } from "./dashboard-session";
import { demoBackendCall, demoOn } from "./demo-backend";
import { errorResponses } from "./schemas";

const TTL = LIMITS.handoffTtlSeconds;

/** What the element POSTs; only `ttl` is read, the rest is dropped unread. */
const ElementBody = z.object({
  ttl: z.number().int().min(TTL.min).max(TTL.max).optional(),
});

/**
 * Register the demo shop's create-endpoint.
 *
 * @example
 * registerDemoHandoffRoutes(app);
 */
export function registerDemoHandoffRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/demo/handoffs",
      operationId: "createDemoHandoff",
      security: access.public,
      tags: ["meta"],
      request: {
        query: z.object({ lang: z.enum(["en", "zh"]).optional() }),
        body: { content: { "application/json": { schema: ElementBody } }, required: true },
      },
      responses: {
        201: {
          description: "What the API answered",
          content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
        },
        ...errorResponses(400, 403, 404, 429),
      },
    }),
    async (c) => {
      demoOn(c);
      // The demo's secret key makes the handoff: a page of another site (CSRF) gets none.
      if (!sameOrigin(c))
        throw new ApiError("forbidden", "the demo backend serves only the demo page's origin");
      // The page's publishable key was limited per client (PUBLIC_LIMITER); a secret key is
      // not, so the keyless route that spends one keeps that budget.
      if (c.env.PUBLIC_LIMITER) {
        const ip = clientKey(c.req.header("cf-connecting-ip") ?? "unknown");
        const { success } = await c.env.PUBLIC_LIMITER.limit({ key: `demo-handoffs:${ip}` });
        if (!success) throw new ApiError("rate_limited", "too many demo handoffs; slow down");
      }
      const lang =
        c.req.valid("query").lang ??
        (/^zh\b/i.test(c.req.header("accept-language") ?? "") ? "zh" : "en");
      const { ttl } = c.req.valid("json");
      return (await demoBackendCall(app, c, "/v1/handoffs", {
        ...demoCartHandoff(lang),
        ttl,
      })) as never;
    },
  );
}
