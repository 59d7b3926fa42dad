/**
 * `/dashboard/api/v1/*`: the `/v1` API itself, for a dashboard session. The console's script
 * calls the very routes integrators call (same validation, same store code, same errors); this
 * forwards each request to its `/v1` route with the session's key standing in for a bearer key
 * (middleware.ts `sessionRequests`), so a session can do exactly what its key's scopes allow.
 *
 * The session cookie stays scoped to `/dashboard` (the `/v1` routes never see a cookie), and
 * `requireDashboardSession` has already refused a state change without this origin and the
 * session's CSRF token. Only the areas the console manages are forwarded.
 */
import type { App } from "../app-env";
import { ApiError } from "../core/errors";
import { sessionRequests } from "./middleware";

/** The `/v1` areas the console may reach; handoffs, logins and app calls are not its business. */
const FORWARDED =
  /^\/v1\/(?:stores|campaigns|posters|webhooks|keys|dead-letters|audit-log|stats\/(?:funnel|quiet-posters))(?:[/.].*)?$/;

/** Request headers that reach the `/v1` route; never the cookie or an `Authorization`. */
const PASSED_HEADERS = ["accept", "content-type", "idempotency-key", "cf-connecting-ip"];

/** The request body, refused (413) past `max` bytes even when it streams without a length. */
async function readBody(req: Request, max: number): Promise<Uint8Array | undefined> {
  if (!req.body) return undefined;
  const tooLarge = () =>
    new ApiError("payload_too_large", `the request body is larger than ${max} bytes`, {
      limit: max,
    });
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > max) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) throw tooLarge();
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/**
 * Register the forwarder (after `registerDashboardApiRoutes`, whose middleware checks the
 * session and the CSRF defence for every `/dashboard/api/*` request).
 *
 * @example
 * registerConsoleApiRoutes(app);
 */
export function registerConsoleApiRoutes(app: App): void {
  // `all`, not an OpenAPI route: these are the /v1 operations, documented once, under /v1.
  app.all("/dashboard/api/v1/*", async (c) => {
    const base = c.var.config.basePath;
    const url = new URL(c.req.url);
    const target = url.pathname.slice(base.length + "/dashboard/api".length);
    if (!FORWARDED.test(target))
      throw new ApiError("not_found", `the console does not forward ${c.req.method} ${target}`);
    const headers = new Headers();
    for (const name of PASSED_HEADERS) {
      const value = c.req.header(name);
      if (value !== undefined) headers.set(name, value);
    }
    const body = await readBody(c.req.raw, c.var.config.batchMaxBodyBytes);
    // A known length, so the /v1 body guard reads it as it reads any client's.
    if (body) headers.set("content-length", String(body.byteLength));
    const forwarded = new Request(`${url.origin}${base}${target}${url.search}`, {
      method: c.req.method,
      headers,
      body,
    });
    sessionRequests.set(forwarded, c.var.auth);
    const res = await app.fetch(forwarded, c.env, c.executionCtx);
    const out = new Response(res.body, res);
    // The /v1 CORS opening is for bearer keys; a session's answers are for this origin only.
    out.headers.delete("access-control-allow-origin");
    out.headers.set("cache-control", "no-store");
    return out;
  });
}
