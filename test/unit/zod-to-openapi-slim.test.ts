import type * as Library from "@asteasolutions/zod-to-openapi";
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain JS module (see its header); typed through the real library.
import * as slim from "../../src/vendor/zod-to-openapi-slim.js";

// The library's ES module build: what a bundler (wrangler's esbuild) resolves the bare
// specifier to, and what the slim build re-exports from.
// @ts-expect-error: the library declares its types for the bare specifier only.
const library = (await import("@asteasolutions/zod-to-openapi/dist/index.mjs")) as typeof Library;
const lib = slim as typeof Library;
// What the slim build leaves out of the Worker bundle (the browser kit generates the document).
const GENERATORS = ["OpenApiGeneratorV3", "OpenApiGeneratorV31", "OpenApiGeneratorV32"] as const;

describe("src/vendor/zod-to-openapi-slim.js", () => {
  it("exports every name the library exports (what @hono/zod-openapi imports resolves)", () => {
    expect(Object.keys(slim).sort()).toEqual(Object.keys(library).sort());
  });

  it("re-exports the library's own metadata registry, not a second one", () => {
    expect(lib.zodToOpenAPIRegistry).toBe(library.zodToOpenAPIRegistry);
    expect(lib.OpenAPIRegistry).toBe(library.OpenAPIRegistry);
  });

  it("keeps the registry of definitions and the metadata readers", () => {
    const registry = new lib.OpenAPIRegistry();
    registry.registerComponent("securitySchemes", "key", { type: "http", scheme: "bearer" });
    expect(registry.definitions).toHaveLength(1);
    const thing = z.object({ id: z.string() }).meta({ id: "Thing", description: "A thing" });
    expect(lib.getRefId(thing)).toBe("Thing");
    expect(lib.getOpenApiMetadata(thing)).toMatchObject({ description: "A thing" });
  });

  it("has no generator: constructing one says where the document is made", () => {
    for (const name of GENERATORS) {
      expect(lib[name]).not.toBe(library[name]);
      expect(() => new lib[name]([])).toThrow(/browser kit's generateOpenApiDocument/);
    }
  });
});
