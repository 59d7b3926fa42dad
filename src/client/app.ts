/**
 * The app client (`qrbridge/client`): what a mobile app — React Native, a web view, or any
 * JavaScript runtime with `fetch` — calls when the OS opens it with a bridge link.
 * No DOM, no dependencies: only `fetch`.
 *
 * @example
 * import { createAppClient, QrBridgeError } from "qrbridge/client";
 * const bridge = createAppClient({ baseUrl: "https://qr.example.com" });
 * Linking.addEventListener("url", async ({ url }) => {
 *   try {
 *     const r = await bridge.resolve(url);
 *     if (r.kind === "handoff") navigate(r.path, r.payload);
 *     if (r.kind === "poster") { navigate(r.path, r.params); await bridge.reportEvent(r.session, "app_open"); }
 *   } catch (err) {
 *     if (err instanceof QrBridgeError && err.code === "already_redeemed") showAlreadyUsed();
 *   }
 * });
 * // A QR login link: show who is asking, then let your backend approve (see docs/logins.md).
 * if (isLoginLink(url)) showLoginPrompt(await bridge.scanLogin(url));
 * // Android, first launch after installing from the landing page's Google Play link:
 * const r = await bridge.resolve({ referrer: installReferrerString });
 */
import type { LoginScan } from "./app-login";

export * from "./app-login";

/** A handoff from a PC page: the payload is returned once, to this call only. */
export interface HandoffResolution {
  kind: "handoff";
  id: string;
  path: string | null;
  payload: unknown;
  metadata: Record<string, string> | null;
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
  /** Secret proving this device made the claim; send it back on the next resolve. */
  claim: string | null;
  /** Seconds the bridge asks the app to wait before asking again. */
  retryAfter: number;
}

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

/** A failed call: `code` is the bridge's `error` field, `status` the HTTP status (0: no answer). */
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

