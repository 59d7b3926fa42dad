/**
 * `GET /l/{token}`: a QR login's link opened in a browser — a phone camera without the app, a
 * link previewer, someone who was sent the link. The page says "open this in the app" (with the
 * app and store buttons) and changes nothing: only the logged-in app's `POST /v1/logins/scan`
 * scans a login. The token is verified at the edge (forged → 404, expired → 410) and no Durable
 * Object is asked, so a GET can neither scan, warn the PC nor tell anyone who is asking.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { normalizeBase32 } from "../core/base32";
import { classifyDevice } from "../core/device";
import { LINK_PARAM } from "../core/handoff";
import { verifyToken } from "../core/token";
import { renderLandingPage } from "../pages/landing";
import { renderMessagePage } from "../pages/messages";
import { htmlResponse, newNonce } from "../pages/security";
import { access } from "./access";
import { scanLanguage } from "./scan-language";
import { errorResponses } from "./schemas";
import { linkUrl, qrImageOrigin, qrUrls } from "./urls";

const html = (description: string) => ({
  description,
  content: { "text/html": { schema: z.string() } },
});

/**
 * Register the login link's page.
 *
 * @example
 * registerLoginPageRoutes(app);
 */
export function registerLoginPageRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/l/{token}",
      operationId: "openLoginLink",
      security: access.public,
      tags: ["scan"],
      request: { params: z.object({ token: z.string().max(100) }) },
      responses: {
        200: html("Open in the app / get the app"),
        ...errorResponses(400),
        404: html("Not a link of this bridge"),
        410: html("Expired"),
      },
    }),
    async (c) => {
      const raw = c.req.valid("param").token;
      const lang = await scanLanguage(c);
      const check = await verifyToken(
        c.var.config.keyring,
        "l",
        raw,
        Math.floor(Date.now() / 1000),
      );
      const nonce = newNonce();
      if (!check.ok) {
        const status = check.reason === "expired" ? 410 : 404;
        const page = renderMessagePage({ status, lang, kind: "login" }, nonce);
        return htmlResponse(page, { status, nonce });
      }
      const token = normalizeBase32(raw)!;
      const link = linkUrl(c, "l", token);
      const page = renderLandingPage(
        {
          kind: "login",
          link,
          appPath: "/",
          device: classifyDevice(c.req.raw.headers),
          lang,
          qrSvgUrl: qrUrls(c, "l", token).svg,
          expiresAt: check.expiresAt,
          apps: c.var.config.apps,
          deepLinkParams: { [LINK_PARAM]: link },
        },
        nonce,
      );
      return htmlResponse(page, { nonce, imgOrigin: qrImageOrigin(c) });
    },
  );
}
