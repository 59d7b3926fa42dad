/**
 * `/dashboard`: sign in with an API key (exchanged for an HttpOnly, Secure, SameSite=Strict
 * session cookie), see the funnel, sign out. A session's rights are its key's scopes; the
 * cookie, the origin check and the CSRF token are routes/dashboard-session.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getCookie } from "hono/cookie";
import type { App, AppEnv } from "../app-env";
import { ApiError } from "../core/errors";
import { sha256Hex } from "../core/hash";
import { keyExpired } from "../core/key-expiry";
import { constantTimeEqual } from "../core/token";
import type { SignInError } from "../pages/dashboard";
import { CONSOLE_LANGS, type ConsoleLang, pickLanguage } from "../pages/i18n";
import { htmlResponse, newNonce } from "../pages/security";
import { SESSION_TTL_MS } from "../store/dashboard-sessions";
import { findUnrevokedKey } from "../store/keys";
import { access, SESSION_COOKIE } from "./access";
import { csrfOk, currentSession, sameOrigin, sessionCookie } from "./dashboard-session";
import { adminKit, browserKit } from "./lazy-modules";
import { noteKeyUsed } from "./middleware";
import { DASHBOARD_CSV_ROWS } from "./response-limits";
import { errorResponses } from "./schemas";

/**
 * The console's language: the `qb_lang` cookie the language switch sets in the browser when it
 * names a console language (anything else is ignored, never echoed), else `Accept-Language`.
 *
 * @example
 * const lang = consoleLanguage(c); // "ja" with Accept-Language: ja-JP and no cookie
 */
export function consoleLanguage(c: Context<AppEnv>): ConsoleLang {
  const chosen = getCookie(c, "qb_lang");
  const offered = CONSOLE_LANGS.find((lang) => lang === chosen);
  if (offered) return offered;
  return pickLanguage(c.req.header("accept-language"), null, CONSOLE_LANGS);
}

/** Why a sign-in is refused; an expired key's with when it ended. */
type Refused = { error: SignInError; expiredAt?: number };

/**
 * Which key signs in: a secret key holding stats:read, or the admin key. An expired key (a
 * temporary one, or one rolled whose grace ended) is told so, with when: the row is found by the
 * key's whole text, so only its holder learns it; a wrong or revoked key reads "not valid".
 */
async function keyIdFor(c: Context<AppEnv>, key: string): Promise<string | Refused> {
  if (key.startsWith("qb_pk_")) return { error: "publishable" };
  if (key.startsWith("qb_sk_")) {
    const record = await findUnrevokedKey(c.env.DB, key);
    if (!record) return { error: "invalid" };
    noteKeyUsed(c, record);
    if (keyExpired(record.expires_at, Date.now()))
      return { error: "expired", expiredAt: record.expires_at! };
    if (!record.scopes.includes("stats:read")) return { error: "scope" };
    return record.id;
  }
  const [given, expected] = await Promise.all([sha256Hex(key), sha256Hex(c.var.config.adminKey)]);
  return constantTimeEqual(given, expected) ? "admin" : { error: "invalid" };
}

/**
 * URLs of the console's stylesheet and script (and of the script's words when the page's
 * language is not English), and the browser kit that renders its pages.
 *
 * @example
 * const { kit, assets } = await consoleKit(c);
 */
export async function consoleKit(c: Context<AppEnv>) {
  const kit = await browserKit();
  const lang = consoleLanguage(c);
  const dir = `${c.var.config.basePath}/dashboard/assets/`;
  const words = Object.hasOwn(kit.CONSOLE_WORDS, lang) ? kit.CONSOLE_WORDS[lang] : undefined;
  const assets = {
    css: dir + kit.CONSOLE_CSS_FILE,
    js: dir + kit.CONSOLE_JS_FILE,
    words: words ? dir + words.file : undefined,
  };
  return { kit, assets, base: c.var.config.basePath, lang, nonce: newNonce() };
}

