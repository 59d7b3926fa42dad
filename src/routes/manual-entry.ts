/**
 * `GET /c`: the manual-entry page for when the camera fails. `?code=` with a code whose MAC
 * verifies redirects (303, a path on this origin: never an open redirect) to `/p/<CODE>`,
 * which counts the scan as usual; anything else shows the form again with an error. Every call
 * spends the client's call budget and every wrong code its failure budget
 * (store/client-limits.ts): over either, a 429 page (and no `rejected` hop).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { normalizeBase32 } from "../core/base32";
import { classifyDevice } from "../core/device";
import { verifyPosterCode } from "../core/token";
import { renderManualEntryPage } from "../pages/manual-entry";
import { htmlResponse, newNonce } from "../pages/security";
import { clientThrottled } from "../store/client-limits";
import { recordHop } from "../store/hops";
import { access } from "./access";
import { limitCalls, throttledPage } from "./client-limits";
import { hopScope } from "./hop-scope";
import { scanLanguage } from "./scan-language";

const page = (description: string) => ({
  description,
  content: { "text/html": { schema: z.string() } },
});

/**
 * Register `GET /c`.
 *
 * @example
 * registerManualEntryRoutes(app);
 */
export function registerManualEntryRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/c",
      operationId: "enterPosterCode",
      security: access.public,
      tags: ["scan"],
      middleware: [limitCalls("page")] as const,
      request: { query: z.object({ code: z.string().optional() }) },
      responses: {
        200: page("The form"),
        303: { description: "To the poster's scan page (same origin)" },
        400: page("The form with an error"),
        429: page("Too many calls or wrong codes from this client IP"),
      },
    }),
    async (c) => {
      const config = c.var.config;
      const lang = await scanLanguage(c);
      const action = `${config.basePath}/c`;
      const typed = (c.req.valid("query").code ?? "").slice(0, 40);
      if (typed.trim() !== "") {
        const check = await verifyPosterCode(config.keyring, typed);
        if (check.ok) {
          const code = normalizeBase32(typed)!;
          return c.body(null, 303, {
            location: `${config.basePath}/p/${code}`,
            "cache-control": "no-store",
            "referrer-policy": "no-referrer",
          });
        }
        if (await clientThrottled(c.env, c.req.raw, "failures")) return throttledPage(lang);
        const info = classifyDevice(c.req.raw.headers);
        recordHop(hopScope(c), {
          kind: "poster",
          subject_id: "invalid",
          hop: "rejected",
          platform: info.platform,
          in_app: info.inAppBrowser,
          bot: !info.isHuman,
          detail: { reason: check.reason, via: "manual" },
        });
      }
      const invalid = typed.trim() !== "";
      const nonce = newNonce();
      const body = renderManualEntryPage({ lang, action, code: typed, invalid }, nonce);
      return htmlResponse(body, { status: invalid ? 400 : 200, nonce });
    },
  );
}
