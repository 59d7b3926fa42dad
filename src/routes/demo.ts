/**
 * `GET /`: the demo PC page and demo poster, served only when `config.demo` is on (the default
 * outside production; `QB_DEMO=false` turns it off). Elsewhere `/` is a plain 404. The
 * checkout's create-endpoint is in demo-handoff.ts, the QR login demo's phone and backend in
 * demo-login.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { EMBED_VERSION } from "../client/dist/embed.gen";
import { ApiError } from "../core/errors";
import { displayPosterCode } from "../core/token";
import { renderDemoPage } from "../pages/demo";
import { htmlResponse, newNonce } from "../pages/security";
import { ensureDemoKey, ensureDemoPoster } from "../store/demo";
import { access } from "./access";
import { registerDemoHandoffRoutes } from "./demo-handoff";
import { registerDemoLoginRoutes } from "./demo-login";
import { errorResponses } from "./schemas";
import { linkUrl, publicBase, qrImageOrigin, qrUrls } from "./urls";

/**
 * Register the demo page.
 *
 * @example
 * registerDemoRoutes(app);
 */
export function registerDemoRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/",
      operationId: "getDemoPage",
      security: access.public,
      tags: ["meta"],
      request: { query: z.object({ lang: z.enum(["en", "zh"]).optional() }) },
      responses: {
        200: { description: "The demo page", content: { "text/html": { schema: z.string() } } },
        ...errorResponses(404),
      },
    }),
    async (c) => {
      const config = c.var.config;
      if (!config.demo) throw new ApiError("not_found", "no route for GET /");
      const origin = new URL(c.req.url).origin;
      const [publishableKey, poster] = await Promise.all([
        ensureDemoKey(c.env.DB, config.adminKey, origin),
        // The demo poster is a nicety: the page still works without it.
        ensureDemoPoster(c.env.DB, config.keyring).catch((err) => {
          console.error("qrbridge demo: could not create the demo poster:", err);
          return null;
        }),
      ]);
      const lang =
        c.req.valid("query").lang ??
        (/^zh\b/i.test(c.req.header("accept-language") ?? "") ? "zh" : "en");
      const nonce = newNonce();
      const page = renderDemoPage(
        {
          lang,
          base: publicBase(c),
          script: `${config.basePath}/sdk/qrbridge.${EMBED_VERSION}.js`,
          publishableKey,
          demoBase: config.basePath,
          poster: poster && {
            code: poster.code,
            display: displayPosterCode(poster.code),
            qrSvg: qrUrls(c, "p", poster.code).svg,
            url: linkUrl(c, "p", poster.code),
            store: poster.store_name,
          },
        },
        nonce,
      );
      // The demo poster's QR image, and the API the widget calls, are at QB_PUBLIC_URL, which
      // may be another origin than the page's.
      const publicOrigin = qrImageOrigin(c);
      return htmlResponse(page, {
        nonce,
        imgOrigin: publicOrigin,
        connectOrigin: publicOrigin,
      }) as never;
    },
  );
  registerDemoHandoffRoutes(app);
  registerDemoLoginRoutes(app);
}
