/**
 * `GET /sdk/qrbridge.js` and `GET /sdk/qrbridge.<version>.js`: the `<qr-bridge>` embed, built
 * from src/client/ by scripts/build-client.mjs. The versioned file never changes (a year,
 * immutable); the plain name is short-cached with an ETag so sites that use it pick up fixes.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { EMBED_GZIP_BYTES, EMBED_VERSION } from "../client/dist/embed.gen";
import { ApiError } from "../core/errors";
import { access } from "./access";
import { browserKit } from "./lazy-modules";
import { errorResponses } from "./schemas";
import { registerSdkI18nRoutes } from "./sdk-i18n";
import { versionedFile } from "./versioned-file";

export { EMBED_GZIP_BYTES, EMBED_VERSION };

const FILE = /^qrbridge(?:\.([0-9a-f]{6,64}))?\.js$/;

/**
 * Register the SDK routes: the embed, and its language catalogs (sdk-i18n.ts).
 *
 * @example
 * registerSdkRoutes(app);
 */
export function registerSdkRoutes(app: App): void {
  registerSdkI18nRoutes(app);
  app.openapi(
    createRoute({
      method: "get",
      path: "/sdk/{file}",
      operationId: "getWebEmbed",
      security: access.public,
      tags: ["clients"],
      request: {
        params: z.object({
          file: z.string(),
        }),
      },
      responses: {
        200: {
          description: "The ES module",
          headers: {
            "x-qrbridge-sdk-version": { schema: { type: "string" }, description: "Content hash" },
          },
          content: { "text/javascript": { schema: z.string() } },
        },
        304: { description: "Not modified (If-None-Match)" },
        ...errorResponses(404),
      },
    }),
    async (c) => {
      const m = FILE.exec(c.req.valid("param").file);
      if (!m || (m[1] !== undefined && m[1] !== EMBED_VERSION)) {
        throw new ApiError(
          "not_found",
          `no such SDK file; the current one is /sdk/qrbridge.${EMBED_VERSION}.js`,
        );
      }
      return versionedFile(c, {
        immutable: m[1] !== undefined,
        version: EMBED_VERSION,
        versionHeader: "x-qrbridge-sdk-version",
        contentType: "text/javascript; charset=utf-8",
        body: async () => (await browserKit()).EMBED_JS,
      });
    },
  );
}
