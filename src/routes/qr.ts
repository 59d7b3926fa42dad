/**
 * `GET /qr/{h|l|p}/{code}.{svg|png}`: the QR image of a bridge link of *this* deployment.
 * The code must carry a valid MAC (a handoff or login token, or a poster code), so this is never
 * a free QR service for arbitrary text. Renders are cached with the Cache API; poster images, which
 * never change, also carry an ETag and a year-long cache lifetime.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import { ApiError } from "../core/errors";
import { sha256Hex } from "../core/hash";
import { parseQrOptions, QrOptionError, type QrOptions, renderPng, renderSvg } from "../core/qr";
import { verifyPosterCode, verifyToken } from "../core/token";
import { recordHop } from "../store/hops";
import { access } from "./access";
import { hopScope } from "./hop-scope";
import { errorResponses } from "./schemas";
import { type LinkKind, linkUrl } from "./urls";

const FILE = /^([0-9A-Za-z-]{1,64})\.(svg|png)$/;
const YEAR = 31_536_000;

/** Verify the code and return the link it stands for, or throw the right error. */
async function linkFor(
  c: Context<AppEnv>,
  kind: LinkKind,
  code: string,
): Promise<{ url: string; ttl: number; id: string }> {
  const { keyring } = c.var.config;
  if (kind === "p") {
    const check = await verifyPosterCode(keyring, code);
    if (!check.ok) throw new ApiError("invalid_token", "not a poster code of this bridge");
    return { url: linkUrl(c, "p", code.replace(/-/g, "")), ttl: YEAR, id: check.id };
  }
  const now = Math.floor(Date.now() / 1000);
  const check = await verifyToken(keyring, kind, code, now);
  const what = kind === "h" ? "handoff" : "login";
  if (!check.ok) {
    if (check.reason === "expired") throw new ApiError("expired", `this ${what} QR has expired`);
    throw new ApiError("invalid_token", `not a ${what} token of this bridge`);
  }
  return { url: linkUrl(c, kind, code), ttl: check.expiresAt - now, id: check.id };
}

function render(url: string, format: "svg" | "png", opts: QrOptions): Promise<Uint8Array | string> {
  return format === "svg" ? Promise.resolve(renderSvg(url, opts)) : renderPng(url, opts);
}

/**
 * Register the QR image route.
 *
 * @example
 * registerQrRoutes(app);
 */
export function registerQrRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/qr/{kind}/{file}",
      operationId: "getQrImage",
      security: access.public,
      tags: ["qr"],
      summary: "QR image of a bridge link of this deployment",
      description:
        "`kind` is `h` (handoff token), `l` (QR login token) or `p` (poster code); `file` is `<code>.svg` or `<code>.png`. Options: `ec` (L/M/Q/H), `margin` (0–16), `fg`, `bg` (#rrggbb), `size`, `scale` (PNG px per module).",
      request: {
        params: z.object({
          kind: z.enum(["h", "l", "p"]),
          file: z.string().regex(FILE, "expected <code>.svg or <code>.png"),
        }),
        query: z.object({
          ec: z.string().optional(),
          margin: z.string().optional(),
          fg: z.string().optional(),
          bg: z.string().optional(),
          size: z.string().optional(),
          scale: z.string().optional(),
        }),
      },
      responses: {
        200: {
          description: "The image",
          content: {
            "image/svg+xml": { schema: z.string() },
            "image/png": { schema: z.string().openapi({ format: "binary" }) },
          },
        },
        304: { description: "Not modified (poster images, If-None-Match)" },
        ...errorResponses(400, 410),
      },
    }),
    async (c) => {
      const { kind, file } = c.req.valid("param");
      const [, code, format] = FILE.exec(file) as unknown as [string, string, "svg" | "png"];
      const requestUrl = new URL(c.req.url);
      let opts: QrOptions;
      try {
        opts = parseQrOptions(requestUrl.searchParams, format);
      } catch (err) {
        if (err instanceof QrOptionError)
          throw new ApiError("validation_failed", err.message, { field: err.field });
        throw err;
      }
      const link = await linkFor(c, kind, code);
      const contentType = format === "svg" ? "image/svg+xml" : "image/png";
      const cacheKey = new Request(
        `${requestUrl.origin}/__qr-cache/${kind}/${link.url}/${format}?${new URLSearchParams(opts as Record<string, string>)}`,
      );
      const etag = kind === "p" ? `"${(await sha256Hex(cacheKey.url)).slice(0, 24)}"` : null;
      if (etag && c.req.header("if-none-match") === etag) return c.body(null, 304, { etag });

      const cache = (globalThis as { caches?: { default: Cache } }).caches?.default;
      const hit = await cache?.match(cacheKey);
      if (hit) {
        const res = new Response(hit.body, hit);
        res.headers.set("x-qr-cache", "hit");
        return res;
      }
      const body = await render(link.url, format, opts);
      const headers: Record<string, string> = {
        "content-type": contentType,
        "cache-control":
          kind === "p"
            ? `public, max-age=${YEAR}, immutable`
            : `private, max-age=${Math.max(0, link.ttl)}`,
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
        "x-qr-cache": "miss",
      };
      if (etag) headers.etag = etag;
      if (cache) {
        const stored = new Response(body as BodyInit, {
          headers: { ...headers, "cache-control": `public, max-age=${Math.max(1, link.ttl)}` },
        });
        c.executionCtx.waitUntil(cache.put(cacheKey, stored));
      }
      if (kind !== "p") {
        const hop = { subject_id: link.id, hop: "rendered" as const, detail: { format } };
        recordHop(hopScope(c), { kind: kind === "h" ? "handoff" : "login", ...hop });
      }
      return c.body(body as Uint8Array<ArrayBuffer> | string, 200, headers);
    },
  );
}
