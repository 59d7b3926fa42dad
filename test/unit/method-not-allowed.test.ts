// A known path asked with another method answers 405 with `Allow` and the JSON error; an
// unknown path stays a 404. Routed in Node: neither answer touches a binding.
import { describe, expect, it } from "vitest";
import { allowedMethods } from "../../src/routes/method-not-allowed";
import { BASE, call, createBridge, ctx, testEnv } from "./node-worker";

async function expect405(res: Response, allow: string) {
  expect(res.status).toBe(405);
  expect(res.headers.get("allow")).toBe(allow);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(await res.json()).toEqual({
    error: "method_not_allowed",
    message: expect.stringContaining(`use ${allow}`),
    details: { allow: allow.split(", ") },
  });
}

describe("405 Method Not Allowed", () => {
  it("names the methods of a fixed path, with HEAD wherever GET is", async () => {
    const res = await call("/v1/keys", { method: "PUT" });
    await expect405(res, "GET, HEAD, POST");
    expect(res.headers.get("cache-control")).toBe("no-store");
    await expect405(await call("/healthz", { method: "POST" }), "GET, HEAD");
  });

  it("matches parameterised paths as the router does", async () => {
    await expect405(
      await call("/v1/posters/pst_0123", { method: "PUT" }),
      "DELETE, GET, HEAD, PATCH",
    );
    await expect405(await call("/v1/handoffs/abc/approve", { method: "GET" }), "POST");
    // Link paths are case-folded before routing, as a scan's /H/… is.
    await expect405(await call("/H/NOT-A-TOKEN", { method: "POST" }), "GET, HEAD");
  });

  it("answers HEAD on a POST-only path with 405 and no body", async () => {
    const res = await call("/v1/resolve", { method: "HEAD" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(await res.text()).toBe("");
  });

  it("keeps 404 for paths no method serves", async () => {
    for (const [method, path] of [
      ["GET", "/v1/nothing-here"],
      ["POST", "/wp-login.php"],
      ["PUT", "/v1/keys/extra/segments/here"],
    ] as const) {
      const res = await call(path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get("allow")).toBeNull();
      expect(((await res.json()) as { error: string }).error).toBe("not_found");
    }
  });

  it("judges paths under a base path, and nothing outside it", async () => {
    const bridge = createBridge(
      { adminKey: testEnv.QB_ADMIN_KEY, signingKeys: testEnv.QB_SIGNING_KEYS, env: "test" },
      { basePath: "/qr" },
    );
    const send = (method: string, path: string) =>
      bridge.fetch(new Request(`${BASE}${path}`, { method }), testEnv, ctx);
    await expect405(await send("PUT", "/qr/v1/keys"), "GET, HEAD, POST");
    await expect405(await send("DELETE", "/qr/v1/webhooks/whe_0123456789abcdef/test"), "POST");
    expect((await send("PUT", "/v1/keys")).status).toBe(404);
    expect(allowedMethods(bridge.app, "/qr/healthz")).toEqual(["GET", "HEAD"]);
    expect(allowedMethods(bridge.app, "/healthz")).toEqual([]);
  });

  it("sees routes added to the app after its first miss", async () => {
    const bridge = createBridge({
      adminKey: testEnv.QB_ADMIN_KEY,
      signingKeys: testEnv.QB_SIGNING_KEYS,
    });
    expect(allowedMethods(bridge.app, "/custom/thing")).toEqual([]);
    bridge.app.delete("/custom/:name", (c) => c.body(null, 204));
    expect(allowedMethods(bridge.app, "/custom/thing")).toEqual(["DELETE"]);
  });
});
