/**
 * Middleware shared by the `/v1` API: response headers and CORS, and API-key authentication
 * with scopes, allowed origins and rate limits. The JSON body guard: routes/body-guard.ts.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, AuthContext } from "../app-env";
import type { AuditActor } from "../core/audit";
import { clientKey } from "../core/client-ip";
import { ApiError } from "../core/errors";
import { sha256Hex } from "../core/hash";
import { keyExpired } from "../core/key-expiry";
import { constantTimeEqual } from "../core/token";
import { familyAuth } from "../store/key-family";
import { noteKeyUse } from "../store/key-use";
import { type ApiKeyRecord, findUnrevokedKey, PUBLISHABLE_SCOPES, type Scope } from "../store/keys";
import { storeGone } from "./store-scope";

/**
 * `Cache-Control: no-store` on every API response, and CORS. The API authenticates with bearer
 * keys, never cookies, so any origin may call it; publishable keys are additionally pinned to
 * their allowed origins in {@link requireKey}.
 *
 * @example
 * app.use("/v1/*", apiHeaders());
 */
export function apiHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === "OPTIONS") {
      return new Response(null, {
        status: 204,
        headers: {
          "access-control-allow-origin": "*",
          "access-control-allow-methods": "GET, POST, PATCH, DELETE, OPTIONS",
          "access-control-allow-headers":
            "authorization, content-type, idempotency-key, x-qb-platform",
          "access-control-max-age": "86400",
        },
      });
    }
    await next();
    c.res.headers.set("cache-control", "no-store");
    c.res.headers.set("access-control-allow-origin", "*");
  };
}

/**
 * The `/v1` requests the console forwards for a dashboard session, each with its session's key.
 * Only the Worker's own code can put a request here (routes/console-api.ts), so no header or
 * cookie from outside can make a request count as a session's.
 */
export const sessionRequests = new WeakMap<Request, AuthContext>();

/**
 * First middleware of `/v1/*`: a request the console forwards for a dashboard session carries
 * that session's key (in `c.var.sessionCaller`), read before any middleware may replace the
 * request object. {@link requireKey} then checks its scopes as it would a bearer key's.
 *
 * @example
 * app.use("/v1/*", adoptSessionCaller(), apiHeaders(), jsonBodyGuard());
 */
export function adoptSessionCaller(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const caller = sessionRequests.get(c.req.raw);
    if (caller) c.set("sessionCaller", caller);
    await next();
  };
}

function bearer(c: Context<AppEnv>): string | null {
  const header = c.req.header("authorization");
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}

/** What a route lets a publishable key do besides nothing at all. */
export interface KeyOptions {
  /**
   * Set only on the routes that CREATE handoffs or logins: the one thing a publishable key
   * (`qb_pk_…`, public: it sits in the page) may do. Everything else — watching, approving,
   * denying, cancelling — needs the watch secret or a secret key, because anyone can copy a
   * publishable key and set `Origin`.
   */
  publishable?: "create";
}

/**
 * Authenticate the caller. Accepts the admin key (constant-time compare of hashes) or an API
 * key holding `scope`. Publishable keys pass only on routes that declare `publishable:
 * "create"`, only for scopes they may hold, only from an allowed `Origin`, and only within the
 * rate limit.
 *
 * @example
 * app.openapi({ ...route, middleware: [requireKey("posters:write")] }, handler);
 * app.openapi({ ...create, middleware: [requireKey("handoffs:write", { publishable: "create" })] }, handler);
 */
export function requireKey(
  scope: Scope | "admin",
  options: KeyOptions = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = await authenticate(c, scope, options);
    c.set("auth", auth);
    await next();
  };
}

/**
 * The authentication behind {@link requireKey}, for routes that accept another credential too
 * (e.g. a handoff's `watch` secret): returns null when no bearer key was sent. A publishable
 * key is refused (403): these routes act on something that exists, which a public key may not.
 *
 * @example
 * const auth = await authenticateOptional(c, "handoffs:write");
 * if (!auth && !watchOk) throw new ApiError("unauthorized", "…");
 */
export async function authenticateOptional(
  c: Context<AppEnv>,
  scope: Scope | "admin",
): Promise<AuthContext | null> {
  return bearer(c) === null && !c.var.sessionCaller ? null : authenticate(c, scope, {});
}

/**
 * A dashboard session's key against a route's scope: the admin key may do anything. Also the
 * dashboard's own data routes' check (routes/dashboard-api.ts), on the session's key read afresh.
 *
 * @example
 * sessionScopeCheck(c.var.auth, "stats:read");
 */
export function sessionScopeCheck(caller: AuthContext, scope: Scope | "admin"): AuthContext {
  if (caller.kind === "admin") return caller;
  if (scope === "admin") throw new ApiError("forbidden", "this endpoint needs the admin key");
  if (!caller.scopes.includes(scope))
    throw new ApiError("forbidden", `this key lacks the ${scope} scope`);
  return caller;
}

