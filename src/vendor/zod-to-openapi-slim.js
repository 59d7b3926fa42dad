// @asteasolutions/zod-to-openapi without its document generators, for the Worker bundle:
// wrangler.toml `[alias]` maps the bare specifier here (scripts/check-contract.mjs and the bench
// do the same).
//
// Why: @hono/zod-openapi's `OpenAPIHono` names the generators in its `getOpenAPIDocument` and
// `getOpenAPI31Document` class fields, so a bundler keeps them and their schema transformers
// (~5.7 KiB gzip of the 150 KiB budget) although only `GET /openapi.json` and `GET /docs` use
// them. qrbridge generates its document with the browser kit's own copy of the library
// (src/routes/openapi-generator.ts); the routes' metadata (`.openapi()`, the registries) stays
// here. test/unit/zod-to-openapi-slim.test.ts checks that this list stays equal to the
// library's exports when it is upgraded.
export {
  extendZodWithOpenApi,
  getOpenApiMetadata,
  getRefId,
  OpenAPIRegistry,
  zodToOpenAPIRegistry,
} from "@asteasolutions/zod-to-openapi/dist/index.mjs";

/** Stands for a generator left out: constructing one says where the document is made. */
class GeneratorLeftOut {
  constructor() {
    throw new Error(
      "zod-to-openapi's generators are not in this bundle (src/vendor/zod-to-openapi-slim.js): " +
        "generate the document with the browser kit's generateOpenApiDocument",
    );
  }
}

export {
  GeneratorLeftOut as OpenApiGeneratorV3,
  GeneratorLeftOut as OpenApiGeneratorV31,
  GeneratorLeftOut as OpenApiGeneratorV32,
};
