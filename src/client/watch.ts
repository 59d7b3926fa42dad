/**
 * Browser side of a handoff or a QR login: create one (through a publishable key or the site's
 * own backend) and follow its status over the WebSocket, falling back to long-polling when
 * sockets fail. Used by the `<qr-bridge>` element; no DOM beyond fetch and WebSocket.
 */

/** What `POST /v1/handoffs` (or `/v1/logins`) returns; a site's backend endpoint answers the same. */
export interface Handoff {
  id: string;
  url: string;
  qr: { svg: string; png: string };
  /** Unix ms, as the bridge sends it (seconds or an ISO date are accepted for backends that reshape it). */
  expires_at: number | string;
  watch: string;
  events_url?: string;
}

/** A status change pushed by the bridge (a login's `approved` carries its `ticket`). */
export interface StatusUpdate {
  status: string;
  device?: unknown;
  ticket?: string;
  other_scans?: number;
}

/** What is watched: handoffs by default; logins end at `approved` and may warn. */
export interface WatchOptions {
  kind?: "handoffs" | "logins";
  /** States after which nothing changes any more (default {@link FINAL}). */
  final?: Set<string>;
  /** A login: another phone was refused (a WebSocket `warning`, or a higher `other_scans`). */
  onWarning?: (device?: unknown) => void;
}

/**
 * An error of the bridge API: `code` is its `error` field (or `network`); `retryAfter`, the
 * seconds a 429 or 503 asked to wait (its `details.retry_after`, or `Retry-After` when exposed).
 */
export class BridgeRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 0,
    readonly retryAfter = 0,
  ) {
    super(message);
  }
}

export interface CreateOptions {
  base: string;
  kind?: "handoffs" | "logins";
  publishableKey?: string | null;
  /** The site's own endpoint that creates the handoff server-side, with its secret key. */
  endpoint?: string | null;
  body: Record<string, unknown>;
  signal?: AbortSignal;
}

/** States after which nothing changes any more. */
export const FINAL = new Set(["redeemed", "expired", "cancelled", "denied"]);

async function send(url: string, init: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new BridgeRequestError("network", (err as Error).message);
  }
  const data = (await res.json().catch(() => null)) as {
    error?: string;
    message?: string;
    details?: { retry_after?: number };
  } | null;
  if (!res.ok) {
    throw new BridgeRequestError(
      data?.error ?? `http_${res.status}`,
      data?.message ?? res.statusText,
      res.status,
      Number(data?.details?.retry_after ?? res.headers.get("retry-after")) || 0,
    );
  }
  return data;
}

/**
 * Create a handoff (or, with `kind: "logins"`, a QR login).
 *
 * @example
 * const h = await createHandoff({ base: "https://qr.example.com", publishableKey: "qb_pk_…", body: { path: "/cart/42" } });
 */
export async function createHandoff(o: CreateOptions): Promise<Handoff> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  let url: string;
  if (o.endpoint) {
    url = new URL(o.endpoint, location.href).href;
  } else {
    if (!o.publishableKey)
      throw new BridgeRequestError("no_key", "set publishable-key or create-endpoint");
    url = `${o.base}/v1/${o.kind ?? "handoffs"}`;
    headers.authorization = `Bearer ${o.publishableKey}`;
  }
  const h = (await send(url, {
    method: "POST",
    headers,
    body: JSON.stringify(o.body),
    credentials: o.endpoint ? "same-origin" : "omit",
    signal: o.signal,
  })) as Handoff;
  if (!h?.id || !h.qr?.svg || !h.watch)
    throw new BridgeRequestError("bad_response", "not a handoff");
  return h;
}

/**
 * Expiry of a handoff in epoch milliseconds: the bridge sends unix ms; seconds (from a backend
 * that reshaped the answer) and ISO dates are read too.
 *
 * @example
 * expiryMs({ expires_at: 1767225600000 } as Handoff) // 1767225600000
 * expiryMs({ expires_at: 1767225600 } as Handoff)    // 1767225600000
 */
export function expiryMs(h: Handoff): number {
  const e = h.expires_at;
  if (typeof e === "number") return e < 1e12 ? e * 1000 : e;
  return Date.parse(e);
}

