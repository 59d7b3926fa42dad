import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN_KEY, call, mintKey } from "./helpers";

describe("health", () => {
  it("answers ok with a version, uncached", async () => {
    const res = await call("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ok: true,
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
  });
});

describe("POST /v1/keys", () => {
  it("mints a secret key shown once and stores only its hash", async () => {
    const res = await call("/v1/keys", {
      method: "POST",
      key: ADMIN_KEY,
      json: { name: "backend", kind: "secret", scopes: ["posters:write"] },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { id: string; key: string; kind: string; scopes: string[] };
    expect(body.key).toMatch(/^qb_sk_[0-9A-Za-z]{32}$/);
    expect(body.kind).toBe("secret");
    expect(body.scopes).toEqual(["posters:write"]);
    const row = await env.DB.prepare("SELECT * FROM api_keys WHERE id = ?")
      .bind(body.id)
      .first<Record<string, string>>();
    expect(row).not.toBeNull();
    expect(JSON.stringify(row)).not.toContain(body.key);
    expect(row!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    const list = await call("/v1/keys", { key: ADMIN_KEY });
    expect(JSON.stringify(await list.json())).not.toContain(body.key);
  });

  it("mints a publishable key only with allowed scopes and an origin", async () => {
    const noOrigin = await call("/v1/keys", {
      method: "POST",
      key: ADMIN_KEY,
      json: { name: "web", kind: "publishable", scopes: ["handoffs:write"] },
    });
    expect(noOrigin.status).toBe(400);
    expect(((await noOrigin.json()) as { message: string }).message).toMatch(/^origins/);
    const badScope = await call("/v1/keys", {
      method: "POST",
      key: ADMIN_KEY,
      json: {
        name: "web",
        kind: "publishable",
        scopes: ["stats:read"],
        origins: ["https://shop.test"],
      },
    });
    expect(badScope.status).toBe(400);
    const key = await mintKey("publishable", ["handoffs:write"], ["https://shop.test"]);
    expect(key).toMatch(/^qb_pk_/);
  });

  it("uses a minted key: right scope passes, wrong scope is 403, revoked is 401", async () => {
    const key = await mintKey("secret", ["stats:read"]);
    // A secret key cannot mint keys (admin only).
    const mint = await call("/v1/keys", {
      method: "POST",
      key,
      json: { name: "x", kind: "secret", scopes: ["stats:read"] },
    });
    expect(mint.status).toBe(403);
    expect(await mint.json()).toMatchObject({ error: "forbidden" });
    const list = (await (await call("/v1/keys", { key: ADMIN_KEY })).json()) as {
      keys: { id: string; prefix: string }[];
    };
    const id = list.keys.find((k) => key.startsWith(k.prefix))!.id;
    const del = await call(`/v1/keys/${id}`, { method: "DELETE", key: ADMIN_KEY });
    expect(del.status).toBe(200);
    const again = await call(`/v1/keys/${id}`, { method: "DELETE", key: ADMIN_KEY });
    expect(again.status).toBe(404);
  });
});

describe("errors", () => {
  it("401 without a key and with a wrong key", async () => {
    const none = await call("/v1/keys");
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: "unauthorized", message: expect.any(String) });
    const wrong = await call("/v1/keys", { key: "qb_sk_not_a_real_key_at_all_000000" });
    expect(wrong.status).toBe(401);
    const wrongAdmin = await call("/v1/keys", { key: `${ADMIN_KEY}x` });
    expect(wrongAdmin.status).toBe(401);
  });

  it("400 invalid_json for malformed JSON", async () => {
    const res = await call("/v1/keys", {
      method: "POST",
      key: ADMIN_KEY,
      headers: { "content-type": "application/json" },
      body: '{"name": "x",',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_json" });
  });

  it("400 validation_failed names the field", async () => {
    const res = await call("/v1/keys", {
      method: "POST",
      key: ADMIN_KEY,
      json: { name: "x", kind: "secret", scopes: ["nope"] },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: string;
      message: string;
      details: { fields: { field: string }[] };
    };
    expect(body.error).toBe("validation_failed");
    expect(body.details.fields[0]!.field).toBe("scopes.0");
  });

  it("415 for a body that is not JSON", async () => {
    const res = await call("/v1/keys", {
      method: "POST",
      key: ADMIN_KEY,
      headers: { "content-type": "text/plain" },
      body: "name=x",
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: "unsupported_media_type" });
  });

  it("413 for an oversize body", async () => {
    const res = await call("/v1/keys", {
      method: "POST",
      key: ADMIN_KEY,
      json: { name: "x".repeat(70 * 1024), kind: "secret", scopes: ["stats:read"] },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "payload_too_large" });
  });

  it("404 JSON for an unknown route", async () => {
    const res = await call("/v1/nothing-here");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toMatchObject({ error: "not_found" });
  });

  it("answers CORS preflight for the API", async () => {
    const res = await call("/v1/keys", {
      method: "OPTIONS",
      headers: { origin: "https://shop.test" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-headers")).toContain("authorization");
  });
});