export interface ResolveOptions {
  /** The claim from an earlier {@link AwaitingConfirmation}. */
  claim?: string;
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

export interface EventOptions {
  /** ISO 4217 code of `value`, e.g. "EUR". */
  currency?: string;
  /**
   * Only counts with a secret key (server side): from an app, an event counts once per session
   * and type whatever the key.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface AppClient {
  /**
   * Resolve a bridge link (`/h/…` handoff, `/p/…` poster), or `{ referrer }`: the Play install
   * referrer that stands for one. Consumes a handoff: exactly once.
   */
  resolve(url: LinkSource, opts?: ResolveOptions): Promise<ResolveResult>;
  /**
   * Resolve, and if the PC must confirm, ask again every `intervalMs` (default: the bridge's
   * `retry_after`) with the claim until it approves
   * (→ the handoff), denies (→ `QrBridgeError` "forbidden") or `timeoutMs` passes ("timeout").
   */
  resolveConfirmed(
    url: LinkSource,
    opts?: { intervalMs?: number; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<HandoffResolution | PosterResolution>;
  /**
   * Report an app event: `app_open` or `converted` (with an optional value). `session` is the
   * poster result's `session`; for a handoff pass `{ url }` with the link that opened the app
   * (or `{ referrer }` when a Play install referrer did).
   */
  reportEvent(
    session: string | { url: string } | { referrer: string },
    type: AppEventType,
    value?: number,
    opts?: EventOptions,
  ): Promise<EventReceipt>;
  /** A QR login link (`/l/…`): who is asking. The first scan only (then `already_scanned`). */
  scanLogin(url: string, opts?: { signal?: AbortSignal }): Promise<LoginScan>;
  /** The user said no: deny the login with the handle `scanLogin` gave (no key needed). */
  denyLogin(id: string, scan: string, reason?: string): Promise<void>;
}

type Json = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/**
 * Shape the JSON of `POST /v1/resolve` into a {@link ResolveResult}.
 *
 * @example
 * parseResolve({ kind: "handoff", id: "8QK3…", path: "/cart/42", payload: { cart: 42 } }, 200)
 */
export function parseResolve(body: Json, status: number): ResolveResult {
  const s = body.status;
  if (status === 202 || s === "awaiting_confirmation" || s === "awaiting") {
    const retry = Number(body.retry_after);
    return {
      kind: "awaiting_confirmation",
      id: str(body.id),
      claim: str(body.claim),
      retryAfter: Number.isFinite(retry) && retry > 0 ? retry : 2,
    };
  }
  if (body.kind === "handoff") {
    return {
      kind: "handoff",
      id: String(body.id ?? ""),
      path: str(body.path),
      payload: body.payload ?? null,
      metadata: (body.metadata as Record<string, string> | null) ?? null,
    };
  }
  if (body.kind === "poster") {
    const a = (body.attribution ?? {}) as Json;
    const attribution: Attribution = {
      ...a,
      store_id: str(a.store_id),
      campaign_id: str(a.campaign_id),
      poster_id: str(a.poster_id ?? body.id),
      session: str(a.session ?? body.session),
    };
    return {
      kind: "poster",
      id: String(body.id ?? attribution.poster_id ?? ""),
      path: str(body.path),
      params: (body.params as Record<string, string>) ?? {},
      attribution,
      session: attribution.session,
    };
  }
  throw new QrBridgeError(
    "bad_response",
    `unknown resolve result kind ${String(body.kind)}`,
    status,
  );
}

/**
 * Create a client for one bridge.
 *
 * @example
 * const bridge = createAppClient({ baseUrl: "https://qr.example.com" });
 * const result = await bridge.resolve("https://qr.example.com/h/8QK3…");
 */
export function createAppClient(options: AppClientOptions): AppClient {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const headers: Record<string, string> = {
    ...options.headers,
    "content-type": "application/json",
  };
  if (options.platform === "ios" || options.platform === "android")
    headers["x-qb-platform"] = options.platform;

  async function post(path: string, body: Json, signal?: AbortSignal): Promise<[Json, number]> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if ((err as Error)?.name === "AbortError") throw err;
      throw new QrBridgeError(
        "network",
        `could not reach the bridge: ${(err as Error)?.message}`,
        0,
      );
    }
    const text = await res.text();
    let json: Json | null = null;
    try {
      json = text ? (JSON.parse(text) as Json) : {};
    } catch {}
    if (!res.ok) {
      throw new QrBridgeError(
        str(json?.error) ?? `http_${res.status}`,
        str(json?.message) ?? `the bridge answered ${res.status}`,
        res.status,
        json?.details,
      );
    }
    if (!json || typeof json !== "object")
      throw new QrBridgeError("bad_response", "the bridge did not answer JSON", res.status);
    return [json, res.status];
  }

  const client: AppClient = {
    async resolve(url, opts = {}) {
      const body: Json = typeof url === "string" ? { url } : { referrer: url.referrer };
      if (opts.claim) body.claim = opts.claim;
      if (opts.via) body.via = opts.via;
      const [json, status] = await post("/v1/resolve", body, opts.signal);
      return parseResolve(json, status);
    },

    async resolveConfirmed(url, opts = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
      let claim: string | undefined;
      for (;;) {
        const r = await client.resolve(url, { claim, signal: opts.signal });
        if (r.kind !== "awaiting_confirmation") return r;
        claim = r.claim ?? claim;
        const interval = opts.intervalMs ?? r.retryAfter * 1000;
        if (Date.now() + interval > deadline)
          throw new QrBridgeError("timeout", "the PC did not confirm in time", 0);
        await new Promise((resolve) => setTimeout(resolve, interval));
      }
    },

    async reportEvent(session, type, value, opts = {}) {
      const body: Json = typeof session === "string" ? { session, type } : { ...session, type };
      if (value !== undefined) body.value = value;
      if (opts.currency) body.currency = opts.currency;
      if (opts.idempotencyKey) body.idempotency_key = opts.idempotencyKey;
      const [json] = await post("/v1/events", body, opts.signal);
      return json as unknown as EventReceipt;
    },

    async scanLogin(url, opts = {}) {
      const [json] = await post("/v1/logins/scan", { url }, opts.signal);
      if (typeof json.scan !== "string" || typeof json.id !== "string")
        throw new QrBridgeError("bad_response", "not a login scan", 200);
      return json as unknown as LoginScan;
    },

    async denyLogin(id, scan, reason) {
      await post(`/v1/logins/${encodeURIComponent(id)}/deny`, reason ? { scan, reason } : { scan });
    },
  };
  return client;
}
