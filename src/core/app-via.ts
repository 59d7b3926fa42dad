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
 * - the marker `<qr-bridge>` puts on its "Open in the app" link on a phone (`same_device`): the
 *   code was tapped on the phone that shows it, not scanned by a second device. It marks the
 *   `scanned` hop too (a scan page or a resolve that records the scan), and the landing page
 *   passes it on to its https links, so the funnel follows the tap to the app;
 * - a custom-scheme URL carrying the bridge link (`acme:///…?qb_link=…`): `scheme`;
 * - otherwise how the visit started: `page` (the landing page was shown, then a universal link
 *   or App Link) or `direct` (the app opened straight from the QR).
 *
 * A stated or marked path is a label for the funnel, never a capability: it changes what is
 * counted under `via`, not what a link may do.
 */
/** The query parameter a landing page adds to the links it hands over (banner, clipboard). */
export const VIA_PARAM = "qb_via";

/** Paths the app may state (`POST /v1/resolve {"via"}`), or a landing page mark on a link. */
export const STATED_VIAS = [
  "scheme",
  "smart_banner",
  "clipboard",
  "app_clip",
  "manual_code",
] as const;
export type StatedVia = (typeof STATED_VIAS)[number];

/** The widget's marker on its link on a phone: a tap on the same device, not a scan. */
export const SAME_DEVICE = "same_device";

/** What a link's `qb_via` marker may say: a stated path, or the widget's same-device tap. */
export type LinkVia = StatedVia | typeof SAME_DEVICE;

const MARKERS = new Set<string>([...STATED_VIAS, SAME_DEVICE]);

/** Every `via` an app open may carry. */
export type AppVia = LinkVia | "install_referrer" | "page" | "direct";

/**
 * A link's `qb_via` marker: the last known value (a page adds its own after the link's, as the
 * landing page's copied link does after the widget's), or null. Unknown values are ignored.
 *
 * @example
 * linkMarker(new URLSearchParams("qb_via=same_device&qb_via=clipboard")) // "clipboard"
 * linkMarker(new URLSearchParams("qb_via=%3Cscript%3E"))                  // null
 */
export function linkMarker(query: URLSearchParams): LinkVia | null {
  const known = query.getAll(VIA_PARAM).filter((v) => MARKERS.has(v));
  return (known.at(-1) as LinkVia | undefined) ?? null;
}

/**
 * How a scan of a link came, for its `scanned` hop: `same_device` when the link carries the
 * widget's marker, else null (the scan page's `page`, or a resolve's `app`, holds).
 *
 * @example
 * scanMarker(new URLSearchParams("qb_via=same_device")) // "same_device"
 * scanMarker(new URLSearchParams("qb_via=app"))         // null
 */
export function scanMarker(query: URLSearchParams): typeof SAME_DEVICE | null {
  return linkMarker(query) === SAME_DEVICE ? SAME_DEVICE : null;
}

/**
 * The `detail.via` of a `scanned` hop that a resolve records (the app opened straight from the
 * link): `same_device` for the widget's tap, else `app`.
 *
 * @example
 * appScanVia("same_device") // "same_device"
 * appScanVia("clipboard")   // "app"
 */
export function appScanVia(via: string | null): "app" | typeof SAME_DEVICE {
  return via === SAME_DEVICE ? SAME_DEVICE : "app";
}

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
 * statedVia(undefined, "HTTPS://QR.TEST/H/8QK3…?qb_via=same_device")         // "same_device"
 * statedVia(undefined, "HTTPS://QR.TEST/H/8QK3…")                           // null
 */
export function statedVia(stated: StatedVia | undefined, url: string): LinkVia | null {
  if (stated) return stated;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  // The page marks only https links; a marker on a custom-scheme URL came with the in-app path.
  if (!/^https?:$/i.test(parsed.protocol)) return "scheme";
  return linkMarker(parsed.searchParams);
}
