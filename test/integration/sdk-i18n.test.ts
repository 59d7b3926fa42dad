// GET /sdk/i18n/<lang>[.<version>].json through the real Worker in workerd: the <qr-bridge>
// element's catalogs, served from the same source the unit tests read (src/client/langs/), a
// public cacheable GET that any page may read, and a clear 404 for anything else.
import { describe, expect, it } from "vitest";
import { I18N_VERSION } from "../../src/client/dist/i18n.gen";
import { CATALOGS } from "../../src/client/langs/catalogs";
import { call } from "./helpers";

type ErrorBody = { error: string; message: string };

describe("GET /sdk/i18n/<lang>.<version>.json", () => {
  it("serves every language's catalog as JSON, immutable for a year, to any origin", async () => {
    for (const lang of Object.keys(CATALOGS) as (keyof typeof CATALOGS)[]) {
      const res = await call(`/sdk/i18n/${lang}.${I18N_VERSION}.json`, {
        headers: { origin: "https://shop.example" },
      });
      expect(res.status, lang).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("etag")).toBe(`"${I18N_VERSION}"`);
      expect(res.headers.get("set-cookie")).toBeNull();
      expect(await res.json(), lang).toEqual(CATALOGS[lang]);
    }
  });

  it("the plain name, or another version's: this version's texts, cached briefly with an ETag", async () => {
    for (const path of ["/sdk/i18n/ja.json", "/sdk/i18n/ja.0123456789ab.json"]) {
      const res = await call(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control")).toBe(
        "public, max-age=300, stale-while-revalidate=3600",
      );
      expect(res.headers.get("x-qrbridge-i18n-version")).toBe(I18N_VERSION);
      expect(((await res.json()) as { pending: string }).pending).toBe(CATALOGS.ja.pending);
    }
    const again = await call("/sdk/i18n/ja.json", {
      headers: { "if-none-match": `W/"${I18N_VERSION}"` },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  it("404s an unknown, malformed, traversing or over-long tag with the JSON error, never a 500", async () => {
    const paths = [
      "/sdk/i18n/xx.json",
      `/sdk/i18n/xx.${I18N_VERSION}.json`,
      "/sdk/i18n/JA.json",
      "/sdk/i18n/zh-hant.json",
      "/sdk/i18n/ja.js",
      "/sdk/i18n/ja",
      "/sdk/i18n/ja.XYZ.json",
      "/sdk/i18n/..%2F..%2Fwrangler.toml",
      "/sdk/i18n/..%2Fja.json",
      "/sdk/i18n/__proto__.json",
      "/sdk/i18n/constructor.json",
      `/sdk/i18n/${"a".repeat(5000)}.json`,
      `/sdk/i18n/ja.${"0".repeat(65)}.json`,
      "/sdk/i18n/ja.json%00",
      "/sdk/i18n/%3Cscript%3E.json",
    ];
    for (const path of paths) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toMatch(/^application\/json/);
      const body = (await res.json()) as ErrorBody;
      expect(body.error, path).toBe("not_found");
      expect(body.message, path).toContain(`/sdk/i18n/<lang>.${I18N_VERSION}.json`);
      // Nothing of the request is echoed back.
      expect(body.message, path).not.toMatch(/script|wrangler|aaaa|proto/);
    }
    // A dot segment, even escaped, is resolved by the URL itself: /sdk/, no route.
    const dots = await call("/sdk/i18n/%2E%2E");
    expect(dots.status).toBe(404);
    expect(((await dots.json()) as ErrorBody).error).toBe("not_found");
  });

  it("changes nothing: a POST is refused", async () => {
    const res = await call(`/sdk/i18n/ja.${I18N_VERSION}.json`, { method: "POST" });
    expect(res.status).toBe(405);
  });
});
