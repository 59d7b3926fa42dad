/**
 * The OpenAPI 3.1 generator, in the browser kit (src/browser-kit.ts): what
 * `OpenAPIHono#getOpenAPI31Document` does, but outside the Worker's main bundle, which only
 * `GET /openapi.json` and `GET /docs` need. The main bundle keeps the routes' metadata (the
 * registry of definitions, each schema's `.openapi()` data) and hands it over
 * (routes/openapi.ts); its own copy of the library has no generator (src/vendor/zod-to-openapi-slim.js).
 * The reference's words (summaries, descriptions, examples: routes/reference/) are in the kit
 * only, and given to the routes and schemas they name here (routes/openapi-words.ts).
 */
import {
  type OpenAPIRegistry,
  OpenApiGeneratorV31,
  zodToOpenAPIRegistry,
} from "@asteasolutions/zod-to-openapi";
import { mergePath } from "hono/utils/url";
import { placeWords, withOperationWords } from "./openapi-words";
import type { ReferenceWords } from "./reference/types";

/** The document's fixed part: everything but `paths`, `components` and `webhooks`. */
export type OpenApiObjectConfig = Parameters<OpenApiGeneratorV31["generateDocument"]>[0];
export type OpenApiGenerated = ReturnType<OpenApiGeneratorV31["generateDocument"]>;
/** Where `.openapi()` keeps each schema's metadata (the `zodToOpenAPIRegistry` of a library copy). */
export type OpenApiMetadata = typeof zodToOpenAPIRegistry;
/** The words the routes' schemas leave out: per operation and schema, and per security scheme. */
export interface OpenApiWords {
  words: ReferenceWords;
  securitySchemes: Record<string, string>;
}

/**
 * The OpenAPI 3.1 document of an app's registered routes, each path under `basePath` (the app's
 * `_basePath`, as OpenAPIHono prefixes them), with the schemas' metadata read from `metadata`
 * and, when given, the reference's words (routes/reference/) added to it.
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
  reference?: OpenApiWords,
): OpenApiGenerated {
  const read = metadata.get.bind(metadata);
  let routes = definitions;
  let get = read;
  if (reference) {
    const { words } = placeWords(definitions, reference.words, read);
    routes = withOperationWords(
      definitions,
      reference.words.operations ?? {},
      reference.securitySchemes,
    );
    get = ((schema: never) => {
      const own = read(schema);
      const added = words.get(schema);
      return added ? { ...own, ...added } : own;
    }) as typeof read;
  }
  const document = readingMetadataWith(get, () =>
    new OpenApiGeneratorV31(routes).generateDocument(config),
  );
  // As OpenAPIHono's addBasePathToDocument, so the document is the one the app would make.
  const paths: NonNullable<OpenApiGenerated["paths"]> = {};
  const base = basePath.replaceAll(/:([^/]+)/g, "{$1}");
  for (const path of Object.keys(document.paths ?? {})) {
    paths[mergePath(base, path)] = document.paths![path]!;
  }
  return { ...document, paths };
}

/**
 * Run `generate` with this copy of the library reading the schemas' metadata through `get`.
 *
 * Why: in our Worker the browser kit is a module of its own, bundled with its own copy of
 * zod-to-openapi, whose metadata registry stays empty: the schemas were declared, and their
 * `.openapi()` data stored, in the main bundle's copy. The generator reads that registry only
 * through `get`, so answering `get` from the main bundle's registry gives it all the data, and
 * the reference's words with it. Where there is one copy (the package, the tests) the registry
 * is the same object: its own `get` is put back afterwards.
 */
function readingMetadataWith<T>(get: OpenApiMetadata["get"], generate: () => T): T {
  const own = Object.getOwnPropertyDescriptor(zodToOpenAPIRegistry, "get");
  zodToOpenAPIRegistry.get = get;
  try {
    return generate();
  } finally {
    if (own) Object.defineProperty(zodToOpenAPIRegistry, "get", own);
    else delete (zodToOpenAPIRegistry as { get?: unknown }).get;
  }
}
