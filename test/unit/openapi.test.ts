// The OpenAPI document, checked in Node with a real validator (ajv needs code generation, which
// workerd forbids): it is valid OpenAPI 3.1, and every route the app serves is in it.
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it, vi } from "vitest";

// The bridge module re-exports the Durable Object class, whose base class only exists in workerd.
vi.mock("cloudflare:workers", () => ({ DurableObject: class {} }));

const { createBridge } = await import("../../src/bridge");

const OPTIONS = {
  env: "test" as const,
  adminKey: "qb_admin_unit_test_key_0123456789",
  signingKeys: "K1:unit-test-signing-key-0123456789abcdef",
};
const ctx = {
  waitUntil() {},
  passThroughOnException() {},
  props: {},
} as unknown as ExecutionContext;

type Doc = {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
};

async function documentOf(bridge: ReturnType<typeof createBridge>, url: string): Promise<Doc> {
  const res = await bridge.fetch(new Request(url), {} as never, ctx);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return (await res.json()) as Doc;
}

/** Hono's `/v1/keys/:id` → OpenAPI's `/v1/keys/{id}`. */
const toOpenApiPath = (p: string) => p.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");

describe("GET /openapi.json", () => {
  const bridge = createBridge(OPTIONS);
  let doc: Doc;
  beforeAll(async () => {
    doc = await documentOf(bridge, "https://qr.test/openapi.json");
  });

  it("is a valid OpenAPI 3.1 document (seriousme/openapi-schema-validator)", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("names this deployment as its server and declares the bearer scheme", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "https://qr.test" }]);
    const components = (doc as unknown as { components: { securitySchemes: object } }).components;
    expect(components.securitySchemes).toMatchObject({
      bearer: { type: "http", scheme: "bearer" },
    });
  });

  it("describes every route the app serves", () => {
    const routes = bridge.app.routes.filter((r) => r.method !== "ALL");
    expect(routes.length).toBeGreaterThan(5);
    const missing = routes
      .map((r) => `${r.method} ${toOpenApiPath(r.path)}`)
      .filter((key) => {
        const [method, path] = key.split(" ") as [string, string];
        return !doc.paths[path]?.[method.toLowerCase()];
      });
    expect(missing).toEqual([]);
  });

  it("carries the request schemas (e.g. POST /v1/keys requires name, kind, scopes)", () => {
    const op = doc.paths["/v1/keys"]?.post as {
      requestBody: { content: { "application/json": { schema: { $ref: string } } } };
    };
    const ref = op.requestBody.content["application/json"].schema.$ref;
    const name = ref.split("/").pop()!;
    const schemas = (
      doc as unknown as { components: { schemas: Record<string, { required: string[] }> } }
    ).components.schemas;
    expect(schemas[name]!.required).toEqual(expect.arrayContaining(["name", "kind", "scopes"]));
  });
});

describe("mounted under a base path", () => {
  it("lists the paths with the base path and the origin as server", async () => {
    const bridge = createBridge({ ...OPTIONS, basePath: "/qr" });
    const doc = await documentOf(bridge, "https://shop.test/qr/openapi.json");
    expect(doc.servers).toEqual([{ url: "https://shop.test" }]);
    expect(Object.keys(doc.paths)).toContain("/qr/v1/keys");
    expect(Object.keys(doc.paths).filter((p) => p !== "/qr" && !p.startsWith("/qr/"))).toEqual([]);
  });
});
