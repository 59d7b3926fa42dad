// The OpenAPI document and the /docs page, in Node: the document is valid OpenAPI 3.1 (checked
// with a real validator: ajv needs code generation, which workerd forbids), every route the app
// serves is in it, and /docs renders it under the page CSP.
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it, vi } from "vitest";

// The bridge module re-exports the Durable Object class, whose base class only exists in workerd.
vi.mock("cloudflare:workers", () => ({ DurableObject: class {} }));

const { createBridge } = await import("../../src/bridge");
const { call } = await import("./node-worker");

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
  info: { title: string; version: string };
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

  it("names this deployment as its server and declares a scheme per credential", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "https://qr.test" }]);
    const components = (doc as unknown as { components: { securitySchemes: object } }).components;
    expect(components.securitySchemes).toMatchObject({
      secretKey: { type: "http", scheme: "bearer" },
      publishableKey: { type: "http", scheme: "bearer" },
      adminKey: { type: "http", scheme: "bearer" },
      watch: { type: "apiKey", in: "query", name: "watch" },
      dashboardSession: { type: "apiKey", in: "cookie", name: "qb_session" },
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

describe("GET /openapi.json through the Worker", () => {
  it("serves the 3.1 document with this deployment as server, cacheable and CORS-open", async () => {
    const res = await call("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const doc = (await res.json()) as Doc;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: "qrbridge", version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: "https://qr.test" }]);
    for (const [path, method] of [
      ["/v1/keys", "post"],
      ["/v1/handoffs", "post"],
      ["/v1/resolve", "post"],
      ["/v1/logins", "post"],
      ["/v1/logins/{id}", "get"],
      ["/v1/logins/{id}/events", "get"],
      ["/v1/logins/scan", "post"],
      ["/v1/logins/{id}/approve", "post"],
      ["/v1/logins/{id}/deny", "post"],
      ["/v1/logins/exchange", "post"],
      ["/l/{token}", "get"],
      ["/sdk/{file}", "get"],
      ["/openapi.json", "get"],
      ["/docs", "get"],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});

describe("GET /docs", () => {
  it("renders every operation of the document, under a nonce CSP with no third-party source", async () => {
    const [page, docRes] = await Promise.all([call("/docs"), call("/openapi.json")]);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = page.headers.get("content-security-policy") ?? "";
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const html = await page.text();
    expect(html).toContain(`<script nonce="${nonce}">`);
    // No CDN: every src/href is relative to this deployment or an in-page anchor.
    const external = [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((u) => !u.startsWith("#") && !u.startsWith("https://qr.test/"));
    expect(external).toEqual([]);
    const doc = (await docRes.json()) as Doc;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) {
        expect(html, `${method} ${path}`).toContain(
          `data-method="${method.toUpperCase()}" data-path="${path}"`,
        );
      }
    }
  });

  it("gives every response its own nonce (the page is rendered once, the nonce swapped in)", async () => {
    const pages = await Promise.all([call("/docs"), call("/docs")]);
    const nonces = pages.map(
      (p) => /script-src 'nonce-([^']+)'/.exec(p.headers.get("content-security-policy")!)![1]!,
    );
    expect(nonces[0]).not.toBe(nonces[1]);
    const [a, b] = await Promise.all(pages.map((p) => p.text()));
    expect(a).toContain(`<style nonce="${nonces[0]}">`);
    expect(b).toContain(`<script nonce="${nonces[1]}">`);
    expect(a).not.toContain(nonces[1]);
    expect(a).not.toContain("\u0000");
  });

  it("escapes text from the document (descriptions are data, not markup)", async () => {
    const html = await (await call("/docs")).text();
    // The /v1/handoffs/{id}/events description mentions a JSON message with quotes.
    expect(html).not.toMatch(/<script(?![^>]*nonce)/);
    expect(html).toContain("&quot;type&quot;");
  });
});
