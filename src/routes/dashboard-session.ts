/**
 * The console's session: the HttpOnly, Secure, SameSite=Strict cookie a signed-in browser holds,
 * and the checks every console change passes. CSRF does not rest on SameSite alone: every
 * state-changing request must come from this origin (`Origin`, else `Sec-Fetch-Site`) and,
 * once signed in, carry the session's CSRF token (`x-csrf-token` from script, a `csrf` field
 * from a form), compared in constant time. Sign-in and sign-out: routes/dashboard.ts.
 */
import type { Context, MiddlewareHandler } from "hono";
import { generateCookie, getCookie } from "hono/cookie";
import type { AppEnv } from "../app-env";
import { ApiError } from "../core/errors";
import { constantTimeEqual } from "../core/token";
import type { DashboardSession } from "../store/dashboard-sessions";
import { familyAuth } from "../store/key-family";
import { SESSION_COOKIE } from "./access";
import { adminKit } from "./lazy-modules";
import { storeGone } from "./store-scope";

const cookiePath = (c: Context<AppEnv>) => `${c.var.config.basePath}/dashboard`;

/** The Set-Cookie header of the session cookie (`""` and 0 clear it). */
export function sessionCookie(c: Context<AppEnv>, value: string, maxAgeSeconds: number): string {
  return generateCookie(SESSION_COOKIE, value, {
    path: cookiePath(c),
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    maxAge: maxAgeSeconds,
  });
}

/**
 * The dashboard session of this request, or null. Its lookup is the admin kit's, loaded only
 * when the request carries a session cookie.
 *
 * @example
 * const session = await currentSession(c);
 */
export async function currentSession(c: Context<AppEnv>): Promise<DashboardSession | null> {
  const value = getCookie(c, SESSION_COOKIE);
  if (!value) return null;
  return (await adminKit()).findSession(c.env.DB, value, c.var.config);
}

/**
 * Middleware for `/dashboard/api/*`: a live session cookie, else 401 JSON.
 *
 * @example
 * app.use("/dashboard/api/*", requireDashboardSession());
 */
export function requireDashboardSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = await currentSession(c);
    if (!session) throw new ApiError("unauthorized", "sign in at /dashboard first");
    if (!SAFE_METHODS.has(c.req.method)) {
      if (!sameOrigin(c))
        throw new ApiError("forbidden", "the console only accepts changes from its own pages");
      if (!csrfOk(session, c.req.header("x-csrf-token")))
        throw new ApiError("forbidden", "missing or wrong x-csrf-token; reload the page", {
          field: "x-csrf-token",
        });
    }
    if (session.storeId !== null && !session.storeExists) throw storeGone(session.storeId);
    c.set("auth", {
      kind: session.keyId === "admin" ? "admin" : "secret",
      keyId: session.keyId,
      scopes: session.scopes,
      // One caller with the key's roll chain, as the key is with a bearer (middleware.ts).
      ...familyAuth(session),
      ...(session.storeId === null ? {} : { storeId: session.storeId }),
    });
    await next();
    c.res.headers.set("cache-control", "no-store");
    c.res.headers.set("x-content-type-options", "nosniff");
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD"]);

/** Whether `given` is the session's CSRF token (constant time). */
export function csrfOk(session: DashboardSession, given: string | undefined | null): boolean {
  return typeof given === "string" && constantTimeEqual(given, session.csrf);
}

/**
 * Whether a state-changing request comes from this origin (the CSRF check): `Origin` must be
 * ours; when a browser withholds it (`Origin: null`, e.g. under a no-referrer policy),
 * `Sec-Fetch-Site` must say same-origin. A request with neither is not from a browser form.
 */
export function sameOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header("origin");
  const site = c.req.header("sec-fetch-site");
  if (origin && origin !== "null")
    return origin === new URL(c.req.url).origin || origin === c.var.config.publicOrigin;
  if (site !== undefined) return site === "same-origin";
  return origin === undefined;
}
