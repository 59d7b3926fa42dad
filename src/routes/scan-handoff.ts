/**
 * `GET /h/{token}`: a phone scanned a handoff QR. The token is verified at the edge first, so a
 * forged (404) or expired (410) link costs one HMAC and never reaches a Durable Object; each
 * costs a `rejected` hop, so they spend the client's failure budget (store/client-limits.ts):
 * over it, a 429 page and no hop. Bots, link previewers and prefetches get the landing page but
 * change nothing and count as `previewed`, not as scans. A person moves the handoff to `scanned`
 * and gets the landing page, which opens the app. `scanned` and `landing` are recorded once per
 * handoff, at that first scan: later views (a reload, another device the link reached) show the
 * page and count nothing, as a handoff is one person's hop into the app.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import { normalizeBase32 } from "../core/base32";
import { classifyDevice } from "../core/device";
import { LINK_PARAM } from "../core/handoff";
import { verifyToken } from "../core/token";
import { pickLanguage } from "../pages/i18n";
import { landingPage, tokenSlot } from "../pages/landing-template";
import { renderMessagePage } from "../pages/messages";
import { htmlResponse, newNonce } from "../pages/security";
import { clientThrottled } from "../store/client-limits";
import { handoffDevice, handoffStub } from "../store/handoffs";
import { type HopInput, recordHop } from "../store/hops";
import { throttledPage } from "./client-limits";
import { linkUrl, qrImageOrigin, qrUrls } from "./urls";

/** Re-exported for the poster scan route, which uses the same parameter. */
export { LINK_PARAM };

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
      tags: ["scan"],
      summary: "Scan of a handoff QR: the landing page",
      description:
        "Case-insensitive. A person's first scan moves the handoff to `scanned` (and counts its one landing); later views show the page and count nothing; bots, previewers and prefetches (`Sec-Purpose`, `Purpose`) see the page and change nothing. The app's custom-scheme link carries the bridge link as `?qb_link=`.",
      request: { params: z.object({ token: z.string().max(100) }) },
      responses: {
        200: html("The landing page (open in app / install / continue on the web)"),
        404: html("Not a link of this bridge"),
        410: html("Expired, redeemed or cancelled"),
        429: html("Too many forged or expired links from this client IP (`Retry-After`)"),
      },
    }),
    async (c) => {
      const { keyring } = c.var.config;
      const raw = c.req.valid("param").token;
      const lang = pickLanguage(c.req.header("accept-language"), c.req.header("user-agent"));
      const check = await verifyToken(keyring, "h", raw, Math.floor(Date.now() / 1000));
      if (!check.ok) {
        if (await clientThrottled(c.env, c.req.raw, "failures")) return throttledPage(lang);
        const expired = check.reason === "expired";
        hop(c, {
          subject_id: expired ? check.id : "invalid",
          hop: "rejected",
          detail: { reason: check.reason, via: "page" },
        });
        return message(expired ? 410 : 404, lang);
      }
      const token = normalizeBase32(raw)!;
      const info = classifyDevice(c.req.raw.headers);
      // Pages come from a template per path, metadata, language and device, shared by every
      // handoff of that kind: the token (in the links and the QR URL) is filled in per scan.
      const page = {
        kind: "handoff" as const,
        link: linkUrl(c, "h", tokenSlot()),
        device: info,
        lang,
        qrSvgUrl: qrUrls(c, "h", tokenSlot()).svg,
        apps: c.var.config.apps,
      };
      const deepLinkParams = { [LINK_PARAM]: page.link };
      const common = { platform: info.platform, in_app: info.inAppBrowser };
      // A HEAD is a link checker, whatever its user agent says: it never scans either.
      if (!info.isHuman || c.req.method === "HEAD") {
        // Seen, not scanned: no Durable Object call, no metadata shown to previewers.
        hop(c, {
          subject_id: check.id,
          hop: "previewed",
          bot: true,
          ...common,
          detail: { bot: info.bot ?? "head" },
        });
        const nonce = newNonce();
        const html = landingPage(
          { ...page, appPath: "/", expiresAt: check.expiresAt, deepLinkParams },
          nonce,
          { token },
        );
        return htmlResponse(html, { nonce, imgOrigin: qrImageOrigin(c) });
      }
      const r = await handoffStub(c.env, check.id).scan(handoffDevice(info, c.req.raw));
      if (!r.ok) return message(r.error === "not_found" ? 404 : 410, lang);
      if (r.changed) {
        const facts = { subject_id: check.id, created_at: r.created_at, ...common };
        const detail = { via: "page", browser: info.browser, os: info.os };
        hop(c, { ...facts, hop: "scanned", detail });
        hop(c, { ...facts, hop: "landing" });
      }
      const nonce = newNonce();
      const body = landingPage(
        {
          ...page,
          appPath: r.path ?? "/",
          title: r.metadata?.title ?? null,
          subtitle: r.metadata?.subtitle ?? null,
          expiresAt: Math.floor(r.expires_at / 1000),
          deepLinkParams,
        },
        nonce,
        { token },
      );
      return htmlResponse(body, { nonce, imgOrigin: qrImageOrigin(c) });
    },
  );
}

function hop(c: Context<AppEnv>, input: Omit<HopInput, "kind">): void {
  recordHop(
    { env: c.env, ctx: c.executionCtx, config: c.var.config, request: c.req.raw },
    { kind: "handoff", ...input },
  );
}

function message(status: 404 | 410, lang: ReturnType<typeof pickLanguage>): Response {
  const nonce = newNonce();
  return htmlResponse(renderMessagePage({ status, lang, kind: "handoff" }, nonce), {
    status,
    nonce,
  });
}
