/**
 * Resolving a poster link from the app (`POST /v1/resolve` with a `/p/` URL; the resolve route
 * dispatches here). Two ways in:
 *
 * - the landing page's app link, `…/P/<CODE>?s=<session>`: the scan was already counted, the
 *   session is reused;
 * - the bare poster URL: the app was installed, so the phone opened it straight from the QR and
 *   the Worker never saw the scan. A session is started now (`via: "direct"`, on the caller's
 *   device) and `scanned` recorded.
 *
 * - a Play install referrer carrying the session (core/install-referrer.ts): the app was
 *   installed after the landing page, and the referrer gives that visit back.
 *
 * A bare link resolved with the app's `claim` (sent again on every retry after a lost answer)
 * gets a session derived from the claim (core/attribution.ts), the same for the retry, so its
 * `app_open` counts once; with `posters.claimedResolves` its `scanned` hop gets a once-only id
 * too (one more D1 row each, hence opt-in), so the retry is no second scan.
 *
 * Either way `app_open` is recorded once per session (a deterministic event id), attributed to
 * the platform and in-app browser of the session's scan, with `created_at` = the scan's time and
 * `detail.via` = how the app was reached (core/app-via.ts): `install_referrer`, the path the
 * call stated or the link was marked with, else how the session started (`page`, `direct`). A caller classified as a bot (curl, a crawler), or a
 * session a bot started, gets the same answer but counts as no person: one `previewed` hop
 * (`bot = 1`) instead of `scanned` and `app_open`. The answer carries the poster's *current*
 * path and params: re-targeting needs no reprint.
 */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { classifyAppCaller } from "../core/app-caller";
import { safeAppPathOrRoot } from "../core/app-path";
import type { AppVia } from "../core/app-via";
import {
  appEventId,
  checkSession,
  claimedScanEventId,
  claimedSession,
  issueSession,
  posterState,
  type Session,
  sessionDevice,
} from "../core/attribution";
import { ApiError } from "../core/errors";
import { posterHopFields } from "../core/scan";
import { verifyPosterCode } from "../core/token";
import { clientThrottled } from "../store/client-limits";
import { type HopInput, recordHop } from "../store/hops";
import { loadScanPoster } from "../store/poster-cache";
import { throttledJson } from "./client-limits";
import { hopScope } from "./hop-scope";

/** The 200 body of a resolved poster link (also its OpenAPI schema). */
export const ResolvedPosterBody = z
  .object({
    kind: z.literal("poster"),
    id: z.string(),
    path: z.string(),
    params: z.record(z.string(), z.string()),
    attribution: z.object({
      poster_id: z.string(),
      store_id: z.string().nullable(),
      store_name: z.string().nullable(),
      campaign_id: z.string().nullable(),
      session: z.string(),
      session_expires_at: z.number().int(),
    }),
  })
  .openapi("ResolvedPoster");

/** The 200 body of a resolved poster link. */
export type ResolvedPoster = z.infer<typeof ResolvedPosterBody>;

/**
 * Resolve a poster link for the app: 200 with where to go and the attribution; 400
 * `invalid_token` for a forged code or session (429 when the client sent too many forged ones),
 * 404 for an unknown poster, 410 `gone` when the poster is paused, revoked or outside its window.
 *
 * `claim`, the app's secret for this resolve and its retries, makes a bare link's session the
 * same for a retry (and, with `posters.claimedResolves`, its scan count once).
 *
 * @example
 * if (link.kind === "p") return resolvePosterLink(c, link.code, link.url, via, body.claim);
 */
export async function resolvePosterLink(
  c: Context<AppEnv>,
  code: string,
  url: URL,
  via: AppVia | null = null,
  claim: string | null = null,
): Promise<Response> {
  const caller = classifyAppCaller(c.req.raw.headers);
  const check = await verifyPosterCode(c.var.config.keyring, code.slice(0, 64));
  if (!check.ok) {
    if (await clientThrottled(c.env, c.req.raw, "failures")) return throttledJson();
    recordHop(hopScope(c), {
      kind: "poster",
      subject_id: "invalid",
      hop: "rejected",
      platform: caller.platform,
      in_app: caller.inAppBrowser,
      bot: !caller.isHuman,
      detail: { reason: check.reason, via: "app" },
    });
    throw new ApiError("invalid_token", "not a poster code of this bridge");
  }
  const token = url.searchParams.get("s") ?? url.searchParams.get("S");
  return resolvePoster(c, check.id, { token, claim }, via);
}

/**
 * Resolve the poster visit an install referrer stands for (its attribution session token), as
 * its landing page's app link would, with `via: "install_referrer"`; a forged session is `400`
 * and an expired one `410`, both naming the field.
 *
 * @example
 * if (ref.kind === "session") return resolvePosterReferrer(c, ref.token);
 */
export async function resolvePosterReferrer(c: Context<AppEnv>, token: string): Promise<Response> {
  const s = await checkSession(c.var.config.keyring, token, Math.floor(Date.now() / 1000));
  if (s.ok) return resolvePoster(c, s.session.posterId, { session: s.session }, "install_referrer");
  const field = { field: "referrer" };
  if (s.reason === "expired") throw new ApiError("expired", "referrer: expired", field);
  if (await clientThrottled(c.env, c.req.raw, "failures")) return throttledJson();
  recordHop(hopScope(c), {
    kind: "poster",
    subject_id: "invalid",
    hop: "rejected",
    detail: { reason: s.reason, via: "app" },
  });
  throw new ApiError("invalid_token", "referrer: not an install referrer of this bridge", field);
}

