// Red team: API keys. A revoked key tried on every kind of route and on the console, near-miss
// spellings of the admin key, a publishable key from look-alike origins, and a publishable key
// aimed at everything it may not do (it may only create handoffs and logins).
import { describe, expect, it } from "vitest";
import { createHandoff } from "./handoffs-helpers";
import { ADMIN_KEY, BASE, call, mintKey, mintSecretKey } from "./helpers";
import { createLogin, scanned } from "./logins-helpers";

const SHOP = "https://shop.example";

async function keyId(key: string): Promise<string> {
  const res = await call("/v1/keys", { key: ADMIN_KEY });
  const { keys } = (await res.json()) as { keys: { id: string; prefix: string }[] };
  return keys.find((k) => key.startsWith(k.prefix))!.id;
}

async function revoke(key: string): Promise<void> {
  const res = await call(`/v1/keys/${await keyId(key)}`, { method: "DELETE", key: ADMIN_KEY });
  expect(res.status).toBe(200);
}

describe("a revoked key", () => {
  it("is refused (401) on every kind of route at once, and its console session ends", async () => {
    const key = await mintSecretKey();
    const login = await createLogin(key);
    const scan = await scanned(login);
    const signIn = await call("/dashboard/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
      body: new URLSearchParams({ key }).toString(),
      redirect: "manual",
    });
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    expect((await call("/dashboard/api/labels", { headers: { cookie } })).status).toBe(200);

    await revoke(key);
    const attempts: [string, string, unknown][] = [
      ["POST", "/v1/handoffs", {}],
      ["POST", "/v1/logins", { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" }],
      ["POST", `/v1/logins/${login.id}/approve`, { scan: scan.scan, subject: "u" }],
      ["GET", `/v1/logins/${login.id}`, undefined],
      ["POST", "/v1/stores", { name: "revoked" }],
      ["GET", "/v1/posters", undefined],
      ["GET", "/v1/stats/funnel", undefined],
      ["GET", "/v1/webhooks", undefined],
    ];
    for (const [method, path, json] of attempts) {
      const res = await call(path, { method, key, json });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    expect((await call("/dashboard/api/labels", { headers: { cookie } })).status).toBe(401);
    const again = await call("/dashboard/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
      body: new URLSearchParams({ key }).toString(),
      redirect: "manual",
    });
    expect(again.status).toBe(401);
  });

  it("a revoked publishable key creates nothing, even from its own origin", async () => {
    const pk = await mintKey("publishable", ["handoffs:write", "logins:write"], [SHOP]);
    await revoke(pk);
    for (const path of ["/v1/handoffs", "/v1/logins"]) {
      const res = await call(path, {
        method: "POST",
        key: pk,
        headers: { origin: SHOP },
        json: { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" },
      });
      expect(res.status, path).toBe(401);
    }
  });
});

describe("near misses of the admin key", () => {
  it("another case, a prefix, an extra character, a key-like prefix or another scheme are all 401", async () => {
    const near = [
      ADMIN_KEY.toUpperCase(),
      ADMIN_KEY.slice(0, -1),
      `${ADMIN_KEY}x`,
      `qb_sk_${ADMIN_KEY}`,
      `qb_pk_${ADMIN_KEY}`,
    ].filter((k) => k !== ADMIN_KEY);
    for (const key of near) {
      const res = await call("/v1/keys", { headers: { authorization: `Bearer ${key}` } });
      expect(res.status, key).toBe(401);
    }
    for (const header of [ADMIN_KEY, `Basic ${ADMIN_KEY}`, `Token ${ADMIN_KEY}`]) {
      const res = await call("/v1/keys", { headers: { authorization: header } });
      expect(res.status, header).toBe(401);
    }
  });
});

describe("a publishable key (copied from the page) is pinned to its origins and to creating", () => {
  it("look-alike origins are refused", async () => {
    const pk = await mintKey("publishable", ["handoffs:write"], [SHOP]);
    const lookalikes = [
      "https://shop.example.evil.com",
      "https://evil-shop.example",
      "http://shop.example",
      "https://shop.example:8443",
      "https://shop.example/",
      "null",
      `${SHOP}, https://evil.example`,
    ];
    for (const origin of lookalikes) {
      const res = await call("/v1/handoffs", { method: "POST", key: pk, headers: { origin } });
      expect(res.status, origin).toBe(403);
    }
    const none = await call("/v1/handoffs", { method: "POST", key: pk });
    expect(none.status).toBe(403);
  });

  it("it reads, changes and exchanges nothing, from its own origin, whatever the route", async () => {
    const pk = await mintKey("publishable", ["handoffs:write", "logins:write"], [SHOP]);
    const h = await createHandoff(await mintSecretKey());
    const asPage = { key: pk, headers: { origin: SHOP } };
    const attempts: [string, string, unknown][] = [
      ["GET", "/v1/keys", undefined],
      ["POST", "/v1/keys", { name: "x", kind: "secret", scopes: ["stats:read"] }],
      ["GET", "/v1/posters", undefined],
      ["POST", "/v1/stores", { name: "pk" }],
      ["GET", "/v1/stats/funnel", undefined],
      ["GET", "/v1/hops", undefined],
      ["GET", "/v1/webhooks", undefined],
      ["GET", `/v1/handoffs/${h.id}`, undefined],
      ["DELETE", `/v1/handoffs/${h.id}`, undefined],
      ["POST", "/v1/logins/exchange", { ticket: "x".repeat(48), code_verifier: "y".repeat(43) }],
    ];
    for (const [method, path, json] of attempts) {
      const res = await call(path, { ...asPage, method, json });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    const signIn = await call("/dashboard/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
      body: new URLSearchParams({ key: pk }).toString(),
      redirect: "manual",
    });
    expect(signIn.status).toBe(401);
  });
});
