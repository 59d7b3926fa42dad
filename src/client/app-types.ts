/**
 * What the app client (src/client/app.ts) answers and throws: its options, results and error,
 * apart from the code so an app reads its contract in one place.
 */
import type { LoginScan } from "./app-login";

/** A handoff from a PC page: the payload is returned once, to this call only. */
export interface HandoffResolution {
  kind: "handoff";
  id: string;
  path: string | null;
  payload: unknown;
  metadata: Record<string, string> | null;
  /**
   * Who made it: `server` (your backend's secret key) or `page` (a publishable key, which anyone
   * can copy: the payload may be anyone's). Adopt a session from a payload only when `server`.
   */
  created_by?: "server" | "page" | null;
  /**
   * The handoff's events credential: pass it to {@link AppClient.reportEvent} as you would a
   * poster's `session`. Only this call got it (the link is on the PC's screen, for anyone to
   * see), so only this app can report the handoff's `app_open` and `converted`. Null from a
   * bridge too old to issue one.
   */
  session: string | null;
  /** Unix ms after which the handoff takes no more events. */
  session_expires_at?: number;
}

/** Who a poster scan is attributed to. */
export interface Attribution {
  store_id: string | null;
  campaign_id: string | null;
  poster_id: string | null;
  store_name?: string | null;
  /** Attribution session: pass it to {@link AppClient.reportEvent}. */
  session: string | null;
  /** Unix ms after which the session takes no more events (every time in the API is unix ms). */
  session_expires_at?: number;
  [key: string]: unknown;
}

/** A poster (store code) link: where to open, with its parameters and attribution. */
export interface PosterResolution {
  kind: "poster";
  id: string;
  path: string | null;
  params: Record<string, string>;
  attribution: Attribution;
  /** Same as `attribution.session`, for convenience. */
  session: string | null;
}

/**
 * The handoff was created with `confirm: "pc"`: the PC must approve this device first. Call
 * `resolve(url, { claim })` again (or use {@link AppClient.resolveConfirmed}) to redeem.
 */
export interface AwaitingConfirmation {
  kind: "awaiting_confirmation";
  id: string | null;
  /** Secret proving this device made the claim (the one it sent, or the bridge's): send it back. */
  claim: string | null;
  /** Seconds the bridge asks the app to wait before asking again. */
  retryAfter: number;
}

/** What {@link AppClient.resolve} answers; `kind` tells the three apart. */
export type ResolveResult = HandoffResolution | PosterResolution | AwaitingConfirmation;

/** Error codes the bridge answers with (plus `network` and `bad_response` from this client). */
export type QrBridgeErrorCode =
  | "already_redeemed"
  | "already_scanned"
  | "proximity_failed"
  | "expired"
  | "invalid_token"
  | "invalid_url"
  | "not_found"
  | "gone"
  | "forbidden"
  | "conflict"
  | "validation_failed"
  | "rate_limited"
  | "network"
  | "bad_response"
  | "timeout"
  | (string & {});

/**
 * A failed call: `code` is the bridge's `error` field, `status` the HTTP status (0: no answer).
 *
 * @example
 * try {
 *   await bridge.resolve(url);
 * } catch (err) {
 *   if (!(err instanceof QrBridgeError)) throw err;
 *   // a handoff is redeemed once: a second scan of the same QR gets this
 *   if (err.code === "already_redeemed") navigate("/already-used");
 * }
 */
