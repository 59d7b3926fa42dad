/**
 * The JSON body guard of the `/v1` API: the content type, the size (on the stream too) and
 * well-formed Unicode, checked before any route reads the body.
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env";
import { ApiError } from "../core/errors";
import { loneSurrogateField } from "../core/well-formed";

/**
 * Body guard for requests that carry JSON: 415 for another content type, 413 past `limit` bytes
 * (checked on the stream too, not only on `Content-Length`), 400 for text that is not Unicode
 * (a lone surrogate). Requests without a body pass.
 *
 * @example
 * app.use("/v1/*", jsonBodyGuard());
 */
export function jsonBodyGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!["POST", "PUT", "PATCH"].includes(c.req.method)) return next();
    const length = c.req.header("content-length");
    const hasBody =
      (length !== undefined && length !== "0") || c.req.header("transfer-encoding") !== undefined;
    if (!hasBody) return next();
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") {
      throw new ApiError("unsupported_media_type", "send the body as application/json", {
        content_type: type || null,
      });
    }
    const config = c.var.config;
    const max = c.req.path.endsWith("/batch") ? config.batchMaxBodyBytes : config.maxBodyBytes;
    return bodyLimit({
      maxSize: max,
      onError: () => {
        throw new ApiError("payload_too_large", `the request body is larger than ${max} bytes`, {
          limit: max,
        });
      },
    })(c, async () => {
      await refuseLoneSurrogates(c);
      await next();
    });
  };
}

/**
 * 400 when the JSON body holds text that is not Unicode (a lone surrogate escape, which D1 would
 * store as replacement characters: core/well-formed.ts). The body is parsed here once: the
 * route's validator reads the same parsed body from Hono's cache.
 */
async function refuseLoneSurrogates(c: Context<AppEnv>): Promise<void> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return; // the route's validator answers invalid JSON
  }
  const field = loneSurrogateField(body);
  if (field === null) return;
  const message = "text must be valid Unicode (half of a surrogate pair alone cannot be stored)";
  throw new ApiError("validation_failed", `${field}: ${message}`, {
    field,
    fields: [{ field, message }],
  });
}
