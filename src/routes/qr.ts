/**
 * `GET /qr/{h|l|p}/{code}.{svg|png}`: the QR image of a bridge link of *this* deployment.
 * The code must carry a valid MAC (a handoff or login token, or a poster code), so this is never
 * a free QR service for arbitrary text. A poster's image is drawn in the poster's saved style
 * (core/qr-style.ts, its logo included); its URLs carry the style's tag (`?v=`, routes/urls.ts),
 * so a changed style is a new URL, a new Cache API key and a new ETag. Renders are cached with
 * the Cache API; a poster image at its current tag carries a year-long, immutable lifetime.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import { ApiError } from "../core/errors";
import { sha256Hex } from "../core/hash";
import { parseQrOptions, QrOptionError, type QrOptions, renderPng, renderSvg } from "../core/qr";
import { styleOptions, styleTag } from "../core/qr-style";
import { verifyPosterCode, verifyToken } from "../core/token";
import { clientThrottled } from "../store/client-limits";
import { recordHop } from "../store/hops";
import { loadScanPoster } from "../store/poster-cache";
import { access } from "./access";
import { throttledJson } from "./client-limits";
import { hopScope } from "./hop-scope";
import { printKit } from "./lazy-modules";
import { styleLogo } from "./logos";
import { errorResponses } from "./schemas";
import { type LinkKind, linkUrl } from "./urls";

const FILE = /^([0-9A-Za-z-]{1,64})\.(svg|png)$/;
const YEAR = 31_536_000;
/** Cache lifetime of a poster image asked for with another style tag than its current one, s. */
const STALE_TAG_MAX_AGE = 300;

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

/** A bad option (of the query, or of the query and the poster's style together) as a 400. */
function optionError(err: unknown): unknown {
  if (err instanceof QrOptionError)
    return new ApiError("validation_failed", err.message, { field: err.field });
  return err;
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
          modules: z.string().optional(),
          finder: z.string().optional(),
          finder_color: z.string().optional(),
          v: z.string().max(20).optional(),
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
        ...errorResponses(400, 410, 429),
      },
    }),
    async (c) => {
      const { kind, file } = c.req.valid("param");
      const [, code, format] = FILE.exec(file) as unknown as [string, string, "svg" | "png"];
      const requestUrl = new URL(c.req.url);
      let query: QrOptions;
      try {
        query = parseQrOptions(requestUrl.searchParams, format);
      } catch (err) {
        throw optionError(err);
      }
      let link: Awaited<ReturnType<typeof linkFor>>;
      try {
        link = await linkFor(c, kind, code);
      } catch (err) {
        // A forged code spends the client's failure budget here as on /p, /h, /c and resolve:
        // else this route would be an unthrottled oracle for guessing a poster code's MAC.
        const forged = err instanceof ApiError && err.code === "invalid_token";
        if (forged && (await clientThrottled(c.env, c.req.raw, "failures"))) return throttledJson();
        throw err;
      }
      // A poster's code is drawn in its saved style (the query may override a field of it).
      const style =
        kind === "p"
          ? ((await loadScanPoster(c.env, c.executionCtx, link.id))?.style ?? null)
          : null;
      const tag = styleTag(style);
      // Its image URLs carry the style's tag: a URL whose tag is the current one is immutable;
      // any other (an old style's, or none) gets the current style for a short while only.
      const current = (requestUrl.searchParams.get("v") || null) === tag;
      const contentType = format === "svg" ? "image/svg+xml" : "image/png";
      const cacheKey = new Request(
        `${requestUrl.origin}/__qr-cache/${kind}/${link.url}/${format}?${new URLSearchParams(query as Record<string, string>)}${tag ? `&v=${tag}` : ""}`,
      );
      const etag = kind === "p" ? `"${(await sha256Hex(cacheKey.url)).slice(0, 24)}"` : null;
      const headers: Record<string, string> = {
        "content-type": contentType,
        "cache-control":
          kind !== "p"
            ? `private, max-age=${Math.max(0, link.ttl)}`
            : current
              ? `public, max-age=${YEAR}, immutable`
              : `public, max-age=${STALE_TAG_MAX_AGE}`,
        "x-content-type-options": "nosniff",
        // A logo is an <image> with a data: URI.
        "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      };
      if (etag) headers.etag = etag;
      if (etag && c.req.header("if-none-match") === etag) return c.body(null, 304, headers);

      const cache = (globalThis as { caches?: { default: Cache } }).caches?.default;
      const hit = await cache?.match(cacheKey);
      if (hit) return c.body(await hit.arrayBuffer(), 200, { ...headers, "x-qr-cache": "hit" });
      const opts = { ...styleOptions(style), ...query };
      const logo = await styleLogo(c, style, format === "png");
      let body: Uint8Array | string;
      try {
        // Shapes, finder colours and logos are drawn by the print kit module (off this
        // bundle); a styled image is drawn once, then cached.
        const styled =
          logo ||
          (opts.modules ?? "square") !== "square" ||
          (opts.finder ?? "square") !== "square" ||
          opts.finderColor !== undefined;
        const kit = styled ? await printKit() : null;
        const o = { ...opts, logo };
        if (format === "svg")
          body = kit ? kit.renderStyledSvg(link.url, o) : renderSvg(link.url, o);
        else body = kit ? await kit.renderStyledPng(link.url, o) : await renderPng(link.url, o);
      } catch (err) {
        throw optionError(err);
      }
      // A logo that could not be read is drawn without: not for long, nor kept in the cache.
      const partial = !!style?.logo && !logo;
      if (partial) headers["cache-control"] = `public, max-age=${STALE_TAG_MAX_AGE}`;
      if (cache && !partial) {
        const stored = new Response(body as BodyInit, {
          headers: { ...headers, "cache-control": `public, max-age=${Math.max(1, link.ttl)}` },
        });
        c.executionCtx.waitUntil(cache.put(cacheKey, stored));
      }
      if (kind !== "p") {
        const hop = { subject_id: link.id, hop: "rendered" as const, detail: { format } };
        recordHop(hopScope(c), { kind: kind === "h" ? "handoff" : "login", ...hop });
      }
      return c.body(body as Uint8Array<ArrayBuffer> | string, 200, {
        ...headers,
        "x-qr-cache": "miss",
      });
    },
  );
}
