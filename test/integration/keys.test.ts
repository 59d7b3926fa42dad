// API keys: health, minting, kinds, scopes and revocation; and who may act on an existing
// handoff (a publishable key only creates).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { createHandoff, resolve, tokenOf } from "./handoffs-helpers";
import { ADMIN_KEY, call, mintKey } from "./helpers";

describe("health", () => {
  it("answers ok with a version and no configuration warnings, uncached", async () => {
    const res = await call("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ok: true,
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      warnings: [],
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

// Who may act on an existing handoff. The attack: everything a visitor of the PC page has — the
// publishable key (it is in the page), any `Origin` (a header curl sets), and the handoff id
// (the first 20 characters of the token in the QR) — must not let a phone approve itself.
const E = env as unknown as Env;
const SHOP = "https://shop.test";

/** A publishable key for handoffs from SHOP, with its id (the id the handoff records). */
async function publishableKey(): Promise<{ key: string; id: string }> {
  const res = await call("/v1/keys", {
    method: "POST",
    key: ADMIN_KEY,
    json: { name: "page", kind: "publishable", scopes: ["handoffs:write"], origins: [SHOP] },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { key: string; id: string };
}

/** What the PC page does: create a confirm:"pc" handoff with the publishable key. */
async function pageCreates(pk: string) {
  const res = await call("/v1/handoffs", {
    method: "POST",
    key: pk,
    headers: { origin: SHOP },
    json: { confirm: "pc", payload: { session: "pc-session-secret" } },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Awaited<ReturnType<typeof createHandoff>>;
}

const error = async (res: Response) => ((await res.json()) as { error: string }).error;

describe("a publishable key only creates", () => {
  it('the scanner cannot approve a confirm:"pc" handoff with the page\'s publishable key', async () => {
    const { key: pk } = await publishableKey();
    const h = await pageCreates(pk);
    // The attacker's phone scans the QR: it knows the URL, hence the id.
    const id = tokenOf(h).slice(0, 20);
    const claimed = await resolve(h.url);
    expect(claimed.status).toBe(202);
    const { status, claim } = (await claimed.json()) as { status: string; claim: string };
    expect(status).toBe("awaiting_confirmation");
    expect(claim).toBeTruthy();

    // The attack: approve with the public key and a forged allowed Origin.
    const approve = await call(`/v1/handoffs/${id}/approve`, {
      method: "POST",
      key: pk,
      headers: { origin: SHOP },
    });
    expect(approve.status).toBe(403);
    expect(await error(approve)).toBe("forbidden");
    // Nothing moved: the claimant still waits, the payload stays on the server.
    const still = await resolve(h.url, { claim });
    expect(still.status).toBe(202);
    expect(await still.text()).not.toContain("pc-session-secret");

    // The PC page approves with its watch secret: the claimant gets the payload exactly once.
    const ok = await call(`/v1/handoffs/${id}/approve`, {
      method: "POST",
      json: { watch: h.watch },
    });
    expect(ok.status).toBe(200);
    const done = await resolve(h.url, { claim });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ payload: { session: "pc-session-secret" } });
    // The claimant's retry (a lost answer) gets the same one again; a caller without it does not.
    expect((await resolve(h.url, { claim })).status).toBe(200);
    const again = await resolve(h.url);
    expect(again.status).toBe(409);
    expect(await error(again)).toBe("already_redeemed");
  });

  it("deny, status, long-poll, cancel and the WebSocket refuse the publishable key (403)", async () => {
    const { key: pk } = await publishableKey();
    const h = await pageCreates(pk);
    const id = tokenOf(h).slice(0, 20);
    const asPage = { key: pk, headers: { origin: SHOP } };
    expect((await resolve(h.url)).status).toBe(202);
    const attempts: [string, RequestInit & { key: string }][] = [
      [`/v1/handoffs/${id}/deny`, { ...asPage, method: "POST" }],
      [`/v1/handoffs/${id}`, asPage],
      [`/v1/handoffs/${id}?wait=1`, asPage],
      [`/v1/handoffs/${id}`, { ...asPage, method: "DELETE" }],
      [`/v1/handoffs/${id}/events`, { key: pk, headers: { origin: SHOP, upgrade: "websocket" } }],
    ];
    for (const [path, init] of attempts) {
      const res = await call(path, init);
      expect(res.status, `${init.method ?? "GET"} ${path}`).toBe(403);
      expect(await error(res)).toBe("forbidden");
    }
    // The handoff is untouched, and its watch secret still works.
    const seen = await call(`/v1/handoffs/${id}?watch=${h.watch}`);
    expect(seen.status).toBe(200);
    expect(await seen.json()).toMatchObject({ status: "awaiting_confirmation" });
    const ws = await call(`/v1/handoffs/${id}/events?watch=${h.watch}`, {
      headers: { upgrade: "websocket" },
    });
    expect(ws.status).toBe(101);
    ws.webSocket!.accept();
    ws.webSocket!.close();
  });

  it("the object itself refuses a publishable key's id, even if a caller passed it on", async () => {
    const { key: pk, id: keyId } = await publishableKey();
    const h = await pageCreates(pk);
    expect((await resolve(h.url)).status).toBe(202);
    const stub = E.HANDOFF.get(E.HANDOFF.idFromName(h.id));
    for (const access of [{ keyId }, { keyId, keyKind: "publishable" as const }]) {
      expect(await stub.approve(access)).toMatchObject({ ok: false, error: "forbidden" });
      expect(await stub.get(access)).toMatchObject({ ok: false, error: "forbidden" });
      expect(await stub.cancel(access)).toMatchObject({ ok: false, error: "forbidden" });
    }
    expect(await stub.get({ keyId, keyKind: "secret" })).toMatchObject({ ok: true });
  });

  it("a publishable key still creates, and a secret key still watches what it created", async () => {
    const { key: pk } = await publishableKey();
    const h = await pageCreates(pk);
    expect(h.status).toBe("pending");
    const sk = await call("/v1/keys", {
      method: "POST",
      key: ADMIN_KEY,
      json: { name: "server", kind: "secret", scopes: ["handoffs:write"] },
    });
    const secret = ((await sk.json()) as { key: string }).key;
    const mine = await createHandoff(secret, { confirm: "pc" });
    expect((await call(`/v1/handoffs/${mine.id}`, { key: secret })).status).toBe(200);
    // A secret key never opens a handoff some other key created.
    expect((await call(`/v1/handoffs/${h.id}`, { key: secret })).status).toBe(403);
  });
});
