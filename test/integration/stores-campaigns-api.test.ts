// Stores and campaigns through the API: a store's whole life (create, list, read, change,
// delete), its metadata kept as sent except a "__proto__" key, and the campaigns posters make.
import { describe, expect, it } from "vitest";
import { call } from "./helpers";
import { makePoster, makeStore, posterKey } from "./poster-helpers";

describe("/v1/stores and /v1/campaigns", () => {
  it("creates, lists, reads, changes and deletes stores", async () => {
    const key = await posterKey();
    const s = await makeStore("Ginza", {
      address: "4-6-16 Ginza",
      ref: "G-01",
      metadata: { floor: 2 },
    });
    expect(s.id).toMatch(/^st_[0-9a-z]{12}$/);
    const got = await call(`/v1/stores/${s.id}`, { key });
    expect(await got.json()).toMatchObject({
      name: "Ginza",
      address: "4-6-16 Ginza",
      ref: "G-01",
      metadata: { floor: 2 },
    });
    const patched = await call(`/v1/stores/${s.id}`, {
      method: "PATCH",
      key,
      json: { name: "Ginza 2F", address: null },
    });
    expect(await patched.json()).toMatchObject({ name: "Ginza 2F", address: null, ref: "G-01" });
    const list = await call("/v1/stores?limit=200", { key });
    const stores = ((await list.json()) as { stores: { id: string }[] }).stores;
    expect(stores.map((x) => x.id)).toContain(s.id);
    expect((await call(`/v1/stores/${s.id}`, { method: "DELETE", key })).status).toBe(200);
    expect((await call(`/v1/stores/${s.id}`, { key })).status).toBe(404);
    expect((await call("/v1/stores/nope", { key })).status).toBe(400);
  });

  it('refuses a "__proto__" metadata key instead of storing the rest without it', async () => {
    const key = await posterKey();
    const headers = { "content-type": "application/json" };
    const body = '{"name":"x","metadata":{"__proto__":{"a":1},"b":2}}';
    const res = await call("/v1/stores", { method: "POST", key, headers, body });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: "validation_failed",
      message: 'metadata.__proto__: a key may not be "__proto__"',
    });
    // Deeper down, metadata is kept as sent.
    const nested = '{"name":"x","metadata":{"b":{"__proto__":1}}}';
    const ok = await call("/v1/stores", { method: "POST", key, headers, body: nested });
    expect(ok.status).toBe(201);
    expect(JSON.stringify(((await ok.json()) as { metadata: unknown }).metadata)).toBe(
      '{"b":{"__proto__":1}}',
    );
  });

  it("lists and reads campaigns created by posters", async () => {
    const key = await posterKey();
    const p = await makePoster({ campaign: "Listed campaign" });
    const list = await call("/v1/campaigns?limit=200", { key });
    const campaigns = ((await list.json()) as { campaigns: { id: string; name: string }[] })
      .campaigns;
    expect(campaigns).toContainEqual(
      expect.objectContaining({ id: p.campaign_id, name: "Listed campaign" }),
    );
    const one = await call(`/v1/campaigns/${p.campaign_id}`, { key });
    expect(await one.json()).toMatchObject({ name: "Listed campaign" });
  });
});
