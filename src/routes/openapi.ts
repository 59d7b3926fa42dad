/**
 * `GET /openapi.json` and `GET /docs`: the contract, generated from the same zod schemas that
 * validate the requests (every route is declared with `createRoute`), and an interactive
 * reference rendered from that document by the Worker itself (no CDN, no vendored UI). Both
 * are made by the browser kit (the generator: routes/openapi-generator.ts), so the main bundle
 * carries only the routes' metadata.
 */

import { zodToOpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import { BoundedCache } from "../core/bounded-cache";
import type { OpenApiDocument } from "../pages/docs";
import { htmlResponse, newNonce } from "../pages/security";
import { VERSION } from "../version";
import { access, registerSecuritySchemes } from "./access";
import { browserKit } from "./lazy-modules";
import { publicBase } from "./urls";

// The document depends only on the registered routes, fixed once the app is built: generate it
// once per app and isolate, then add the request's server URL.
const cache = new WeakMap<object, OpenApiDocument>();
// The rendered /docs page per app and server, with a stand-in for the nonce, so each request only
// swaps in a fresh nonce. The stand-in is wrapped in NUL characters, which no route description
// or schema of ours contains. (Not random: workerd forbids crypto in the global scope, and
// `wrangler dev` would refuse to start the Worker.)
const pages = new WeakMap<object, BoundedCache<string, string>>();
const NONCE_SLOT = "\u0000qb-nonce-slot\u0000";

/**
 * The OpenAPI 3.1 document of an app mounted at `basePath` (its `config.basePath`), with `server`
 * as its only server. The generator is in the browser kit (routes/openapi-generator.ts): the
 * app hands it the routes' definitions and the schemas' metadata, and the kit adds the
 * reference's words (routes/reference/: summaries, descriptions, examples, tags).
 *
 * @example
 * const doc = await openApiDocument(app, "/qr", "https://qr.example.com");
 */
export async function openApiDocument(
  app: App,
  basePath: string,
  server: string,
): Promise<OpenApiDocument> {
  let doc = cache.get(app);
  if (!doc) {
    const { generateOpenApiDocument, REFERENCE, DESCRIPTION, TAGS } = await browserKit();
    doc = generateOpenApiDocument(
      app.openAPIRegistry.definitions,
      // The app's own base path: "/" when mounted at the root, as OpenAPIHono keeps it.
      basePath || "/",
      {
        openapi: "3.1.0",
        info: {
          title: "qrbridge",
          version: VERSION,
          description: DESCRIPTION,
          license: { name: "MIT", url: "https://opensource.org/licenses/MIT" },
        },
        tags: TAGS,
      },
      zodToOpenAPIRegistry,
      REFERENCE,
    ) as unknown as OpenApiDocument;
    cache.set(app, doc);
  }
  return { ...doc, servers: [{ url: server }] };
}

/** The server URL: the public origin, without the base path (the paths already carry it). */
function serverUrl(c: Context<AppEnv>): string {
  const base = publicBase(c);
  const path = c.var.config.basePath;
  return path && base.endsWith(path) ? base.slice(0, -path.length) : base;
}

/**
 * Register `/openapi.json` and `/docs`, and the security schemes the routes refer to.
 *
 * @example
 * registerOpenApiRoutes(app);
 */
export function registerOpenApiRoutes(app: App): void {
  registerSecuritySchemes(app);

  app.openapi(
    createRoute({
      method: "get",
      path: "/openapi.json",
      operationId: "getOpenApiDocument",
      tags: ["meta"],
      security: access.public,
      responses: {
        200: {
          description: "The document",
          content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
        },
      },
    }),
    async (c) => {
      const doc = await openApiDocument(app, c.var.config.basePath, serverUrl(c));
      c.header("cache-control", "public, max-age=300");
      c.header("access-control-allow-origin", "*");
      return c.json(doc as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/docs",
      operationId: "getApiReference",
      tags: ["meta"],
      security: access.public,
      responses: {
        200: {
          description: "The reference page",
          content: { "text/html": { schema: z.string() } },
        },
      },
    }),
    async (c) => {
      const server = serverUrl(c);
      let byServer = pages.get(app);
      if (!byServer) {
        byServer = new BoundedCache<string, string>(8);
        pages.set(app, byServer);
      }
      let page = byServer.get(server);
      if (!page) {
        const { renderDocsPage } = await browserKit();
        page = renderDocsPage(
          await openApiDocument(app, c.var.config.basePath, server),
          NONCE_SLOT,
        );
        byServer.set(server, page);
      }
      const nonce = newNonce();
      return htmlResponse(page.replaceAll(NONCE_SLOT, nonce), { nonce }) as never;
    },
  );
}
