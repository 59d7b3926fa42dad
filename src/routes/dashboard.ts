/**
 * `/dashboard`: sign in with an API key (exchanged for an HttpOnly, Secure, SameSite=Strict
 * session cookie), see the funnel, sign out. CSRF: the cookie is SameSite=Strict and every
 * POST must come from this origin (`Origin`, else `Sec-Fetch-Site`).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { generateCookie, getCookie } from "hono/cookie";
import type { App, AppEnv } from "../app-env";
import { resolveRange } from "../core/day-range";
import { ApiError } from "../core/errors";
import { sha256Hex } from "../core/hash";
import { constantTimeEqual } from "../core/token";
import { renderDashboardPage, renderLoginPage } from "../pages/dashboard";
import { htmlResponse, newNonce } from "../pages/security";
import {
  createSession,
  type DashboardSession,
  deleteSession,
  findSession,
  SESSION_TTL_MS,
} from "../store/dashboard-sessions";
import { findActiveKey } from "../store/keys";
import { access, SESSION_COOKIE } from "./access";
import { browserKit } from "./lazy-modules";
import { errorResponses } from "./schemas";

const cookiePath = (c: Context<AppEnv>) => `${c.var.config.basePath}/dashboard`;

function sessionCookie(c: Context<AppEnv>, value: string, maxAgeSeconds: number): string {
  return generateCookie(SESSION_COOKIE, value, {
    path: cookiePath(c),
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    maxAge: maxAgeSeconds,
  });
}

/**
 * The dashboard session of this request, or null.
 *
 * @example
 * const session = await currentSession(c);
 */
export async function currentSession(c: Context<AppEnv>): Promise<DashboardSession | null> {
  const value = getCookie(c, SESSION_COOKIE);
  return value ? findSession(c.env.DB, value, c.var.config) : null;
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
    c.set("auth", {
      kind: session.keyId === "admin" ? "admin" : "secret",
      keyId: session.keyId,
      scopes: ["stats:read"],
    });
    await next();
    c.res.headers.set("cache-control", "no-store");
    c.res.headers.set("x-content-type-options", "nosniff");
  };
}

/**
 * Whether a state-changing request comes from this origin (the CSRF check): `Origin` must be
 * ours; when a browser withholds it (`Origin: null`, e.g. under a no-referrer policy),
 * `Sec-Fetch-Site` must say same-origin. A request with neither is not from a browser form.
 */
function sameOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header("origin");
  const site = c.req.header("sec-fetch-site");
  const allowed = new Set([new URL(c.req.url).origin]);
  if (c.var.config.publicUrl) allowed.add(new URL(c.var.config.publicUrl).origin);
  if (origin && origin !== "null") return allowed.has(origin);
  if (site !== undefined) return site === "same-origin";
  return origin === undefined;
}

/** Which key signs in: a secret key holding stats:read, or the admin key. */
async function keyIdFor(c: Context<AppEnv>, key: string): Promise<string | { error: string }> {
  const invalid = { error: "That key is not valid or has been revoked." };
  if (key.startsWith("qb_pk_"))
    return { error: "Publishable keys cannot open the dashboard; use a secret key." };
  if (key.startsWith("qb_sk_")) {
    const record = await findActiveKey(c.env.DB, key);
    if (!record) return invalid;
    if (!record.scopes.includes("stats:read"))
      return { error: "This key lacks the stats:read scope." };
    return record.id;
  }
  const [given, expected] = await Promise.all([sha256Hex(key), sha256Hex(c.var.config.adminKey)]);
  return constantTimeEqual(given, expected) ? "admin" : invalid;
}

function page(html: string, nonce: string, status = 200, cookie?: string): Response {
  const res = htmlResponse(html, { nonce, status });
  // No token ever sits in a dashboard URL, and with `no-referrer` browsers send `Origin: null`
  // on form posts, which would defeat the origin check.
  res.headers.set("referrer-policy", "same-origin");
  if (cookie) res.headers.append("set-cookie", cookie);
  return res;
}

