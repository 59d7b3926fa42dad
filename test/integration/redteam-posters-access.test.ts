// Red team, offline path: who may do what. Every poster, store, campaign, logo and print route
// is tried with no key, a made-up key, a publishable key (it may only create handoffs and
// logins), a secret key without posters:write (read-only stats) and a revoked posters key, each
// as a caller would send it, with real ids so only the credential is wrong. None gets through
// and none changes anything.
import { beforeAll, describe, expect, it } from "vitest";
import { encodeRgbaPng } from "../../src/core/png";
import { ADMIN_KEY, call, mintKey } from "./helpers";
import { makePoster, makeStore, type PosterJson, posterKey } from "./poster-helpers";

interface Route {
  method: string;
  path: string;
  json?: unknown;
}

let poster: PosterJson;
let storeId: string;
let campaignId: string;
let logoId: string;
let routes: Route[];

beforeAll(async () => {
  const store = await makeStore("Access shop");
  storeId = store.id;
  poster = await makePoster({ store_id: storeId, campaign: `access ${crypto.randomUUID()}` });
  campaignId = poster.campaign_id!;
  const png = await encodeRgbaPng(16, 16, new Uint8Array(16 * 16 * 4).fill(200));
  const logo = await call("/v1/logos", {
    method: "POST",
    key: await posterKey(),
    json: { png: btoa(String.fromCharCode(...png)) },
  });
  logoId = ((await logo.json()) as { id: string }).id;
  const id = poster.id;
  routes = [
    { method: "POST", path: "/v1/posters", json: { name: "x", path: "/x" } },
    { method: "POST", path: "/v1/posters/batch", json: { posters: [{ name: "x", path: "/x" }] } },
    { method: "POST", path: "/v1/posters/batch?dry_run=true", json: { posters: [] } },
    { method: "GET", path: "/v1/posters" },
    { method: "GET", path: `/v1/posters/${id}` },
    { method: "PATCH", path: `/v1/posters/${id}`, json: { path: "/evil" } },
    { method: "DELETE", path: `/v1/posters/${id}` },
    { method: "GET", path: `/v1/posters/${id}/print.svg` },
    { method: "GET", path: `/v1/posters/${id}/print.pdf` },
    { method: "GET", path: `/v1/posters/print-sheet.svg?ids=${id}` },
    { method: "GET", path: `/v1/posters/print-sheet.pdf?ids=${id}` },
    { method: "POST", path: "/v1/stores", json: { name: "x" } },
    { method: "GET", path: "/v1/stores" },
    { method: "GET", path: `/v1/stores/${storeId}` },
    { method: "PATCH", path: `/v1/stores/${storeId}`, json: { name: "Hijacked" } },
    { method: "DELETE", path: `/v1/stores/${storeId}` },
    { method: "GET", path: "/v1/campaigns" },
    { method: "POST", path: "/v1/campaigns", json: { name: `x ${crypto.randomUUID()}` } },
    { method: "GET", path: `/v1/campaigns/${campaignId}` },
    { method: "POST", path: "/v1/logos", json: { png: btoa(String.fromCharCode(...png)) } },
    { method: "GET", path: `/v1/logos/${logoId}` },
  ];
});

async function send(r: Route, key?: string, origin?: string): Promise<Response> {
  const headers: Record<string, string> = origin ? { origin } : {};
  return call(r.path, { method: r.method, key, json: r.json, headers });
}

/** The poster and store exactly as they were made: nothing above changed them. */
async function expectUnchanged() {
  const key = await posterKey();
  const p = (await (await call(`/v1/posters/${poster.id}`, { key })).json()) as PosterJson;
  expect(p).toMatchObject({ path: poster.path, status: "active", deleted_at: null, version: 1 });
  const s = (await (await call(`/v1/stores/${storeId}`, { key })).json()) as { name: string };
  expect(s.name).toBe("Access shop");
}

describe("red team: credentials on the offline path's routes", () => {
  it("refuses no key and a made-up key with 401", async () => {
    for (const key of [undefined, "qb_sk_notarealkey000000000000000000", "qb_pk_made_up", "x"]) {
      for (const r of routes) {
        const res = await send(r, key);
        expect(res.status, `${r.method} ${r.path} with ${key}`).toBe(401);
      }
    }
    await expectUnchanged();
  });

  it("refuses a publishable key from its own allowed origin with 403", async () => {
    const origin = "https://shop.example";
    const pk = await mintKey("publishable", ["handoffs:write", "logins:write"], [origin]);
    for (const r of routes) {
      const res = await send(r, pk, origin);
      expect(res.status, `${r.method} ${r.path}`).toBe(403);
      expect(await res.json()).toMatchObject({ error: "forbidden" });
    }
    // Nor can a publishable key be minted with the posters scope in the first place.
    const mint = await call("/v1/keys", {
      method: "POST",
      key: ADMIN_KEY,
      json: { name: "pk", kind: "publishable", scopes: ["posters:write"], origins: [origin] },
    });
    expect(mint.status).toBe(400);
    await expectUnchanged();
  });

  it("refuses secret keys without posters:write (stats, handoffs, webhooks) with 403", async () => {
    for (const scopes of [["stats:read"], ["handoffs:write", "logins:write", "webhooks:write"]]) {
      const key = await mintKey("secret", scopes);
      for (const r of routes) {
        const res = await send(r, key);
        expect(res.status, `${r.method} ${r.path} with ${scopes}`).toBe(403);
      }
    }
    await expectUnchanged();
  });

  it("refuses a posters key from the moment it is revoked", async () => {
    const key = await mintKey("secret", ["posters:write"]);
    expect((await call(`/v1/posters/${poster.id}`, { key })).status).toBe(200);
    const keys = (await (await call("/v1/keys", { key: ADMIN_KEY })).json()) as {
      keys: { id: string; prefix: string }[];
    };
    const record = keys.keys.find((k) => key.startsWith(k.prefix))!;
    const revoke = await call(`/v1/keys/${record.id}`, { method: "DELETE", key: ADMIN_KEY });
    expect(revoke.status).toBe(200);
    for (const r of routes) {
      const res = await send(r, key);
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
    }
    await expectUnchanged();
  });

  it("does not let a posters key mint keys or read the hop log", async () => {
    const key = await posterKey();
    const mint = await call("/v1/keys", {
      method: "POST",
      key,
      json: { name: "escalate", kind: "secret", scopes: ["stats:read"] },
    });
    expect(mint.status).toBe(403);
    expect((await call("/v1/hops?from=2026-01-01&to=2026-01-02", { key })).status).toBe(403);
  });
});
