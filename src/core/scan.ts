/**
 * What a scan shows and records, decided from facts the route gathered: the code or token
 * check, the poster (or the handoff object's answer), the device, the session and the time.
 * Pure: no bindings, no clock, no randomness. The routes (routes/scan-poster.ts,
 * routes/scan-handoff.ts) parse the request, fetch these facts, call one function here, render
 * the page it names and record the hops it lists.
 *
 * Who counts: a person's `GET` of a live poster counts `scanned` and `landing` once per
 * attribution session (a visit that comes back through its own app link counts nothing); a
 * handoff counts them at the scan that moved it to `scanned`. Bots, previewers, prefetches and
 * `HEAD`s see the page and count as `previewed`. A forged, unknown or expired code is a
 * `rejected` hop and spends the client's failure budget (store/client-limits.ts).
 */
import { safeAppPathOrRoot } from "./app-path";
import { type SAME_DEVICE, VIA_PARAM } from "./app-via";
import { type PosterStatus, posterState, type Session } from "./attribution";
import type { DeviceInfo } from "./device";
import { LINK_PARAM } from "./handoff";
import type { HopInput } from "./hop-input";
import { installReferrer } from "./install-referrer";
import type { PosterCheck, TokenCheck } from "./token";

/** What a scan needs to know of a poster (what the scan path's poster cache holds). */
export interface ScanPosterFacts {
  id: string;
  path: string;
  store_id: string | null;
  store_name: string | null;
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
  /** From metadata: untrusted, escaped. */
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
  p: Pick<ScanPosterFacts, "id" | "store_id" | "campaign_id" | "created_at">,
) {
  return {
    subject_id: p.id,
    poster_id: p.id,
    store_id: p.store_id,
    campaign_id: p.campaign_id,
    created_at: p.created_at,
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

/** What the handoff's object answered a person's scan (store/handoffs.ts `ScanResult`). */
export type HandoffScanAnswer =
  | {
      ok: true;
      /** This scan moved the handoff to `scanned`. */
      changed: boolean;
      path: string | null;
      metadata: Record<string, string> | null;
      /** Unix ms. */
      created_at: number;
      expires_at: number;
      /** This scan's once-only `scanned` and `landing` (core/handoff-hops.ts), when `changed`. */
      hops: Omit<HopInput, "kind">[];
    }
  | { ok: false; error: string };

/** The facts of a handoff scan. */
export interface HandoffScanFacts {
  check: TokenCheck;
  device: DeviceInfo;
  /** A person's `GET`: only that asks the object (and may move the handoff to `scanned`). */
  human: boolean;
  /** The scanned link, in capitals. */
  link: string;
  /** The link's token, in capitals (a person's page hands it to Google Play as the referrer). */
  token: string;
  /** The object's answer to a person's scan; null when it was not asked. */
  answer: HandoffScanAnswer | null;
  /**
   * The link's marker (core/app-via.ts `scanMarker`): `same_device` when the widget's link was
   * tapped on the phone showing it. A label for the funnel, nothing more.
   */
  marker?: typeof SAME_DEVICE | null;
}

/**
 * Decide a handoff scan: 404 (forged) or 410 (expired, ended) with a `rejected` hop for a bad
 * token; for bots the landing page without the handoff's metadata and a `previewed` hop; for a
 * person the page, and the object's once-only `scanned` + `landing` when this scan moved the
 * handoff (core/handoff-hops.ts; the route hands it the scan's `via`, `same_device` for a
 * same-device tap). A same-device tap's page hands the marker on to its app links.
 *
 * @example
 * const outcome = handoffScan({ check, device, human, link, token, answer });
 */
export function handoffScan(f: HandoffScanFacts): ScanOutcome {
  const { check, device } = f;
  if (!check.ok) {
    const expired = check.reason === "expired";
    const hop = {
      subject_id: expired ? check.id : "invalid",
      hop: "rejected" as const,
      detail: { reason: check.reason, via: "page" },
    };
    return { page: "message", status: expired ? 410 : 404, hops: [hop], spendsFailureBudget: true };
  }
  const who = { platform: device.platform, in_app: device.inAppBrowser };
  const landing: LandingModel = {
    kind: "handoff",
    link: f.link,
    appPath: "/",
    device,
    expiresAt: check.expiresAt,
    deepLinkParams: { [LINK_PARAM]: f.link },
  };
  if (!f.human) {
    // Seen, not scanned: the object was not asked, and no metadata is shown to previewers.
    const detail = { bot: device.bot ?? "head" };
    const hop = { subject_id: check.id, hop: "previewed" as const, bot: true, ...who, detail };
    return { page: "landing", landing, hops: [hop] };
  }
  const r = f.answer;
  if (r === null) throw new TypeError("a person's scan needs the handoff object's answer");
  if (!r.ok) {
    const status = r.error === "not_found" ? 404 : 410;
    return { page: "message", status, hops: [], spendsFailureBudget: false };
  }
  const marker = f.marker ?? null;
  // Built by the object from what it kept, so its own later copy is the same row.
  const hops = r.changed ? r.hops : [];
  return {
    page: "landing",
    landing: {
      ...landing,
      appPath: r.path ?? "/",
      title: r.metadata?.title ?? null,
      subtitle: r.metadata?.subtitle ?? null,
      expiresAt: Math.floor(r.expires_at / 1000),
      ...(marker && { deepLinkParams: { ...landing.deepLinkParams, [VIA_PARAM]: marker } }),
      installReferrer: installReferrer("handoff", f.token),
    },
    hops,
  };
}
