// The OpenAPI document made off the main bundle (src/routes/openapi-generator.ts, in the browser
// kit) is the one OpenAPIHono makes itself: the same bytes, key order included. In our Worker the
// kit is a module of its own with its own copy of zod-to-openapi, so it is checked here as built
// (src/generated/browser-kit.js, from `npm test`'s pretest) as well as from its source.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { zodToOpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import type * as BrowserKit from "../../src/browser-kit";
import { generateOpenApiDocument } from "../../src/routes/openapi-generator";
import { createBridge } from "./node-worker";

const BUILT_KIT = new URL("../../src/generated/browser-kit.js", import.meta.url);
const built = (await import(/* @vite-ignore */ BUILT_KIT.href)) as typeof BrowserKit;

const CONFIG = {
  openapi: "3.1.0",
  info: { title: "t", version: "1" },
  tags: [{ name: "things", description: "Things" }],
};
const GENERATORS = [
  ["as built (its own copy of zod-to-openapi)", built.generateOpenApiDocument],
  ["from its source", generateOpenApiDocument],
] as const;

/** A small app under `/qr`: a named (ref'd) schema, a path parameter, the base path itself. */
function mountedApp() {
  const Thing = z
    .object({ id: z.string().openapi({ example: "th_1" }), size: z.number().int().optional() })
    .openapi("Thing", { description: "A thing" });
  const app = new OpenAPIHono().basePath("/qr");
  const ok = { 200: { description: "ok", content: { "application/json": { schema: Thing } } } };
  app.openapi(createRoute({ method: "get", path: "/", tags: ["things"], responses: ok }), (c) =>
    c.json({ id: "x" }, 200),
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/things/{id}",
      tags: ["things"],
      request: { params: z.object({ id: z.string().min(3).openapi({ description: "Its id" }) }) },
      responses: ok,
    }),
    (c) => c.json({ id: c.req.valid("param").id }, 200),
  );
  return app;
}

describe("generateOpenApiDocument", () => {
  it("the built kit bundles its own generator (the main bundle's copy has none)", () => {
    const source = readFileSync(fileURLToPath(BUILT_KIT), "utf8");
    expect(source).not.toMatch(/@asteasolutions\/zod-to-openapi/);
    expect(source).toContain("generateDocumentData");
  });

  for (const [how, generate] of GENERATORS) {
    it(`${how}: qrbridge's routes give OpenAPIHono's own document, byte for byte`, () => {
      const { app } = createBridge({
        env: "test",
        adminKey: "qb_admin_unit_test_key_0123456789",
        signingKeys: "K1:unit-test-signing-key-0123456789abcdef",
      });
      const expected = JSON.stringify(app.getOpenAPI31Document(CONFIG));
      const actual = generate(app.openAPIRegistry.definitions, "/", CONFIG, zodToOpenAPIRegistry);
      // The schemas' metadata was read: named schemas are components, referred to by $ref.
      expect(Object.keys(actual.components?.schemas ?? {}).length).toBeGreaterThan(20);
      expect(JSON.stringify(actual)).toBe(expected);
    });

    it(`${how}: under a base path, the paths are the ones OpenAPIHono gives`, () => {
      const app = mountedApp();
      const actual = generate(app.openAPIRegistry.definitions, "/qr", CONFIG, zodToOpenAPIRegistry);
      expect(Object.keys(actual.paths ?? {})).toEqual(["/qr", "/qr/things/{id}"]);
      expect(JSON.stringify(actual)).toBe(JSON.stringify(app.getOpenAPI31Document(CONFIG)));
      expect(actual.components?.schemas?.Thing).toMatchObject({ description: "A thing" });
    });
  }
});
