// /openapi.json and /docs through the Worker in workerd. (The document's validity against the
// OpenAPI 3.1 schema and the route coverage are checked in Node: test/unit/openapi.test.ts.)
import { describe, expect, it } from "vitest";
import { call } from "./helpers";

type Doc = {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, { summary?: string }>>;
};

describe("GET /openapi.json", () => {
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
