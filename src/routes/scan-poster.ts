/**
 * `GET /p/{code}`: a phone scanned a poster. The code's MAC is checked first, so a forged or
 * mistyped code is a 404 that costs one HMAC per signing key and never touches KV or D1
 * (enumerating codes costs us nothing). Each forged code costs a `rejected` hop, so forged codes
 * spend the client's failure budget (store/client-limits.ts): over it, a 429 page and no hop. A
 * real code is read through the KV cache; a paused, revoked or out-of-window poster gets a
 * friendly 410 naming its store. A person gets the landing page with a fresh signed attribution
 * session (`s=`, carrying the scan's device) in every app link; bots, previewers and prefetches
 * get the page without a session and count as `previewed`. Nothing is written to D1 on this
 * path: hops go through the queue in `waitUntil`.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import { safeAppPathOrRoot } from "../core/app-path";
import {
  checkSession,
  issueSession,
  posterState,
  type Session,
  type SessionDevice,
} from "../core/attribution";
import { normalizeBase32 } from "../core/base32";
import { classifyDevice, type DeviceInfo } from "../core/device";
import { verifyPosterCode } from "../core/token";
import { type Lang, pickLanguage } from "../pages/i18n";
import { landingPage, sessionSlot } from "../pages/landing-template";
import { renderMessagePage } from "../pages/messages";
import { htmlResponse, newNonce } from "../pages/security";
import { clientThrottled } from "../store/client-limits";
import { type HopInput, recordHop } from "../store/hops";
import { loadScanPoster, type ScanPoster } from "../store/poster-cache";
import { throttledPage } from "./client-limits";
import { LINK_PARAM } from "./scan-handoff";
import { linkUrl, qrImageOrigin, qrUrls } from "./urls";

const page = (description: string) => ({
  description,
  content: { "text/html": { schema: z.string() } },
});

/**
 * The attribution fields of a poster's hops.
 *
 * @example
 * recordHop(scope, { kind: "poster", hop: "scanned", ...posterHopFields(poster) });
 */
export function posterHopFields(
  p: Pick<ScanPoster, "id" | "store_id" | "campaign_id" | "created_at">,
) {
  return {
    subject_id: p.id,
    poster_id: p.id,
    store_id: p.store_id,
    campaign_id: p.campaign_id,
    created_at: p.created_at,
  };
}

/**
 * The hops of a person's scan of a live poster, in order: `scanned` and `landing`, once per
 * session. None when the visit came back through its own app link (`returning`: the app was not
 * there to open it): that scan and its landing page were counted.
 *
 * @example
 * for (const input of personScanHops(facts, info, session.id, false)) hop(c, input);
 */
export function personScanHops(
  facts: ReturnType<typeof posterHopFields> & Pick<HopInput, "platform" | "in_app" | "bot">,
  info: Pick<DeviceInfo, "browser" | "os">,
  sessionId: string,
  returning: boolean,
): Omit<HopInput, "kind">[] {
  if (returning) return [];
  const withSession = { ...facts, session_id: sessionId };
  const detail = { via: "page", browser: info.browser, os: info.os };
  return [
    { ...withSession, hop: "scanned", detail },
    { ...withSession, hop: "landing" },
  ];
}

/**
 * The session a deep link already carries (`s=`), if it is authentic, current, for this poster and
 * not one a bot started.
 *
 * @example
 * const reused = await sessionFromLink(config.keyring, url.searchParams, poster.id, now);
 */
