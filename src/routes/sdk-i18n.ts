/**
 * `GET /sdk/i18n/<lang>.<version>.json` and `GET /sdk/i18n/<lang>.json`: the texts of the
 * `<qr-bridge>` element in one language (src/client/langs/), which the embed fetches once per
 * page for a language it does not carry (all but English and Simplified Chinese: fourteen more
 * would not fit its 12 KiB). The catalogs are the browser kit's, so scans and API calls never
 * load them; the version is their hash (scripts/build-client.mjs). A public GET of fixed
 * content: nothing of the request is echoed, and any page may read it (no credentials).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { I18N_VERSION } from "../client/dist/i18n.gen";
import { ApiError } from "../core/errors";
import { LANGUAGES } from "../core/languages";
import { access } from "./access";
import { browserKit } from "./lazy-modules";
import { errorResponses } from "./schemas";
import { versionedFile } from "./versioned-file";

export { I18N_VERSION };

// A tag as the catalogs name it (`ja`, `zh-Hant`), then a version of hex digits, if any.
const FILE = /^([a-z]{2}(?:-Hant)?)(?:\.([0-9a-f]{6,64}))?\.json$/;

/**
 * Register the language catalogs' route.
 *
 * @example
 * registerSdkI18nRoutes(app);
 */
export function registerSdkI18nRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/sdk/i18n/{file}",
      operationId: "getWebEmbedTexts",
      security: access.public,
      tags: ["clients"],
      request: { params: z.object({ file: z.string() }) },
      responses: {
        200: {
          description: "The language's texts, by key",
          headers: {
            "x-qrbridge-i18n-version": {
              schema: { type: "string" },
              description: "Catalogs' hash",
            },
          },
          content: { "application/json": { schema: z.record(z.string(), z.string()) } },
        },
        304: { description: "Not modified (If-None-Match)" },
        ...errorResponses(404),
      },
    }),
    async (c) => {
      const m = FILE.exec(c.req.valid("param").file);
      // The language list is the product's (its catalogs are tied to it by a unit test), so a
      // wrong name or a revalidation (304) never loads the browser kit.
      const lang = LANGUAGES.find((known) => known === m?.[1]);
      if (!m || !lang) {
        throw new ApiError(
          "not_found",
          `no such language; there are ${LANGUAGES.join(", ")}, as /sdk/i18n/<lang>.${I18N_VERSION}.json`,
        );
      }
      // This version's file never changes. Any other (an embed of another deployment, or none)
      // gets this version's texts, briefly cached, rather than a 404 and English.
      return versionedFile(c, {
        immutable: m[2] === I18N_VERSION,
        version: I18N_VERSION,
        versionHeader: "x-qrbridge-i18n-version",
        contentType: "application/json; charset=utf-8",
        body: async () => JSON.stringify((await browserKit()).CATALOGS[lang]),
      });
    },
  );
}
