/**
 * `GET /h/{token}`: a phone scanned a handoff QR. The token is verified at the edge first, so a
 * forged (404) or expired (410) link costs one HMAC and never reaches a Durable Object. Only a
 * person's `GET` asks the handoff's object, which moves it to `scanned` on the first one; bots,
 * link previewers, prefetches and `HEAD`s get the page and change nothing. What the scan shows
 * and records is decided in core/handoff-scan.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { scanMarker } from "../core/app-via";
import { normalizeBase32 } from "../core/base32";
import { classifyDevice } from "../core/device";
import { handoffScan } from "../core/handoff-scan";
import { verifyToken } from "../core/token";
import { handoffDevice, handoffStub } from "../store/handoffs";
import { requestFacts } from "../store/hops";
import { access } from "./access";
import { scanLanguage } from "./scan-language";
import { answerScan } from "./scan-page";
import { errorResponses } from "./schemas";
import { linkUrl, qrUrls } from "./urls";

const html = (description: string) => ({
  description,
  content: { "text/html": { schema: z.string() } },
});

/**
 * Register the handoff scan route.
 *
 * @example
 * registerHandoffScanRoutes(app);
 */
export function registerHandoffScanRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/h/{token}",
      operationId: "scanHandoff",
      security: access.public,
      tags: ["scan"],
      request: { params: z.object({ token: z.string().max(100) }) },
      responses: {
        200: html("The landing page (open in app / install / continue on the web)"),
        ...errorResponses(400),
        404: html("Not a link of this bridge"),
        410: html("Expired, redeemed or cancelled"),
        429: html("Too many forged or expired links from this client IP (`Retry-After`)"),
      },
    }),
    async (c) => {
      const raw = c.req.valid("param").token;
      const lang = await scanLanguage(c);
      const now = Math.floor(Date.now() / 1000);
      const check = await verifyToken(c.var.config.keyring, "h", raw, now);
      const device = classifyDevice(c.req.raw.headers);
      const human = device.isHuman && c.req.method === "GET";
      // The widget's same-device link says so: a label for the funnel, never a capability.
      const marker = scanMarker(new URL(c.req.url).searchParams);
      // The object keeps this scan's facts: it sends the same rows again if this send is lost.
      const hopFacts = { ...requestFacts(c.req.raw), via: marker ?? "page", bot: false };
      const scanner = handoffDevice(device, c.req.raw);
      const answer =
        check.ok && human ? await handoffStub(c.env, check.id).scan(scanner, hopFacts) : null;
      const token = normalizeBase32(raw) ?? raw;
      const link = linkUrl(c, "h", token);
      const outcome = handoffScan({ check, device, human, link, token, answer, marker });
      return answerScan(c, "handoff", outcome, lang, qrUrls(c, "h", token).svg);
    },
  );
}
