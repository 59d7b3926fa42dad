// Red team: who may roll or edit a key, and what cannot be. A key that is not the admin key (even
// on itself, even through its console session), keys revoked, rolled or expired, expired keys
// at the console, and bad input of every field. The busy day: redteam-keys-roll.test.ts.
import { afterEach, describe, expect, it, vi } from "vitest";
import { consoleCall, session } from "./console-helpers";
import { ADMIN_KEY, call, mintSecretKey } from "./helpers";
import { db } from "./idempotency-helpers";
import { clockAt, errorOf, mint, patch, roll, SHOP, storesCall, T0 } from "./key-roll-helpers";

afterEach(() => vi.useRealTimers());

describe("only the admin key rolls and edits", () => {
  it("a secret key (even on itself), a publishable key, no key and a key's console session are refused; nothing changes", async () => {
    const target = await mint({});
    const self = await mint({ scopes: ["posters:write", "stats:read"] });
    const everything = await mintSecretKey();
    const pk = await mint({ kind: "publishable", scopes: ["handoffs:write"], origins: [SHOP] });
    for (const [who, key, id] of [
      ["secret", everything, target.id],
      ["itself", self.key, self.id],
    ] as const) {
      expect((await roll(id, { expires_in: 0 }, { key })).status, who).toBe(403);
      expect((await patch(id, { name: "taken" }, key)).status, who).toBe(403);
    }
    const fromPage = await call(`/v1/keys/${target.id}/roll`, {
      method: "POST",
      key: pk.key,
      headers: { origin: SHOP },
    });
    expect(fromPage.status).toBe(403);
    const none = await call(`/v1/keys/${target.id}/roll`, { method: "POST" });
    expect(none.status).toBe(401);
    expect(
      (await call(`/v1/keys/${target.id}`, { method: "PATCH", json: { name: "x" } })).status,
    ).toBe(401);
    const s = await session(self.key);
    expect((await consoleCall(s, "POST", `/v1/keys/${target.id}/roll`)).status).toBe(403);
    expect((await consoleCall(s, "PATCH", `/v1/keys/${target.id}`, { name: "x" })).status).toBe(
      403,
    );
    const row = await db
      .prepare("SELECT name, expires_at, rolled_to FROM api_keys WHERE id = ?")
      .bind(target.id)
      .first();
    expect(row).toEqual({ name: "roll test", expires_at: null, rolled_to: null });
    expect(await storesCall(target.key)).toEqual({ status: 200 });
  });

  it("an admin console session rolls, with the key shown once in its answer", async () => {
    const target = await mint({});
    const s = await session(ADMIN_KEY);
    const res = await consoleCall(s, "POST", `/v1/keys/${target.id}/roll`, { expires_in: 0 });
    expect(res.status).toBe(201);
    const { key } = (await res.json()) as { key: string };
    expect(await storesCall(key)).toEqual({ status: 200 });
    expect(await storesCall(target.key)).toEqual({ status: 401, error: "key_expired" });
  });
});

describe("keys that cannot be rolled or edited", () => {
  it("unknown is 404; revoked, already rolled or expired is 409 saying why", async () => {
    expect((await roll("key_doesnotexist00")).status).toBe(404);
    expect((await patch("key_doesnotexist00", { name: "x" })).status).toBe(404);

    const revoked = await mint({});
    await call(`/v1/keys/${revoked.id}`, { method: "DELETE", key: ADMIN_KEY });
    for (const res of [await roll(revoked.id), await patch(revoked.id, { name: "x" })])
      expect(await errorOf(res)).toMatchObject({ status: 409, details: { reason: "revoked" } });
    expect(await storesCall(revoked.key)).toMatchObject({ status: 401 });

    const twice = await mint({});
    const first = (await (await roll(twice.id)).json()) as { id: string };
    for (const res of [await roll(twice.id), await patch(twice.id, { name: "x" })])
      expect(await errorOf(res)).toMatchObject({
        status: 409,
        details: { reason: "rolled", rolled_to: first.id },
      });
    // The successor rolls on; the old key's grace ends early by revoking it.
    expect((await roll(first.id)).status).toBe(201);
    expect((await call(`/v1/keys/${twice.id}`, { method: "DELETE", key: ADMIN_KEY })).status).toBe(
      200,
    );
    expect(await storesCall(twice.key)).toMatchObject({ status: 401 });

    clockAt(T0);
    const temp = await mint({ expires_at: T0 + 1000 });
    clockAt(T0 + 1000);
    for (const res of [await roll(temp.id), await patch(temp.id, { name: "x" })])
      expect(await errorOf(res)).toMatchObject({
        status: 409,
        details: { reason: "expired", expires_at: T0 + 1000 },
      });
  });

  it("an expired key signs in to nothing and its console session ends", async () => {
    const k = await mint({ scopes: ["stats:read"] });
    clockAt(T0);
    const s = await session(k.key);
    expect((await consoleCall(s, "GET", "/v1/stats/funnel")).status).toBe(200);
    expect((await roll(k.id, { expires_in: 60 })).status).toBe(201);
    clockAt(T0 + 60_000);
    expect((await consoleCall(s, "GET", "/v1/stats/funnel")).status).toBe(401);
    const signIn = await call("/dashboard/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://qr.test" },
      body: new URLSearchParams({ key: k.key }).toString(),
      redirect: "manual",
    });
    expect(signIn.status).toBe(401);
  });
});

