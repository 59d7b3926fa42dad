/**
 * What the demo's "company backend" routes share (demo-login.ts, demo-handoff.ts): they exist
 * only while the demo is on, and they call the public API with the demo backend's secret key
 * (derived from the admin key, see store/demo.ts), in-process, exactly as a company's backend
 * calls it over the network, answering what the API answered.
 */
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import { ApiError } from "../core/errors";
import { ensureDemoKey } from "../store/demo";

/**
 * Refuse (404, as for a path that does not exist) unless the demo is on: with the demo off, or
 * in production, the demo's routes are not there.
 *
 * @example
 * demoOn(c);
 */
export function demoOn(c: Context<AppEnv>): void {
  if (!c.var.config.demo)
    throw new ApiError("not_found", `no route for ${c.req.method} ${c.req.path}`);
}

/**
 * POST `body` to the API at `path` (under the base path) with the demo backend's secret key,
 * and answer with the API's status and JSON body, unchanged.
 *
 * @example
 * return (await demoBackendCall(app, c, "/v1/logins/exchange", { ticket, code_verifier })) as never;
 */
export async function demoBackendCall(
  app: App,
  c: Context<AppEnv>,
  path: string,
  body: unknown,
): Promise<Response> {
  const origin = new URL(c.req.url).origin;
  const key = await ensureDemoKey(c.env.DB, c.var.config.adminKey, origin, "secret");
  const res = await app.fetch(
    new Request(`${origin}${c.var.config.basePath}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        "cf-connecting-ip": c.req.header("cf-connecting-ip") ?? "",
      },
      body: JSON.stringify(body),
    }),
    c.env,
    c.executionCtx,
  );
  return new Response(res.body, {
    status: res.status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
}
