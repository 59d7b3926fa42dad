/**
 * What a scan shows and records, decided from facts the route gathered: the code or token
 * check, the poster (or the handoff object's answer), the device, the session and the time.
 * Pure: no bindings, no clock, no randomness. The routes (routes/scan-poster.ts,
 * routes/scan-handoff.ts) parse the request, fetch these facts, call one function here, render
 * the page it names and record the hops it lists. This module holds what both scans share (the
 * landing page's model, the outcome) and the poster's decision; a handoff's is
 * core/handoff-scan.ts.
 *
 * Who counts: a person's `GET` of a live poster counts `scanned` and `landing` once per
 * attribution session (a visit that comes back through its own app link counts nothing); a
 * handoff counts them at the scan that moved it to `scanned`. Bots, previewers, prefetches and
 * `HEAD`s see the page and count as `previewed`. A forged, unknown or expired code is a
 * `rejected` hop and spends the client's failure budget (store/client-limits.ts).
 */
import { safeAppPathOrRoot } from "./app-path";
import { type PosterStatus, posterState, type Session } from "./attribution";
import type { DeviceInfo } from "./device";
import { LINK_PARAM } from "./handoff";
import type { HopInput } from "./hop-input";
import { installReferrer } from "./install-referrer";
import type { PosterCheck } from "./token";

/** What a scan needs to know of a poster (what the scan path's poster cache holds). */
export interface ScanPosterFacts {
  id: string;
  path: string;
  store_id: string | null;
  store_name: string | null;
  /** The store's time zone: its hops' days are in it (null or absent: the deployment's). */
  time_zone?: string | null;
  campaign_id: string | null;
  /** `revoked` for a deleted poster: its printed code still gets the "no longer active" page. */
  status: PosterStatus;
  active_from: number | null;
  active_until: number | null;
  /** Unix ms. */
  created_at: number;
}

/** The landing page of a scan, before the route adds language, apps and the QR image URL. */
export interface LandingModel {
  /** A QR login's link is only ever opened by the app: its page says so and changes nothing. */
  kind: "handoff" | "poster" | "login";
  /** The bridge URL that was scanned (universal link / App Link target), e.g. "HTTPS://QR.TEST/H/<TOKEN>". */
  link: string;
  /** In-app path, e.g. "/cart/42" (may carry a query string). */
  appPath: string;
  /** From `classifyDevice(headers)`. */
  device: DeviceInfo;
  /** A secret key's handoff metadata (core/handoff-scan.ts `landingText`), escaped. */
  title?: string | null;
  /** Untrusted, escaped. */
  subtitle?: string | null;
  storeName?: string | null;
  /** Unix seconds; handoffs show a countdown. */
  expiresAt?: number | null;
  /**
   * Extra query parameters for the app (e.g. `{ s: "<attribution session>" }`), appended to the
   * scheme, intent and universal links and to the copied link. A parameter whose value is the
   * bridge link itself (e.g. `qb_link`) goes only on custom-scheme URLs.
   */
  deepLinkParams?: Record<string, string>;
  /**
   * The Play install referrer (`qb_ref=…`, core/install-referrer.ts) that the Google Play links
   * carry, so the app finds this visit after it is installed: a person's page only.
   */
  installReferrer?: string | null;
}

/** The answer to a scan: a page, and the hops to record (none when the client is throttled). */
export type ScanOutcome =
  | {
      page: "message";
      status: 404 | 410;
      storeName?: string | null;
      hops: Omit<HopInput, "kind">[];
      /** A forged, unknown or expired code: the route checks the failure budget first. */
      spendsFailureBudget: boolean;
    }
  | { page: "landing"; landing: LandingModel; hops: Omit<HopInput, "kind">[] };

/**
 * The attribution fields of a poster's hops.
 *
 * @example
 * recordHop(scope, { kind: "poster", hop: "scanned", ...posterHopFields(poster) });
 */
export function posterHopFields(
  p: Pick<ScanPosterFacts, "id" | "store_id" | "campaign_id" | "created_at" | "time_zone">,
) {
  return {
    subject_id: p.id,
    poster_id: p.id,
    store_id: p.store_id,
    campaign_id: p.campaign_id,
    created_at: p.created_at,
    // Every hop of the poster (scan, landing, the app's events, conversions) takes it from here,
    // so one person's journey is filed under one local day.
    time_zone: p.time_zone ?? null,
  };
}

