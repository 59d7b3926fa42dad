/**
 * The OpenAPI 3.1 generator, in the browser kit (src/browser-kit.ts): what
 * `OpenAPIHono#getOpenAPI31Document` does, but outside the Worker's main bundle, which only
 * `GET /openapi.json` and `GET /docs` need. The main bundle keeps the routes' metadata (the
 * registry of definitions, each schema's `.openapi()` data) and hands it over
 * (routes/openapi.ts); its own copy of the library has no generator (src/vendor/zod-to-openapi-slim.js).
 */
import {
  type OpenAPIRegistry,
  OpenApiGeneratorV31,
  zodToOpenAPIRegistry,
} from "@asteasolutions/zod-to-openapi";
import { mergePath } from "hono/utils/url";

/** The document's fixed part: everything but `paths`, `components` and `webhooks`. */
export type OpenApiObjectConfig = Parameters<OpenApiGeneratorV31["generateDocument"]>[0];
export type OpenApiGenerated = ReturnType<OpenApiGeneratorV31["generateDocument"]>;
/** Where `.openapi()` keeps each schema's metadata (the `zodToOpenAPIRegistry` of a library copy). */
export type OpenApiMetadata = typeof zodToOpenAPIRegistry;

/**
 * The OpenAPI 3.1 document of an app's registered routes, each path under `basePath` (the app's
 * `_basePath`, as OpenAPIHono prefixes them), with the schemas' metadata read from `metadata`.
 *
 * @example
 * import { zodToOpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
 * const doc = generateOpenApiDocument(app.openAPIRegistry.definitions, "/", config, zodToOpenAPIRegistry);
 */
export function generateOpenApiDocument(
  definitions: OpenAPIRegistry["definitions"],
  basePath: string,
  config: OpenApiObjectConfig,
  metadata: OpenApiMetadata,
): OpenApiGenerated {
  readMetadataFrom(metadata);
  const document = new OpenApiGeneratorV31(definitions).generateDocument(config);
  // As OpenAPIHono's addBasePathToDocument, so the document is the one the app would make.
  const paths: NonNullable<OpenApiGenerated["paths"]> = {};
  const base = basePath.replaceAll(/:([^/]+)/g, "{$1}");
  for (const path of Object.keys(document.paths ?? {})) {
    paths[mergePath(base, path)] = document.paths![path]!;
  }
  return { ...document, paths };
}

/**
 * Make this copy of the library read the schemas' metadata from `metadata`.
 *
 * Why: in our Worker the browser kit is a module of its own, bundled with its own copy of
 * zod-to-openapi, whose metadata registry stays empty: the schemas were declared, and their
 * `.openapi()` data stored, in the main bundle's copy. The generator reads that registry only
 * through `get`, so answering `get` from the main bundle's registry gives it all the data. Where
 * there is one copy (the package, the tests) the two are the same object and nothing changes.
 */
function readMetadataFrom(metadata: OpenApiMetadata): void {
  if (metadata === zodToOpenAPIRegistry) return;
  zodToOpenAPIRegistry.get = metadata.get.bind(metadata);
}