describe("bad input", () => {
  it("a roll's bad expires_in or unknown field is a 400 naming it; no body takes the default", async () => {
    const k = await mint({});
    for (const [json, field] of [
      [{ expires_in: -1 }, "expires_in"],
      [{ expires_in: 7 * 86_400 + 1 }, "expires_in"],
      [{ expires_in: "1h" }, "expires_in"],
      [{ expires_in: 1.5 }, "expires_in"],
      [{ grace: 60 }, "grace"],
    ] as const) {
      const e = await errorOf(await roll(k.id, json));
      expect(e, JSON.stringify(json)).toMatchObject({
        status: 400,
        error: "validation_failed",
        details: { field },
      });
    }
    const notJson = await call(`/v1/keys/${k.id}/roll`, {
      method: "POST",
      key: ADMIN_KEY,
      headers: { "content-type": "text/plain" },
      body: "expires_in=0",
    });
    expect(notJson.status).toBe(415);
    const broken = await call(`/v1/keys/${k.id}/roll`, {
      method: "POST",
      key: ADMIN_KEY,
      headers: { "content-type": "application/json" },
      body: '{"expires_in":',
    });
    expect(await errorOf(broken)).toMatchObject({ status: 400, error: "invalid_json" });
    expect(await storesCall(k.key)).toEqual({ status: 200 });
    clockAt(T0);
    const plain = await roll(k.id);
    expect(plain.status).toBe(201);
    expect(((await plain.json()) as { previous: { expires_at: number } }).previous.expires_at).toBe(
      T0 + 86_400_000,
    );
  });

  it("an edit that cannot apply is a 400 naming the field, and changes nothing", async () => {
    const sk = await mint({ scopes: ["posters:write"] });
    const pk = await mint({ kind: "publishable", scopes: ["handoffs:write"], origins: [SHOP] });
    const cases: [string, unknown, string][] = [
      [sk.id, {}, "name"],
      [sk.id, { origins: [SHOP] }, "origins"],
      [sk.id, { scopes: ["posters:write", "stats:read"] }, "scopes"],
      [sk.id, { scopes: [] }, "scopes"],
      [sk.id, { scopes: ["admin"] }, "scopes.0"],
      [sk.id, { name: "" }, "name"],
      [sk.id, { name: "x".repeat(101) }, "name"],
      [sk.id, { kind: "publishable" }, "kind"],
      [sk.id, { store_id: "st_x" }, "store_id"],
      [sk.id, { expires_at: T0 }, "expires_at"],
      [pk.id, { origins: [] }, "origins"],
      [pk.id, { origins: ["https://shop.example/path"] }, "origins.0"],
      [pk.id, { origins: ["javascript:alert(1)"] }, "origins.0"],
      [pk.id, { scopes: ["logins:write"] }, "scopes"],
    ];
    for (const [id, json, field] of cases) {
      const e = await errorOf(await patch(id, json));
      expect(e, JSON.stringify(json)).toMatchObject({
        status: 400,
        error: "validation_failed",
        details: { field },
      });
    }
    const rows = await db
      .prepare(
        "SELECT name, kind, scopes, origins, expires_at FROM api_keys WHERE id IN (?, ?) ORDER BY kind",
      )
      .bind(sk.id, pk.id)
      .all();
    expect(rows.results).toEqual([
      {
        name: "roll test",
        kind: "publishable",
        scopes: '["handoffs:write"]',
        origins: JSON.stringify([SHOP]),
        expires_at: null,
      },
      {
        name: "roll test",
        kind: "secret",
        scopes: '["posters:write"]',
        origins: "[]",
        expires_at: null,
      },
    ]);
  });
});