/** The session a resolve names: a link's `s=` token (maybe none, with the app's claim), or a known session. */
type SessionSource = { token: string | null; claim: string | null } | { session: Session };

async function resolvePoster(
  c: Context<AppEnv>,
  posterId: string,
  source: SessionSource,
  via: AppVia | null,
): Promise<Response> {
  const { keyring } = c.var.config;
  const caller = classifyAppCaller(c.req.raw.headers);
  const scope = hopScope(c);
  const hop = (input: Omit<HopInput, "kind">) => recordHop(scope, { kind: "poster", ...input });
  const poster = await loadScanPoster(c.env, c.executionCtx, posterId);
  if (!poster) throw new ApiError("not_found", `no poster ${posterId}`);
  const facts = posterHopFields(poster);
  const nowMs = Date.now();
  const state = posterState(poster, nowMs);
  if (state !== "live") {
    hop({
      ...facts,
      hop: "rejected",
      platform: caller.platform,
      in_app: caller.inAppBrowser,
      bot: !caller.isHuman,
      detail: { reason: state, via: "app" },
    });
    throw new ApiError("gone", `this poster is not active (${state.replace("_", " ")})`, {
      status: state,
      store_name: poster.store_name,
    });
  }

  const token = "token" in source ? source.token : null;
  const claim = "token" in source ? source.claim : null;
  let session: Session | null = "session" in source ? source.session : null;
  if (token) {
    const s = await checkSession(keyring, token.slice(0, 100), Math.floor(nowMs / 1000));
    if (s.ok && s.session.posterId !== poster.id)
      throw new ApiError("invalid_token", "the session in this link belongs to another poster");
    if (!s.ok && s.reason !== "expired")
      throw new ApiError("invalid_token", "the session in this link is not valid");
    if (s.ok) session = s.session;
  }
  // A bare link, or an expired session (a link opened days later, its scan counted then): the
  // app opened straight from a code, so this is a scan of its own, on the caller's device.
  // With a claim, a retry after a lost answer gets this same session (core/attribution.ts).
  const fresh = session === null;
  const scan = {
    platform: caller.platform,
    in_app: caller.inAppBrowser,
    bot: !caller.isHuman,
    via: "direct",
  } as const;
  session ??= claim
    ? await claimedSession(keyring, poster.id, scan, claim, nowMs)
    : await issueSession(keyring, poster.id, scan, nowMs);
  const device = sessionDevice(session, caller);
  const base = {
    ...facts,
    session_id: session.id,
    platform: device.platform,
    in_app: device.in_app,
  };
  // The hops are recorded one right after the other, with no await between them, so they
  // leave together as one queue message (store/hops.ts joins a request's hops until then).
  if (device.bot || !caller.isHuman) {
    const eventId = await appEventId(`session:${session.id}`, "previewed:app_open", "");
    hop({
      ...base,
      hop: "previewed",
      bot: true,
      detail: { bot: caller.bot ?? "session", via: "app" },
      event_id: eventId,
    });
  } else {
    const eventId = await appEventId(`session:${session.id}`, "app_open", "");
    // A retry's scan counts once only by a once-only id: one more D1 row each (opt-in).
    const once = fresh && claim && c.var.config.posters.claimedResolves;
    const scanId = once ? await claimedScanEventId(session.id) : undefined;
    if (fresh) {
      const detail = { via: "app", browser: caller.browser, os: caller.os };
      hop({
        ...base,
        hop: "scanned",
        detail: token ? { ...detail, session: "expired" } : detail,
        ...(scanId ? { event_id: scanId } : {}),
      });
    }
    hop({
      ...base,
      hop: "app_open",
      // This call is the scan, and a claimed session names the start of its window instead.
      created_at: fresh && claim ? nowMs : session.scannedAt,
      detail: { via: via ?? device.via },
      event_id: eventId,
    });
  }
  const body: ResolvedPoster = {
    kind: "poster",
    id: poster.id,
    path: checkedPosterPath(poster.id, poster.path),
    params: poster.params,
    attribution: {
      poster_id: poster.id,
      store_id: poster.store_id,
      store_name: poster.store_name,
      campaign_id: poster.campaign_id,
      session: session.token,
      // The session token counts in seconds; JSON speaks unix ms like the rest of the API.
      session_expires_at: session.expiresAt * 1000,
    },
  };
  return c.json(body, 200);
}

/**
 * The poster's path as the app may use it. Rows written before paths were checked as strictly
 * as handoffs' may hold one that a client could turn into another host: the app then gets the
 * root, "/", with its attribution intact, and the operator a log line to fix the poster.
 */
function checkedPosterPath(id: string, path: string): string {
  const safe = safeAppPathOrRoot(path);
  if (safe !== path)
    console.warn(`qrbridge: poster ${id} has an unsafe path; answering "/" (fix it with PATCH)`);
  return safe;
}