export class QrBridgeError extends Error {
  override name = "QrBridgeError";
  constructor(
    readonly code: QrBridgeErrorCode,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** What {@link createAppClient} is given: the bridge's URL, and optionally a fetch and headers. */
export interface AppClientOptions {
  /** The bridge's public URL, e.g. "https://qr.example.com" (with its base path if mounted). */
  baseUrl: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Extra headers on every call (e.g. a User-Agent naming your app). */
  headers?: Record<string, string>;
  /**
   * The OS the app runs on, sent as `X-QB-Platform` when it is "ios" or "android" (pass React
   * Native's `Platform.OS` as is; other values are not sent). The bridge uses it only to
   * classify this app's own calls, when its HTTP stack's User-Agent names no OS (Dart's does
   * not): it places a scan the app resolves straight from a QR. Hops after a page scan keep the
   * platform of that scan.
   */
  platform?: "ios" | "android" | (string & {});
}

/** Options of {@link AppClient.scanLogin}. */
export interface ScanLoginOptions {
  /**
   * The claim to send (≥ 16 characters, secret), for an app that keeps it to ask again for an
   * answer it lost (e.g. killed mid-call). Default: a fresh random one, sent on every retry of
   * this call.
   */
  claim?: string;
  /**
   * How many times a call that got no answer (or a 5xx) is tried again, same claim, after 0.5 s,
   * 1 s, 2 s… (default 3; none where the runtime has no `crypto` to make a claim and none was
   * given, since a retry without one would be refused as another phone). An answer from the
   * bridge (409, 410, …) is never retried.
   */
  retries?: number;
  signal?: AbortSignal;
}

/** Options of {@link AppClient.resolve}. */
export interface ResolveOptions {
  /**
   * The claim to send (≥ 16 characters, secret): the one of an earlier
   * {@link AwaitingConfirmation}, or one the app kept to ask again for an answer it lost (e.g.
   * killed mid-call). Default: a fresh random one, sent on every retry of this call.
   */
  claim?: string;
  /**
   * How many times a call that got no answer (or a 5xx) is tried again, same claim, after 0.5 s,
   * 1 s, 2 s… (default 3). An answer from the bridge (409, 410, …) is never retried.
   */
  retries?: number;
  /**
   * How the app was reached, when only the app knows (the funnel's `via`): `app_clip` from an
   * App Clip, `manual_code` for a code typed in the app, `clipboard` for a pasted link.
   */
  via?: "app_clip" | "manual_code" | "clipboard" | "smart_banner" | "scheme";
  signal?: AbortSignal;
}

/**
 * What opened the app: the bridge link, or on Android after an installation the Play install
 * referrer string exactly as `InstallReferrerClient` (react-native-play-install-referrer, …)
 * returned it: `{ referrer }`.
 */
export type LinkSource = string | { referrer: string };

/** The events an app reports with {@link AppClient.reportEvent}. */
export type AppEventType = "app_open" | "converted";

/** What `POST /v1/events` answers. A retried event gets the same `event_id` and counts once. */
export interface EventReceipt {
  accepted: true;
  event_id: string;
  kind: "poster" | "handoff";
  subject_id: string;
  attribution: {
    poster_id: string;
    store_id: string | null;
    campaign_id: string | null;
    session: string;
  } | null;
}

/** Options of {@link AppClient.reportEvent}. */
export interface EventOptions {
  /** ISO 4217 code of `value`, e.g. "EUR". */
  currency?: string;
  /**
   * Only counts with a secret key (server side): from an app, an event counts once per session
   * and type whatever the key.
   */
  idempotencyKey?: string;
  /**
   * How many times an event that got no answer (or a 5xx: a `503` when the bridge could not
   * record it) is sent again, after 0.5 s, 1 s, 2 s… or the `503`'s `retry_after` when longer
   * (default 3). Safe: every copy has the same event id and counts once. Other answers (`403`,
   * `429`, …) are thrown at once.
   */
  retries?: number;
  signal?: AbortSignal;
}

/** The app client {@link createAppClient} makes, for one bridge. */
export interface AppClient {
  /**
   * Resolve a bridge link (`/h/…` handoff, `/p/…` poster), or `{ referrer }`: the Play install
   * referrer that stands for one. Consumes a handoff: exactly once — but this caller, if the
   * answer was lost, gets it again with the same claim for a minute (retried here on a network
   * failure or a 5xx).
   */
  resolve(url: LinkSource, opts?: ResolveOptions): Promise<ResolveResult>;
  /**
   * Resolve, and if the PC must confirm, ask again every `intervalMs` (default: the bridge's
   * `retry_after`) with one claim (`claim`: an earlier 202's, else a fresh one) until it approves
   * (→ the handoff), denies (→ `QrBridgeError` "forbidden") or `timeoutMs` passes ("timeout").
   */
  resolveConfirmed(
    url: LinkSource,
    opts?: { claim?: string; intervalMs?: number; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<HandoffResolution | PosterResolution>;
  /**
   * Report an app event: `app_open` or `converted` (with an optional value). `session` is the
   * `session` of the {@link resolve} result, a poster's or a handoff's alike. `{ url }` (the
   * handoff link) or `{ referrer }` counts only on a bridge that sets
   * `QB_HANDOFF_EVENTS_BY_LINK`; elsewhere it is refused (`forbidden`). Resolves once the
   * bridge holds the event (its `202`); sent again on no answer or a `503` (see
   * {@link EventOptions.retries}), and thrown when those run out: the event may then not be counted (send it later).
   */
  reportEvent(
    session: string | { url: string } | { referrer: string },
    type: AppEventType,
    value?: number,
    opts?: EventOptions,
  ): Promise<EventReceipt>;
  /**
   * A QR login link (`/l/…`): who is asking. The first scan only (then `already_scanned`) — but
   * a call that got no answer (or a 5xx) is tried again with the same `claim`, so a scan whose
   * answer was lost is answered again to this app (with the same `scan` handle), not refused.
   */
  scanLogin(url: string, opts?: ScanLoginOptions): Promise<LoginScan>;
  /** The user said no: deny the login with the handle `scanLogin` gave (no key needed). */
  denyLogin(id: string, scan: string, reason?: string): Promise<void>;
}