/** The handoff's HTTP status URL and WebSocket URL, both carrying the watch secret. */
function urls(h: Handoff, base: string, kind = "handoffs"): { poll: string; ws: string } {
  const events = new URL(h.events_url ?? `${base}/v1/${kind}/${h.id}/events`);
  events.searchParams.set("watch", h.watch);
  const poll = new URL(events.href.replace(/^ws/, "http"));
  poll.pathname = poll.pathname.replace(/\/events$/, "");
  events.protocol = events.protocol.replace(/^http/, "ws");
  return { poll: poll.href, ws: events.href };
}

/**
 * confirm: "pc" — approve or deny the phone that scanned, with the watch secret.
 *
 * @example
 * await decide(handoff, "https://qr.example.com", "approve");
 */
export async function decide(h: Handoff, base: string, action: string): Promise<void> {
  const url = new URL(urls(h, base).poll);
  url.search = "";
  await send(`${url.href}/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ watch: h.watch }),
  });
}

/**
 * JSON from an attribute; undefined when empty or not JSON.
 *
 * @example
 * parseJson('{"cart":42}') // { cart: 42 }
 */
export function parseJson(text: string | null): never | undefined {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Follow a handoff's (or login's) status until it is final or `stop()` is called. Tries the
 * WebSocket, reconnects with backoff, and after repeated failures long-polls
 * `?wait=25&since=<status>` (and `&other_scans=<seen>` for a login).
 *
 * @example
 * const stop = watchHandoff(h, base, (u) => console.log(u.status));
 */
export function watchHandoff(
  h: Handoff,
  base: string,
  onUpdate: (u: StatusUpdate) => void,
  opts: WatchOptions = {},
): () => void {
  const final = opts.final ?? FINAL;
  const { poll, ws: wsUrl } = urls(h, base, opts.kind);
  let stopped = false;
  let failures = 0;
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const abort = new AbortController();
  // What the page already shows: a poll asks for a change from it, so none is missed.
  let last = (h as { status?: string }).status ?? "pending";
  let seen = 0;

  const emit = (u: StatusUpdate) => {
    if (stopped) return;
    if ((u.other_scans ?? 0) > seen) {
      seen = u.other_scans!;
      opts.onWarning?.();
    }
    if (!u.status || u.status === last) return;
    last = u.status;
    onUpdate(u);
    if (final.has(u.status)) stop();
  };

  const connect = () => {
    if (stopped) return;
    if (typeof WebSocket === "undefined" || failures >= 3) return void longPoll();
    const s = new WebSocket(wsUrl);
    socket = s;
    let opened = false;
    s.onopen = () => {
      opened = true;
      failures = 0;
    };
    s.onmessage = (e) => {
      try {
        const m = JSON.parse(String(e.data)) as StatusUpdate & { type?: string };
        if (m.type === "status") emit(m);
        if (m.type === "warning") {
          seen++;
          opts.onWarning?.((m as { device?: unknown }).device);
        }
      } catch {}
    };
    // Chromium fires only `error`, never `close`, for a socket the page's CSP refuses (a
    // connect-src without wss:), so either event ends this socket, once.
    s.onerror = s.onclose = () => {
      if (stopped || socket !== s) return;
      socket = null;
      // A socket that never opened (blocked by a proxy or a CSP?) counts twice: long-poll sooner.
      failures += opened ? 1 : 2;
      timer = setTimeout(connect, 500 * failures);
    };
  };

  const longPoll = async () => {
    while (!stopped) {
      const started = Date.now();
      try {
        // `since` makes the server answer at once if the status moved between two polls.
        const url = `${poll}&wait=25&since=${last}${opts.onWarning ? `&other_scans=${seen}` : ""}`;
        const u = (await send(url, { signal: abort.signal })) as StatusUpdate;
        emit(u);
      } catch (err) {
        if (stopped) return;
        const code = (err as BridgeRequestError).code;
        if (code === "expired" || code === "not_found") return emit({ status: "expired" });
      }
      // A server that answers at once (no change, or an error) is not polled in a tight loop.
      const spent = Date.now() - started;
      if (spent < 2000) await new Promise((r) => (timer = setTimeout(r, 2000 - spent)));
    }
  };

  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    abort.abort();
    socket?.close();
    socket = null;
  };
  connect();
  return stop;
}
