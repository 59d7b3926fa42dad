/**
 * What a handoff scan (`GET /h/:token`) shows and records, decided from the token check, the
 * handoff object's answer and the device: the handoff's half of core/scan.ts, apart because it
 * decides from different facts (the object already moved the handoff and built its once-only
 * hops) and shares nothing with a poster's sessions but the page model and the outcome.
 * Pure: no bindings, no clock, no randomness.
 */
import { type SAME_DEVICE, VIA_PARAM } from "./app-via";
import type { DeviceInfo } from "./device";
import { LINK_PARAM } from "./handoff";
import type { HandoffCreator } from "./handoff-parties";
import type { HopInput } from "./hop-input";
import { installReferrer } from "./install-referrer";
import type { LandingModel, ScanOutcome } from "./scan";
import type { TokenCheck } from "./token";

/** What the handoff's object answered a person's scan (store/handoffs.ts `ScanResult`). */
export type HandoffScanAnswer =
  | {
      ok: true;
      /** This scan moved the handoff to `scanned`. */
      changed: boolean;
      path: string | null;
      metadata: Record<string, string> | null;
      /** Who made it (null: a record written before it was kept). */
      created_by: HandoffCreator | null;
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

/** The heading a landing page takes from a handoff: none means the page's default. */
export interface LandingText {
  title: string | null;
  subtitle: string | null;
}

/**
 * The title and subtitle a handoff's landing page shows: its metadata's, only when a secret key
 * made it (`server`). The page is on the shop's own domain, so its words must be the shop's; a
 * publishable key is public (its `Origin` check binds browsers, not curl), so anyone could make
 * that page say anything. A record that does not say who made it shows nothing either. The
 * metadata itself is kept and still reaches the app on redeem, with `created_by`.
 *
 * @example
 * landingText({ title: "Your cart" }, "server") // { title: "Your cart", subtitle: null }
 * landingText({ title: "Your account is locked" }, "page") // { title: null, subtitle: null }
 */
export function landingText(
  metadata: Record<string, string> | null,
  createdBy: HandoffCreator | null,
): LandingText {
  if (createdBy !== "server" || !metadata) return { title: null, subtitle: null };
  return { title: metadata.title ?? null, subtitle: metadata.subtitle ?? null };
}

/**
 * Decide a handoff scan: 404 (forged) or 410 (expired, ended) with a `rejected` hop for a bad
 * token; for bots the landing page without the handoff's metadata and a `previewed` hop; for a
 * person the page (its heading from the metadata only as {@link landingText} allows), and the
 * object's once-only `scanned` + `landing` when this scan moved the handoff
 * (core/handoff-hops.ts; the route hands it the scan's `via`, `same_device` for a same-device
 * tap). A same-device tap's page hands the marker on to its app links.
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
      ...landingText(r.metadata, r.created_by),
      expiresAt: Math.floor(r.expires_at / 1000),
      ...(marker && { deepLinkParams: { ...landing.deepLinkParams, [VIA_PARAM]: marker } }),
      installReferrer: installReferrer("handoff", f.token),
    },
    hops,
  };
}