async function authenticate(
  c: Context<AppEnv>,
  scope: Scope | "admin",
  options: KeyOptions,
): Promise<AuthContext> {
  const caller = c.var.sessionCaller;
  if (caller) return sessionScopeCheck(caller, scope);
  const key = bearer(c);
  if (!key) throw new ApiError("unauthorized", "send an API key as `Authorization: Bearer <key>`");
  const config = c.var.config;
  if (!key.startsWith("qb_sk_") && !key.startsWith("qb_pk_")) {
    const [given, expected] = await Promise.all([sha256Hex(key), sha256Hex(config.adminKey)]);
    if (constantTimeEqual(given, expected))
      return { kind: "admin", keyId: "admin", scopes: ["admin"] };
    throw new ApiError("unauthorized", "the API key is not valid");
  }
  const record = await findUnrevokedKey(c.env.DB, key);
  if (!record) throw new ApiError("unauthorized", "the API key is not valid or has been revoked");
  // A refused call still shows the key is in use somewhere: noted before the checks below (an
  // old key still called after its roll's grace shows in its last_used_at).
  noteKeyUsed(c, record);
  // On every request, cached record or not: a rolled or temporary key ends on time everywhere.
  if (keyExpired(record.expires_at, Date.now()))
    throw new ApiError(
      "key_expired",
      "the API key has expired: use the key it was rolled to, or a new one",
      {
        expires_at: record.expires_at,
      },
    );
  if (scope === "admin") throw new ApiError("forbidden", "this endpoint needs the admin key");
  if (record.kind === "publishable" && options.publishable !== "create") {
    throw new ApiError(
      "forbidden",
      "publishable keys may only create handoffs and logins; use the watch secret or a secret key",
    );
  }
  if (!record.scopes.includes(scope))
    throw new ApiError("forbidden", `this key lacks the ${scope} scope`);
  // Every key of its roll chain is the same caller (store/key-family.ts).
  const auth: AuthContext = {
    kind: record.kind,
    keyId: record.id,
    scopes: record.scopes,
    ...familyAuth(record),
  };
  if (record.kind === "publishable") {
    if (!PUBLISHABLE_SCOPES.includes(scope))
      throw new ApiError("forbidden", "publishable keys may only create handoffs and logins");
    const origin = c.req.header("origin");
    if (!origin || !record.origins.includes(origin)) {
      throw new ApiError("forbidden", "this publishable key may not be used from this origin", {
        origin: origin ?? null,
      });
    }
    if (c.env.PUBLIC_LIMITER) {
      // Per client as the keyless budgets are: an IPv6 client by its /64 (core/client-ip.ts).
      const ip = clientKey(c.req.header("cf-connecting-ip") ?? "unknown");
      const { success } = await c.env.PUBLIC_LIMITER.limit({ key: `${budgetKey(auth)}:${ip}` });
      if (!success)
        throw new ApiError("rate_limited", "too many requests for this publishable key; slow down");
    }
  }
  if (record.store_id === null) return auth;
  if (!record.store_exists) throw storeGone(record.store_id);
  return { ...auth, storeId: record.store_id };
}

/**
 * The key id a caller's per-client rate budgets are counted under: a rolled key's family (its
 * chain's first key), so every key of one chain shares one budget (`AuthContext.budgetKeyId`).
 *
 * @example
 * await limiter.limit({ key: `${budgetKey(auth)}:${ip}` });
 */
export function budgetKey(auth: AuthContext): string {
  return auth.budgetKeyId ?? auth.keyId;
}

/**
 * Note a key's use (`api_keys.last_used_at`, to the hour: store/key-use.ts `noteKeyUse`); the write,
 * when one is due, runs after the response.
 *
 * @example
 * const record = await findUnrevokedKey(c.env.DB, key);
 * if (record) noteKeyUsed(c, record);
 */
export function noteKeyUsed(c: Context<AppEnv>, record: ApiKeyRecord): void {
  const work = noteKeyUse(c.env.DB, record, Date.now());
  if (!work) return;
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // No execution context (app.request in a test): the promise runs on its own.
  }
}

/**
 * Who the audit log names for this authenticated request: its key (the session's key for the
 * console), and whether it came through the console.
 *
 * @example
 * await revokeKey(c.env.DB, id, actorOf(c));
 */
export function actorOf(c: Context<AppEnv>): AuditActor {
  return { actor: c.var.auth.keyId, via: c.var.sessionCaller ? "console" : "api" };
}

/**
 * Hand a WebSocket request on to a Durable Object: refuse anything but an upgrade (426), then
 * relay the object's answer — its 101 with the socket, or its refusal as it is. `open` makes a
 * fresh request to the object carrying only what the route vouches for.
 *
 * @example
 * return relayWebSocket(c, () => handoffStub(c.env, id).fetch("https://handoff.internal/events", { headers }));
 */
export async function relayWebSocket(
  c: Context<AppEnv>,
  open: () => Promise<Response>,
): Promise<Response> {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(
      "bad_request",
      "this endpoint is a WebSocket: send Upgrade: websocket",
      undefined,
      426,
    );
  }
  const res = await open();
  if (res.status !== 101) return new Response(res.body, res);
  return new Response(null, { status: 101, webSocket: res.webSocket });
}