export async function sessionFromLink(
  ring: AppEnv["Variables"]["config"]["keyring"],
  params: URLSearchParams,
  posterId: string,
  nowSeconds: number,
): Promise<Session | null> {
  const token = params.get("s") ?? params.get("S");
  if (!token || token.length > 100) return null;
  const check = await checkSession(ring, token, nowSeconds);
  if (!check.ok || check.session.posterId !== posterId) return null;
  // A session a bot started is no person's visit: a person following its link starts their own.
  return check.session.device?.bot ? null : check.session;
}

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
      tags: ["scan"],
      summary: "Scan of a poster code: the landing page",
      description:
        "Any case, dashes allowed (`7k2m9-qx4ab`). A forged code is a 404 without any storage read (a 429 once the client IP sent too many). Paused, revoked or out-of-window posters get a 410 page naming the store. People get a landing page whose app links carry a signed attribution session `s`; bots, previewers and prefetches get the page without one and count as `previewed`.",
      request: { params: z.object({ code: z.string() }) },
      responses: {
        200: page("The landing page (open in app / install / continue on the web)"),
        404: page("Not a poster of this bridge"),
        410: page("The poster is paused, revoked or outside its active window"),
        429: page("Too many forged or unknown codes from this client IP (`Retry-After`)"),
      },
    }),
    async (c) => {
      const { keyring, apps } = c.var.config;
      const raw = c.req.valid("param").code.slice(0, 64);
      const lang = pickLanguage(c.req.header("accept-language"), c.req.header("user-agent"));
      const info = classifyDevice(c.req.raw.headers);
      const human = info.isHuman && c.req.method === "GET";
      const device = { platform: info.platform, in_app: info.inAppBrowser, bot: !human };
      const check = await verifyPosterCode(keyring, raw);
      if (!check.ok) {
        if (await clientThrottled(c.env, c.req.raw, "failures")) return throttledPage(lang);
        hop(c, {
          subject_id: "invalid",
          hop: "rejected",
          ...device,
          detail: { reason: check.reason },
        });
        return message(404, lang);
      }
      const poster = await loadScanPoster(c.env, c.executionCtx, check.id);
      if (!poster) {
        if (await clientThrottled(c.env, c.req.raw, "failures")) return throttledPage(lang);
        hop(c, { subject_id: check.id, hop: "rejected", ...device, detail: { reason: "unknown" } });
        return message(404, lang);
      }
      const facts = { ...posterHopFields(poster), ...device };
      const now = Date.now();
      const state = posterState(poster, now);
      if (state !== "live") {
        hop(c, { ...facts, hop: "rejected", detail: { reason: state } });
        return message(410, lang, poster.store_name);
      }
      const code = normalizeBase32(raw)!;
      const link = linkUrl(c, "p", code);
      const landing = {
        kind: "poster" as const,
        link,
        // Rows may predate the strict path check: never build a link from an unsafe one.
        appPath: safeAppPathOrRoot(poster.path),
        device: info,
        lang,
        storeName: poster.store_name,
        qrSvgUrl: qrUrls(c, "p", code).svg,
        apps,
      };
      const nonce = newNonce();
      if (!human) {
        hop(c, { ...facts, hop: "previewed", detail: { bot: info.bot ?? "head" } });
        return htmlResponse(landingPage(landing, nonce), {
          nonce,
          imgOrigin: qrImageOrigin(c),
        });
      }
      const nowSeconds = Math.floor(now / 1000);
      // Coming back through the app link in a browser (app missing) is the same visit: keep its session.
      const reused = await sessionFromLink(
        keyring,
        new URL(c.req.url).searchParams,
        poster.id,
        nowSeconds,
      );
      const scan: SessionDevice = {
        platform: info.platform,
        in_app: info.inAppBrowser,
        bot: false,
        via: "page",
      };
      const session = reused ?? (await issueSession(keyring, poster.id, scan, now));
      for (const input of personScanHops(facts, info, session.id, reused !== null)) hop(c, input);
      // The page comes from a template per poster, language and device; the session is filled in.
      const deepLinkParams = {
        s: sessionSlot(),
        // Custom-scheme links carry the bridge link too, so the app can resolve it (see /v1/resolve).
        [LINK_PARAM]: `${link}?S=${sessionSlot()}`,
      };
      return htmlResponse(
        landingPage({ ...landing, deepLinkParams }, nonce, { session: session.token }),
        {
          nonce,
          imgOrigin: qrImageOrigin(c),
        },
      );
    },
  );
}

function hop(c: Context<AppEnv>, input: Omit<HopInput, "kind">): void {
  recordHop(
    { env: c.env, ctx: c.executionCtx, config: c.var.config, request: c.req.raw },
    { kind: "poster", ...input },
  );
}

function message(status: 404 | 410, lang: Lang, storeName?: string | null): Response {
  const nonce = newNonce();
  const body = renderMessagePage({ status, lang, kind: "poster", storeName }, nonce);
  return htmlResponse(body, { status, nonce });
}
