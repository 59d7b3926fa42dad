// /sdk/qrbridge.js through the Worker: the built embed, its caching and CORS headers, and the
// versioned immutable file.
import { describe, expect, it } from "vitest";
import { EMBED_JS, EMBED_VERSION } from "../../src/client/dist/embed.gen";
import { call } from "./helpers";

describe("GET /sdk/qrbridge.js", () => {
  it("serves the built ES module with CORS, a short cache and an ETag", async () => {
    const res = await call("/sdk/qrbridge.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cache-control")).toMatch(/max-age=300\b/);
    expect(res.headers.get("etag")).toBe(`"${EMBED_VERSION}"`);
    expect(res.headers.get("x-qrbridge-sdk-version")).toBe(EMBED_VERSION);
    const body = await res.text();
    expect(body).toBe(EMBED_JS);
    expect(body).toContain('customElements.define("qr-bridge"');
    expect(body).toContain("qrbridge:error");
  });

  it("answers 304 to a matching If-None-Match", async () => {
    const res = await call("/sdk/qrbridge.js", {
      headers: { "if-none-match": `W/"${EMBED_VERSION}"` },
    });
    expect(res.status).toBe(304);
    expect(await res.text()).toBe("");
  });

  it("serves the versioned file as immutable for a year", async () => {
    const res = await call(`/sdk/qrbridge.${EMBED_VERSION}.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await res.text()).toBe(EMBED_JS);
  });

  it("404s another version or file with the JSON error naming the current file", async () => {
    for (const path of ["/sdk/qrbridge.0123456789ab.js", "/sdk/other.js", "/sdk/qrbridge.mjs"]) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe("not_found");
      expect(body.message).toContain(`/sdk/qrbridge.${EMBED_VERSION}.js`);
    }
  });
});