/** The session of a person's visit: `reused` when the link already carried it. */
export interface Visit {
  session: Session;
  reused: boolean;
}

/** The facts of a poster scan. */
export interface PosterScanFacts {
  check: PosterCheck;
  /** The poster the code names, or null when the code is forged or names no poster. */
  poster: ScanPosterFacts | null;
  /** Unix ms. */
  now: number;
  device: DeviceInfo;
  /** A person's `GET` (not a bot, a previewer, a prefetch or a `HEAD`). */
  human: boolean;
  /** The scanned link, in capitals. */
  link: string;
  /** A person's session, for a live poster (see {@link needsVisit}); else null. */
  visit: Visit | null;
}

/**
 * Whether a poster scan needs a person's session (so the route signs or checks one).
 *
 * @example
 * const visit = needsVisit(poster, human, now) ? await visitOf(…) : null;
 */
export function needsVisit(
  poster: ScanPosterFacts | null,
  human: boolean,
  now: number,
): poster is ScanPosterFacts {
  return human && poster !== null && posterState(poster, now) === "live";
}

/**
 * Decide a poster scan: the 404 or 410 page and its `rejected` hop, or the landing page with
 * `previewed` (bots) or `scanned` + `landing` (a person's new visit).
 *
 * @example
 * const outcome = posterScan({ check, poster, now, device, human, link, visit });
 * for (const hop of outcome.hops) recordHop(scope, { kind: "poster", ...hop });
 */
export function posterScan(f: PosterScanFacts): ScanOutcome {
  const { device } = f;
  const who = { platform: device.platform, in_app: device.inAppBrowser, bot: !f.human };
  if (!f.check.ok || f.poster === null) {
    const subject_id = f.check.ok ? f.check.id : "invalid";
    const reason = f.check.ok ? "unknown" : f.check.reason;
    const hop = { subject_id, hop: "rejected" as const, ...who, detail: { reason } };
    return { page: "message", status: 404, hops: [hop], spendsFailureBudget: true };
  }
  const poster = f.poster;
  const facts = { ...posterHopFields(poster), ...who };
  const state = posterState(poster, f.now);
  if (state !== "live") {
    const hop = { ...facts, hop: "rejected" as const, detail: { reason: state } };
    return {
      page: "message",
      status: 410,
      storeName: poster.store_name,
      hops: [hop],
      spendsFailureBudget: false,
    };
  }
  const landing: LandingModel = {
    kind: "poster",
    link: f.link,
    // Rows may predate the strict path check: never build a link from an unsafe one.
    appPath: safeAppPathOrRoot(poster.path),
    device,
    storeName: poster.store_name,
  };
  if (!f.human) {
    const hop = { ...facts, hop: "previewed" as const, detail: { bot: device.bot ?? "head" } };
    return { page: "landing", landing, hops: [hop] };
  }
  if (f.visit === null) throw new TypeError("a person's scan of a live poster needs its visit");
  const { session, reused } = f.visit;
  const token = session.token;
  // Custom-scheme links carry the bridge link too, so the app can resolve it (/v1/resolve).
  const deepLinkParams = { s: token, [LINK_PARAM]: `${f.link}?S=${token}` };
  return {
    page: "landing",
    landing: { ...landing, deepLinkParams, installReferrer: installReferrer("session", token) },
    hops: personScanHops(facts, device, session.id, reused),
  };
}

/**
 * The hops of a person's scan of a live poster, in order: `scanned` and `landing`, once per
 * session. None when the visit came back through its own app link (`returning`: the app was not
 * there to open it): that scan and its landing page were counted.
 *
 * @example
 * personScanHops(facts, device, session.id, false); // [{ hop: "scanned", … }, { hop: "landing", … }]
 */
function personScanHops(
  facts: ReturnType<typeof posterHopFields> & Pick<HopInput, "platform" | "in_app" | "bot">,
  device: Pick<DeviceInfo, "browser" | "os">,
  sessionId: string,
  returning: boolean,
): Omit<HopInput, "kind">[] {
  if (returning) return [];
  const withSession = { ...facts, session_id: sessionId };
  const detail = { via: "page", browser: device.browser, os: device.os };
  return [
    { ...withSession, hop: "scanned", detail },
    { ...withSession, hop: "landing" },
  ];
}
