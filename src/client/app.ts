/**
 * The app client (`qrbridge/client`): what a mobile app — React Native, a web view, or any
 * JavaScript runtime with `fetch` — calls when the OS opens it with a bridge link.
 * No DOM, no dependencies: only `fetch`. A whole app's use is the example of
 * {@link createAppClient} (this header is not in the package's declarations; that one is, and
 * `npm run check:examples` compiles it).
 */
import type { LoginScan } from "./app-login";
import {
  type AppClient,
  type AppClientOptions,
  type Attribution,
  type EventReceipt,
  QrBridgeError,
  type ResolveResult,
} from "./app-types";
import { base64url } from "./base64url";

export * from "./app-login";
export * from "./app-types";

type Json = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * No answer (status 0) or the bridge failed (5xx): worth asking again. An answer (409, 410, …)
 * is final, and an abort is the caller's.
 */
const retriable = (err: unknown): err is QrBridgeError =>
  err instanceof QrBridgeError && (err.status === 0 || err.status >= 500);

/** Longest wait a `retry_after` may ask of an event's retry (ms): the app is waiting on it. */
const MAX_EVENT_RETRY_WAIT_MS = 30_000;

/**
 * The wait before the `i`th retry of an event: 0.5 s, 1 s, 2 s… or the `details.retry_after` of
 * the bridge's 503 when that is longer (at most 30 s).
 */
function eventRetryWait(err: QrBridgeError, i: number): number {
  const after = Number((err.details as { retry_after?: unknown } | undefined)?.retry_after);
  const asked = Number.isFinite(after) && after > 0 ? after * 1000 : 0;
  return Math.min(Math.max(500 * 2 ** i, asked), MAX_EVENT_RETRY_WAIT_MS);
}

/**
 * Run `attempt`, and again after `wait(err, i)` on no answer or a 5xx, at most `retries` more
 * times; any other error, or an abort of `signal`, is thrown at once.
 *
 * @example
 * const r = await retrying(() => post("/v1/resolve", body), 3, (_, i) => 500 * 2 ** i);
 */
async function retrying<T>(
  attempt: () => Promise<T>,
  retries: number,
  wait: (err: QrBridgeError, i: number) => number,
  signal?: AbortSignal,
): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!retriable(err) || i >= retries || signal?.aborted) throw err;
      await sleep(wait(err, i));
      signal?.throwIfAborted();
    }
  }
}

/**
 * A fresh claim: 128 random bits, base64url. None where the runtime has no `crypto` (the bridge
 * then issues a `confirm: "pc"` claim itself, and a lost answer cannot be asked for again).
 */
function newClaim(): string | undefined {
  if (typeof crypto === "undefined" || !crypto.getRandomValues) return undefined;
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}

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
      // Left out when the bridge did not say (an older bridge), so nothing is claimed.
      ...(body.created_by === "server" || body.created_by === "page"
        ? { created_by: body.created_by }
        : {}),
      session: str(body.session),
      ...(typeof body.session_expires_at === "number"
        ? { session_expires_at: body.session_expires_at }
        : {}),
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
 *
 * @example
 * // React Native: every link the OS opens the app with
 * import { createAppClient, isLoginLink, QrBridgeError } from "qrbridge/client";
 * const bridge = createAppClient({ baseUrl: "https://qr.example.com" });
 * Linking.addEventListener("url", async ({ url }) => {
 *   // A QR login link: show who is asking, then let your backend approve (see docs/logins.md).
 *   if (isLoginLink(url)) return showLogin(await bridge.scanLogin(url));
 *   try {
 *     const r = await bridge.resolve(url);
 *     if (r.kind === "awaiting_confirmation") return; // or use resolveConfirmed
 *     navigate(r.path ?? "/", r.kind === "handoff" ? r.payload : r.params);
 *     // A handoff's session and a poster's alike: keep it for the conversion too.
 *     if (r.session) await bridge.reportEvent(r.session, "app_open");
 *   } catch (err) {
 *     if (err instanceof QrBridgeError && err.code === "already_redeemed") navigate("/already-used");
 *   }
 * });
 * // Android, first launch after installing from the landing page's Google Play link:
 * const first = await bridge.resolve({ referrer: installReferrer });
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
      // One claim for every try: if a 200 was lost, the bridge answers it again to this claim only.
      const claim = opts.claim ?? newClaim();
      if (claim) body.claim = claim;
      if (opts.via) body.via = opts.via;
      const attempt = async () => {
        const [json, status] = await post("/v1/resolve", body, opts.signal);
        const r = parseResolve(json, status);
        // The bridge shows a claim only when it made one: else ours is the one to send back.
        if (r.kind === "awaiting_confirmation") r.claim ??= claim ?? null;
        return r;
      };
      return retrying(attempt, opts.retries ?? 3, (_, i) => 500 * 2 ** i, opts.signal);
    },

    async resolveConfirmed(url, opts = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
      let claim = opts.claim ?? newClaim();
      for (;;) {
        const r = await client.resolve(url, { claim, signal: opts.signal });
        if (r.kind !== "awaiting_confirmation") return r;
        claim = r.claim ?? claim;
        const interval = opts.intervalMs ?? r.retryAfter * 1000;
        if (Date.now() + interval > deadline)
          throw new QrBridgeError("timeout", "the PC did not confirm in time", 0);
        await sleep(interval);
      }
    },

    async reportEvent(session, type, value, opts = {}) {
      const body: Json = typeof session === "string" ? { session, type } : { ...session, type };
      if (value !== undefined) body.value = value;
      if (opts.currency) body.currency = opts.currency;
      if (opts.idempotencyKey) body.idempotency_key = opts.idempotencyKey;
      // Sent again on no answer or a 5xx (a 503: the bridge could not record it): the event id
      // is derived from the session, type and key, never drawn, so every copy counts once.
      const attempt = async () => (await post("/v1/events", body, opts.signal))[0];
      const json = await retrying(attempt, opts.retries ?? 3, eventRetryWait, opts.signal);
      return json as unknown as EventReceipt;
    },

    async scanLogin(url, opts = {}) {
      // One claim for every try: if the 200 was lost, the bridge answers it again to this claim
      // only. Without one a retry would be refused as another phone, so there is none.
      const claim = opts.claim ?? newClaim();
      const body: Json = claim ? { url, claim } : { url };
      const attempt = async () => {
        const [json] = await post("/v1/logins/scan", body, opts.signal);
        if (typeof json.scan !== "string" || typeof json.id !== "string")
          throw new QrBridgeError("bad_response", "not a login scan", 200);
        return json as unknown as LoginScan;
      };
      const retries = claim ? (opts.retries ?? 3) : 0;
      return retrying(attempt, retries, (_, i) => 500 * 2 ** i, opts.signal);
    },

    async denyLogin(id, scan, reason) {
      await post(`/v1/logins/${encodeURIComponent(id)}/deny`, reason ? { scan, reason } : { scan });
    },
  };
  return client;
}