function redirect(location: string, cookie: string): Response {
  return new Response(null, {
    status: 303,
    headers: { location, "set-cookie": cookie, "cache-control": "no-store" },
  });
}

const HtmlPage = { "text/html": { schema: z.string() } };
const Filters = z.object({
  from: z.string().max(20).optional(),
  to: z.string().max(20).optional(),
  store_id: z.string().max(64).optional(),
  campaign_id: z.string().max(64).optional(),
});

/**
 * Register the dashboard pages.
 *
 * @example
 * registerDashboardRoutes(app);
 */
export function registerDashboardRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/dashboard",
      operationId: "getDashboard",
      security: access.sessionOptional,
      tags: ["dashboard"],
      summary: "The funnel dashboard (the sign-in form without a session)",
      request: { query: Filters },
      responses: {
        200: { description: "Dashboard or sign-in page", content: HtmlPage },
        ...errorResponses(400),
      },
    }),
    async (c) => {
      const base = c.var.config.basePath;
      const nonce = newNonce();
      const session = await currentSession(c);
      if (!session) {
        // A stale cookie is cleared so the browser stops sending it.
        const stale = getCookie(c, SESSION_COOKIE) ? sessionCookie(c, "", 0) : undefined;
        return page(renderLoginPage({ base, nonce }), nonce, 200, stale);
      }
      const q = c.req.valid("query");
      let range: { from: string; to: string };
      try {
        range = resolveRange(q.from || undefined, q.to || undefined);
      } catch {
        range = resolveRange();
      }
      const filters = {
        ...range,
        store_id: q.store_id || undefined,
        campaign_id: q.campaign_id || undefined,
      };
      const { DASHBOARD_JS: script } = await browserKit();
      return page(renderDashboardPage({ base, nonce, filters, script }), nonce);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/dashboard/login",
      operationId: "signInToDashboard",
      security: access.public,
      tags: ["dashboard"],
      summary: "Exchange an API key (stats:read) for a dashboard session cookie",
      middleware: [
        bodyLimit({
          maxSize: 4096,
          onError: () => {
            throw new ApiError("payload_too_large", "the sign-in form is larger than 4096 bytes");
          },
        }),
      ] as const,
      request: {
        body: {
          content: {
            "application/x-www-form-urlencoded": { schema: z.object({ key: z.string().max(300) }) },
          },
          required: true,
        },
      },
      responses: {
        303: { description: "Signed in: the session cookie is set; on to /dashboard" },
        ...errorResponses(400, 413, 415),
        401: { description: "Wrong key: the sign-in form again", content: HtmlPage },
        403: { description: "Cross-origin request refused", content: HtmlPage },
      },
    }),
    async (c) => {
      const base = c.var.config.basePath;
      const nonce = newNonce();
      if (!sameOrigin(c)) {
        const html = renderLoginPage({ base, nonce, error: "Sign in from this site's own page." });
        return page(html, nonce, 403);
      }
      const { key } = c.req.valid("form");
      const who = await keyIdFor(c, key.trim());
      if (typeof who !== "string")
        return page(renderLoginPage({ base, nonce, error: who.error }), nonce, 401);
      const { value } = await createSession(c.env.DB, who, c.var.config);
      return redirect(`${base}/dashboard`, sessionCookie(c, value, SESSION_TTL_MS / 1000));
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/dashboard/logout",
      operationId: "signOutOfDashboard",
      security: access.sessionOptional,
      tags: ["dashboard"],
      summary: "End the dashboard session",
      responses: {
        303: { description: "Signed out: the cookie is cleared; back to the sign-in form" },
        403: { description: "Cross-origin request refused", content: HtmlPage },
      },
    }),
    async (c) => {
      if (!sameOrigin(c)) {
        const nonce = newNonce();
        const html = renderLoginPage({
          base: c.var.config.basePath,
          nonce,
          error: "Sign out from this site's own page.",
        });
        return page(html, nonce, 403);
      }
      const value = getCookie(c, SESSION_COOKIE);
      if (value) await deleteSession(c.env.DB, value);
      return redirect(`${c.var.config.basePath}/dashboard`, sessionCookie(c, "", 0));
    },
  );
}