async function signInPage(
  c: Context<AppEnv>,
  status: number,
  refused?: SignInError | Refused,
  cookie?: string,
): Promise<Response> {
  const { kit, ...opts } = await consoleKit(c);
  const why = typeof refused === "string" ? { error: refused } : refused;
  const timeZone = c.var.config.reportingTimeZone;
  return page(kit.renderLoginPage({ ...opts, ...why, timeZone }), opts.nonce, status, cookie);
}

/**
 * A console HTML page with its headers.
 *
 * @example
 * return page(html, nonce);
 */
export function page(
  html: string,
  nonce: string,
  status = 200,
  cookie?: string,
  imgOrigin?: string | null,
): Response {
  const res = htmlResponse(html, { nonce, status, imgOrigin });
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
  poster_id: z.string().max(64).optional(),
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
      request: { query: Filters },
      responses: {
        200: { description: "Dashboard or sign-in page", content: HtmlPage },
        ...errorResponses(400),
      },
    }),
    async (c) => {
      const session = await currentSession(c);
      if (!session) {
        // A stale cookie is cleared so the browser stops sending it.
        const stale = getCookie(c, SESSION_COOKIE) ? sessionCookie(c, "", 0) : undefined;
        return signInPage(c, 200, undefined, stale);
      }
      const q = c.req.valid("query");
      // A store key's session: its store, whatever the URL says (routes/store-scope.ts).
      const storeId = session.storeId ?? (q.store_id || undefined);
      // One store's or poster's funnel is in its own days, as the API answers it
      // (store/funnel-report.ts).
      const deployment = c.var.config.reportingTimeZone;
      const own = { store_id: storeId, poster_id: q.poster_id || undefined };
      const { filteredDayZone, resolveRange } = await adminKit();
      const zone = (await filteredDayZone(c.env.DB, own, deployment)) ?? deployment;
      let range: { from: string; to: string };
      try {
        range = resolveRange(q.from || undefined, q.to || undefined, Date.now(), zone);
      } catch {
        range = resolveRange(undefined, undefined, Date.now(), zone);
      }
      const filters = {
        ...range,
        store_id: storeId,
        campaign_id: q.campaign_id || undefined,
        poster_id: q.poster_id || undefined,
      };
      const { kit, ...opts } = await consoleKit(c);
      return page(
        kit.renderDashboardPage({
          ...opts,
          filters,
          session,
          csvRows: DASHBOARD_CSV_ROWS,
          storeFixed: session.storeId !== null,
          timeZone: zone,
        }),
        opts.nonce,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/dashboard/login",
      operationId: "signInToDashboard",
      security: access.public,
      tags: ["dashboard"],
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
      if (!sameOrigin(c)) return signInPage(c, 403, "origin");
      const { key } = c.req.valid("form");
      const who = await keyIdFor(c, key.trim());
      if (typeof who !== "string") return signInPage(c, 401, who);
      const session = await (await adminKit()).createSession(c.env.DB, who, c.var.config);
      // Null: the key's row refused it (ended by another isolate since this one cached it).
      if (!session) return signInPage(c, 401, { error: "invalid" });
      const { value } = session;
      const to = `${c.var.config.basePath}/dashboard`;
      return redirect(to, sessionCookie(c, value, SESSION_TTL_MS / 1000));
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/dashboard/logout",
      operationId: "signOutOfDashboard",
      security: access.sessionOptional,
      tags: ["dashboard"],
      responses: {
        303: { description: "Signed out: the cookie is cleared; back to the sign-in form" },
        403: {
          description: "Cross-origin, or without the session's CSRF token",
          content: HtmlPage,
        },
      },
    }),
    async (c) => {
      if (!sameOrigin(c)) return signInPage(c, 403, "signout");
      const value = getCookie(c, SESSION_COOKIE);
      const session = await currentSession(c);
      if (session) {
        const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
        const token = typeof form.csrf === "string" ? form.csrf : undefined;
        if (!csrfOk(session, token)) return signInPage(c, 403, "signout");
      }
      if (value) await (await adminKit()).deleteSession(c.env.DB, value);
      return redirect(`${c.var.config.basePath}/dashboard`, sessionCookie(c, "", 0));
    },
  );
}
