/**
 * The QR login side of the app client (`qrbridge/client`): what the logged-in app gets when it
 * scans a login QR, and how it recognises one. The calls themselves are `scanLogin` and
 * `denyLogin` on the client (app.ts); approving is the job of the company's backend, with its
 * secret key, never of the app.
 */

/** The computer asking to log in: show this before asking "Log in on this computer?". */
export interface LoginRequester {
  platform: string;
  browser: string | null;
  os: string | null;
  country: string | null;
  city: string | null;
  region: string | null;
  colo: string | null;
  /** The web page's origin; trust it only as far as a browser sent it. */
  origin: string | null;
  /** Unix ms. */
  created_at: number;
}

/** How close the phone and the computer looked (weak signals: a VPN moves a device). */
export interface LoginProximity {
  /** Same IPv4 /24 or IPv6 /48; null when unknown. */
  same_network: boolean | null;
  /** Between the two places Cloudflare located, km; absent when unknown. */
  distance_km?: number;
}

/** What `POST /v1/logins/scan` answers to the first scanner. */
export interface LoginScan {
  id: string;
  /** The handle your backend sends with approve/deny (and this app with `denyLogin`). */
  scan: string;
  /** Unix ms: approve before this. */
  expires_at: number;
  requester: LoginRequester;
  proximity: LoginProximity;
  metadata: Record<string, string> | null;
  /**
   * Who made the login: `server` (your backend's secret key) or `page` (a publishable key, which
   * anyone can copy: the metadata may be anyone's words, "Approve to receive your refund").
   * Show `metadata` as your words only when `server`; else a generic text. Null for a login
   * made before the bridge kept it; absent from a bridge too old to say.
   */
  created_by?: "server" | "page" | null;
}

/**
 * Whether a URL the app was opened with (or scanned) is a QR login link (`…/l/<token>`, also
 * inside a custom-scheme URL as `?qb_link=`): send it to `scanLogin`, not `resolve`.
 *
 * @example
 * if (isLoginLink(url)) showLogin(await bridge.scanLogin(url));
 * else await bridge.resolve(url);
 */
export function isLoginLink(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return false;
  }
  // The last one is the bridge's: an earlier one came with the in-app path (core/bridge-link.ts).
  const inner = u.searchParams.getAll("qb_link").pop();
  if (!/^https?:$/.test(u.protocol)) return inner ? isLoginLink(inner) : false;
  return /\/l\/[0-9a-z-]+\/?$/i.test(u.pathname);
}
