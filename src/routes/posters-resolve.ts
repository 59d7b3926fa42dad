/**
 * Resolving a poster link from the app (`POST /v1/resolve` with a `/p/` URL).
 * Placeholder until the poster feature lands: answers 404 so the resolve route can dispatch here.
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { ApiError } from "../core/errors";

/**
 * Resolve a poster link for the app.
 *
 * @example
 * return resolvePosterLink(c, code, new URL(body.url));
 */
export async function resolvePosterLink(_c: Context<AppEnv>, _code: string, _url: URL): Promise<Response> {
  throw new ApiError("not_found", "poster links are not enabled on this bridge yet");
}
