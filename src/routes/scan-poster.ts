/**
 * `GET /p/{code}`: a phone scanned a poster. The code's MAC is checked first, so a forged or
 * mistyped code is a 404 that costs one HMAC per signing key and never touches KV or D1
 * (enumerating codes costs us nothing). A real code is read through the poster cache
 * (store/poster-cache.ts); a person's scan of a live poster gets a signed attribution session.
 * What the scan shows and records is decided in core/scan.ts; nothing is written to D1 on this
 * path: hops go through the queue in `waitUntil`.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { visitOf } from "../core/attribution";
import { normalizeBase32 } from "../core/base32";
import { classifyDevice } from "../core/device";
import { styleTag } from "../core/qr-style";
import { needsVisit, posterScan } from "../core/scan";
import { verifyPosterCode } from "../core/token";
import { loadScanPoster } from "../store/poster-cache";
import { access } from "./access";
import { scanLanguage } from "./scan-language";
import { answerScan } from "./scan-page";
import { linkUrl, qrUrls } from "./urls";

const page = (description: string) => ({
  description,
  content: { "text/html": { schema: z.string() } },
});

/**
 * Register the poster scan route.
 *
 * @example
 * registerPosterScanRoutes(app);
 */
export function registerPosterScanRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/p/{code}",
      operationId: "scanPoster",
      security: access.public,
      tags: ["scan"],
      request: { params: z.object({ code: z.string() }) },
      responses: {
        200: page("The landing page (open in app / install / continue on the web)"),
        404: page("Not a poster of this bridge"),
        410: page("The poster is paused, revoked or outside its active window"),
        429: page("Too many forged or unknown codes from this client IP (`Retry-After`)"),
      },
    }),
    async (c) => {
      const { keyring } = c.var.config;
      const raw = c.req.valid("param").code.slice(0, 64);
      const lang = await scanLanguage(c);
      const device = classifyDevice(c.req.raw.headers);
      const human = device.isHuman && c.req.method === "GET";
      const check = await verifyPosterCode(keyring, raw);
      const poster = check.ok ? await loadScanPoster(c.env, c.executionCtx, check.id) : null;
      const now = Date.now();
      const scanner = { platform: device.platform, in_app: device.inAppBrowser };
      // Coming back through the app link in a browser (app missing) is the same visit.
      const visit = needsVisit(poster, human, now)
        ? await visitOf(keyring, new URL(c.req.url).searchParams, poster.id, scanner, now)
        : null;
      const code = normalizeBase32(raw) ?? raw;
      const link = linkUrl(c, "p", code);
      const outcome = posterScan({ check, poster, now, device, human, link, visit });
      return answerScan(
        c,
        "poster",
        outcome,
        lang,
        qrUrls(c, "p", code, styleTag(poster?.style)).svg,
      );
    },
  );
}
