// The operations of test/integration/model-posters.test.ts, as drawn, and the requests they send.
import { BASE } from "./helpers";
import { IPHONE, SLACKBOT } from "./poster-helpers";

export type Who = "person" | "slackbot" | "prefetch" | "head";
/** Time zones of the stores: none (the deployment's, UTC), whole-hour ones and a +5:45. */
export const ZONES = [null, "Asia/Tokyo", "America/Los_Angeles", "Asia/Kathmandu"] as const;
export type Zone = (typeof ZONES)[number];

/** A change of a poster's active window, relative to the clock when it is sent. */
export interface WindowChange {
  from?: number | null;
  until?: number | null;
}

export type PosterChange =
  | { status: "active" | "paused" | "revoked" }
  | { path: string; params: Record<string, string> }
  | { window: WindowChange }
  | { store: number | null }
  | { campaign: number | null };

export type Op =
  /** A scan; `link` takes the newest session the Worker gave for poster `p` (if any) along. */
  | { op: "scan"; p: number; who: Who; link: boolean }
  /**
   * The app resolves poster `p`'s link: bare, or with a session (`other`: another poster's), as
   * the custom-scheme link carrying it (`scheme`), or its Play install referrer (`referrer`).
   */
  | {
      op: "resolve";
      p: number;
      link: "bare" | "own" | "other" | "scheme" | "referrer";
      bot: boolean;
    }
  /** An event with the `s`-th newest session (from its page or a resolve). */
  | { op: "event"; s: number; type: "app_open" | "converted"; bot: boolean }
  /** A poster's change, with no `version`, the current one or one it is not at. */
  | { op: "patch"; p: number; change: PosterChange; version: "none" | "current" | "ahead" }
  | { op: "delete"; p: number }
  | { op: "store"; s: number; name: boolean; zone: Zone | undefined }
  /** `DELETE /v1/stores/:id`: refused while any poster, deleted ones too, names the store. */
  | { op: "dropStore"; s: number }
  /** The manual form: the printed code as a person types it (lower case), or with a typo. */
  | { op: "manual"; p: number; typo: boolean }
  /** Move the clock: `tick`s, past the caches' lifetimes, to a window edge or a local midnight. */
  | {
      op: "clock";
      to: "tick" | "memory" | "kv" | "edge" | "midnight" | "week";
      k: number;
      delta: number;
    };

export const APP_UA = "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0";
export const CURL_UA = "curl/8.4.0";

/** The scan request of `who` for `url` (a poster link, maybe with `?s=`), from Japan. */
export function scanRequest(url: string, who: Who): Request {
  const ua = who === "slackbot" ? SLACKBOT : IPHONE;
  const headers: Record<string, string> = { "user-agent": ua };
  if (who === "prefetch") headers["sec-purpose"] = "prefetch";
  const path = new URL(url).pathname + new URL(url).search;
  return new Request(`${BASE}${path}`, {
    method: who === "head" ? "HEAD" : "GET",
    headers,
    cf: { country: "JP" },
  } as RequestInit);
}

/** A JSON request (`key`: a secret key) to the API. */
export function apiRequest(method: string, path: string, json?: unknown, key?: string): Request {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (json !== undefined) headers["content-type"] = "application/json";
  return new Request(`${BASE}${path}`, {
    method,
    headers,
    body: json === undefined ? undefined : JSON.stringify(json),
  });
}

/** `POST /v1/resolve` from the app (or curl, a bot), of a link or an install referrer. */
export function resolveRequest(
  what: { url: string } | { referrer: string },
  bot: boolean,
): Request {
  const req = apiRequest("POST", "/v1/resolve", what);
  req.headers.set("user-agent", bot ? CURL_UA : APP_UA);
  return req;
}

/** `POST /v1/events` from the app (or curl). */
export function eventRequest(session: string, type: string, bot: boolean): Request {
  const body = type === "converted" ? { session, type, value: 12.5, currency: "EUR" } : {};
  const req = apiRequest("POST", "/v1/events", { session, type, ...body });
  req.headers.set("user-agent", bot ? CURL_UA : APP_UA);
  return req;
}

/**
 * The custom-scheme link of the landing page (or a bare one): the bridge link rides in `qb_link`.
 * @example schemeLink("HTTPS://QR.TEST/P/7K2M9QX4AB", "/menu", "7K2M…")
 */
export function schemeLink(url: string, path: string, token: string | null): string {
  const link = token ? `${url}?S=${token}` : url;
  const s = token ? `s=${token}&` : "";
  // After the in-app path's own query, as the landing page writes it.
  const join = path.includes("?") ? "&" : "?";
  return `qrbridge-demo://open${path}${join}${s}qb_link=${encodeURIComponent(link)}`;
}

/** The display code as typed: lower case, and with one character changed for a typo. */
export function typed(display: string, typo: boolean): string {
  const lower = display.toLowerCase();
  if (!typo) return lower;
  const last = lower.at(-1) === "7" ? "8" : "7";
  return lower.slice(0, -1) + last;
}

/** The day after `day` (YYYY-MM-DD). */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
