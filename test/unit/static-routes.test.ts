// The routes that serve fixed files from the configuration, in Node (no binding needed): the
// app association files (/.well-known/*) and the web embed (/sdk/qrbridge.js).
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { EMBED_JS, EMBED_VERSION } from "../../src/client/dist/embed.gen";
import type { Env } from "../../src/env";
import { normalizeFingerprint } from "../../src/routes/well-known";
import { BASE, call, createBridge, ctx, fetchFrom, testEnv } from "./node-worker";

const APP_ID = "ABCDE12345.com.example.qrbridge";
const SHA =
  "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5";

const secrets = {
  adminKey: testEnv.QB_ADMIN_KEY,
  signingKeys: testEnv.QB_SIGNING_KEYS,
  env: "test" as const,
};

function expectServedAsJson(res: Response): void {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json\b/);
  expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
  expect(res.headers.get("location")).toBeNull();
}

describe("GET /.well-known/apple-app-site-association", () => {
  it("associates /h/* and /p/* with the iOS app, case-insensitively, plus legacy paths", async () => {
    const res = await call("/.well-known/apple-app-site-association");
    expectServedAsJson(res);
    expect(await res.json()).toEqual({
      applinks: {
        apps: [],
        details: [
          {
            appIDs: [APP_ID],
            components: [
              { "/": "/h/*", caseSensitive: false, comment: "handoff links (QR codes use /H/)" },
              { "/": "/p/*", caseSensitive: false, comment: "poster links (QR codes use /P/)" },
            ],
          },
          { appID: APP_ID, paths: ["/h/*", "/H/*", "/p/*", "/P/*"] },
        ],
      },
      appclips: { apps: [`${APP_ID}.Clip`] },
    });
  });

  it("is valid and empty when no iOS app is configured", async () => {
    const res = await fetchFrom(
      createBridge({ ...secrets, apps: {} }),
      "/.well-known/apple-app-site-association",
    );
    expectServedAsJson(res);
    expect(await res.json()).toEqual({ applinks: { apps: [], details: [] } });
  });

  it("prefixes the paths with the base path, in both spellings for legacy iOS", async () => {
    const bridge = createBridge(
      { ...secrets, apps: { iosAppIds: [APP_ID, "ZZZZZ99999.com.example.other"] } },
      { basePath: "/qr" },
    );
    const res = await fetchFrom(bridge, "/qr/.well-known/apple-app-site-association");
    expectServedAsJson(res);
    const body = (await res.json()) as {
      applinks: {
        details: { appIDs?: string[]; components?: { "/": string }[]; paths?: string[] }[];
      };
    };
    expect(body.applinks.details[0]!.appIDs).toEqual([APP_ID, "ZZZZZ99999.com.example.other"]);
    expect(body.applinks.details[0]!.components!.map((c) => c["/"])).toEqual([
      "/qr/h/*",
      "/qr/p/*",
    ]);
    expect(body.applinks.details.slice(1)).toEqual([
      { appID: APP_ID, paths: ["/qr/h/*", "/QR/H/*", "/qr/p/*", "/QR/P/*"] },
      {
        appID: "ZZZZZ99999.com.example.other",
        paths: ["/qr/h/*", "/QR/H/*", "/qr/p/*", "/QR/P/*"],
      },
    ]);
  });

  it("can be forwarded from the root by a host Worker that mounts the bridge (docs snippet)", async () => {
    const bridge = createBridge({ ...secrets, apps: { iosAppIds: [APP_ID] } }, { basePath: "/qr" });
    const company = new Hono<{ Bindings: Env }>();
    company.get("/.well-known/:file{apple-app-site-association|assetlinks\\.json}", (c) =>
      bridge.fetch(
        new Request(new URL(`/qr${c.req.path}`, c.req.url), c.req.raw),
        c.env,
        c.executionCtx as ExecutionContext,
      ),
    );
    const res = await company.fetch(
      new Request(`${BASE}/.well-known/apple-app-site-association`),
      testEnv,
      ctx,
    );
    expectServedAsJson(res);
    const body = (await res.json()) as {
      applinks: { details: { components?: { "/": string }[] }[] };
    };
    expect(body.applinks.details[0]!.components!.map((c) => c["/"])).toEqual([
      "/qr/h/*",
      "/qr/p/*",
    ]);
    const other = await company.fetch(new Request(`${BASE}/.well-known/other`), testEnv, ctx);
    expect(other.status).toBe(404);
  });

  it("uses the path of QB_PUBLIC_URL when links are published under one", async () => {
    const bridge = createBridge({
      ...secrets,
      publicUrl: "https://example.com/go/",
      apps: { iosAppIds: [APP_ID] },
    });
    const res = await fetchFrom(bridge, "/.well-known/apple-app-site-association");
    const body = (await res.json()) as {
      applinks: { details: { components?: { "/": string }[] }[] };
    };
    expect(body.applinks.details[0]!.components!.map((c) => c["/"])).toEqual([
      "/go/h/*",
      "/go/p/*",
    ]);
  });
});

describe("GET /.well-known/assetlinks.json", () => {
  it("delegates handle_all_urls to the Android package and its certificate", async () => {
    const res = await call("/.well-known/assetlinks.json");
    expectServedAsJson(res);
    expect(await res.json()).toEqual([
      {
        relation: ["delegate_permission/common.handle_all_urls"],
        target: {
          namespace: "android_app",
          package_name: "com.example.qrbridge",
          sha256_cert_fingerprints: [SHA],
        },
      },
    ]);
  });

  it("is [] without a package or without a fingerprint", async () => {
    for (const apps of [{}, { androidPackage: "com.example.qrbridge" }, { androidSha256: [SHA] }]) {
      const res = await fetchFrom(
        createBridge({ ...secrets, apps }),
        "/.well-known/assetlinks.json",
      );
      expectServedAsJson(res);
      expect(await res.json()).toEqual([]);
    }
  });

  it("writes fingerprints in Google's colon form", async () => {
    const bare = SHA.replace(/:/g, "").toLowerCase();
    expect(normalizeFingerprint(bare)).toBe(SHA);
    expect(normalizeFingerprint(` ${SHA.toLowerCase()} `)).toBe(SHA);
    const res = await fetchFrom(
      createBridge({ ...secrets, apps: { androidPackage: "com.x.y", androidSha256: [bare] } }),
      "/.well-known/assetlinks.json",
    );
    const body = (await res.json()) as { target: { sha256_cert_fingerprints: string[] } }[];
    expect(body[0]!.target.sha256_cert_fingerprints).toEqual([SHA]);
  });
});

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

describe("GET /favicon.ico", () => {
  it("answers 204, cached for a week, instead of a 404 on every page view", async () => {
    for (const method of ["GET", "HEAD"]) {
      const res = await call("/favicon.ico", { method });
      expect(res.status, method).toBe(204);
      expect(res.headers.get("cache-control")).toBe("public, max-age=604800");
      expect(await res.text()).toBe("");
    }
  });
});
