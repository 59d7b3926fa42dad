/**
 * How the app was reached, for the `detail.via` of `app_open` and `redeemed` hops (the funnel's
 * `group_by=via`). Deterministic only: each path says itself, nothing is guessed from an IP
 * address or a user agent.
 *
 * - `install_referrer`: the app resolved a Play install referrer (signed: it cannot be claimed);
 * - what the app states in `POST /v1/resolve {"via"}`: an App Clip, a code typed in the app, …;
 * - the marker `qb_via=` the landing page puts on the https links it hands over: the Smart App
 *   Banner's `app-argument` (`smart_banner`) and the copied link (`clipboard`); on a
 *   custom-scheme URL it is ignored (it came with the in-app path, not from the page);
 * - a custom-scheme URL carrying the bridge link (`acme:///…?qb_link=…`): `scheme`;
 * - otherwise how the visit started: `page` (the landing page was shown, then a universal link
 *   or App Link) or `direct` (the app opened straight from the QR).
 *
 * A stated or marked path is a label for the funnel, never a capability: it changes what is
 * counted under `via`, not what a link may do.
 */
/** The query parameter a landing page adds to the links it hands over (banner, clipboard). */
export const VIA_PARAM = "qb_via";

/** Paths the app may state, or a landing page mark on a link. */
export const STATED_VIAS = [
  "scheme",
  "smart_banner",
  "clipboard",
  "app_clip",
  "manual_code",
] as const;
export type StatedVia = (typeof STATED_VIAS)[number];

const STATED = new Set<string>(STATED_VIAS);

/** Every `via` an app open may carry. */
export type AppVia = StatedVia | "install_referrer" | "page" | "direct";

/**
 * The path a resolve call says it came by, or null when it says none (then the visit's own
 * `page`/`direct` holds): what the app stated wins, then a custom-scheme URL, then an https
 * link's `qb_via` marker.
 *
 * @example
 * statedVia(undefined, "HTTPS://QR.TEST/P/7K2M9QX4AB?s=S1&qb_via=clipboard") // "clipboard"
 * statedVia("app_clip", "HTTPS://QR.TEST/P/7K2M9QX4AB")                    // "app_clip"
 * statedVia(undefined, "acme:///menu?qb_link=HTTPS%3A%2F%2FQR.TEST%2FP%2F…") // "scheme"
 * statedVia(undefined, "acme:///x?qb_via=app_clip&qb_link=…")                 // "scheme"
 * statedVia(undefined, "HTTPS://QR.TEST/H/8QK3…")                           // null
 */
export function statedVia(stated: StatedVia | undefined, url: string): StatedVia | null {
  if (stated) return stated;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  // The page marks only https links; a marker on a custom-scheme URL came with the in-app path.
  if (!/^https?:$/i.test(parsed.protocol)) return "scheme";
  const marker = parsed.searchParams.get(VIA_PARAM);
  return marker !== null && STATED.has(marker) ? (marker as StatedVia) : null;
}
