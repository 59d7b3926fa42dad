// Red team: rolling and editing keys. An isolate that cached the old key before the roll, rolls
// and edits at once, a key that is not the admin key trying to roll or edit (itself too), keys
// revoked, rolled or expired, edits that would widen a key, and bad input.
import { afterEach, describe, expect, it, vi } from "vitest";
import { rollKey, updateKey } from "../../src/store/key-changes";
import { CACHE_MS } from "../../src/store/keys";
import { consoleCall, session } from "./console-helpers";
import { createHandoff } from "./handoffs-helpers";
import { ADMIN_KEY, call, mintSecretKey, statusTally } from "./helpers";
import { db } from "./idempotency-helpers";
import {
  clockAt,
  createFrom,
  errorOf,
  mint,
  patch,
  roll,
  SHOP,
  storesCall,
  T0,
} from "./key-roll-helpers";

afterEach(() => vi.useRealTimers());

const by = { actor: "admin", via: "api" as const };

/**
 * `db` whose reads (`first()`) each wait until `n` of them have read: `n` changes started
 * together all read the key before any writes, the interleaving a busy day makes.
 */
function readsTogether(n: number): D1Database {
  let arrived = 0;
  let release = () => {};
  const all = new Promise<void>((r) => {
    release = r;
  });
  const bound = <T extends object>(target: T, p: PropertyKey) => {
    const v = Reflect.get(target, p);
    return typeof v === "function" ? v.bind(target) : v;
  };
  const held = (stmt: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, p) {
        if (p === "bind") return (...args: unknown[]) => held(target.bind(...args));
        if (p !== "first") return bound(target, p);
        return async (...args: []) => {
          const row = await target.first(...args);
          if (++arrived === n) release();
          await all;
          return row;
        };
      },
    });
  return new Proxy(db, {
    get(target, p) {
      if (p !== "prepare") return bound(target, p);
      return (sql: string) => {
        const stmt = target.prepare(sql);
        return sql.trimStart().startsWith("SELECT") ? held(stmt) : stmt;
      };
    },
  });
}

describe("an isolate that cached the old key before the roll", () => {
  // The roll is written straight to D1, as another isolate's request would: this isolate's
  // cache still holds the key as it was, with no end.
  it("refuses it from expires_at, not one request later: the cache refreshes within the grace", async () => {
    const old = await mint({});
    clockAt(T0);
    expect(await storesCall(old.key)).toEqual({ status: 200 });
    const out = await rollKey(db, old.id, 60, T0, by);
    expect(out.kind).toBe("ok");
    clockAt(T0 + 60_000 - 1);
    expect(await storesCall(old.key)).toEqual({ status: 200 });
    clockAt(T0 + 60_000);
    expect(await storesCall(old.key)).toEqual({ status: 401, error: "key_expired" });
  });

  it("with expires_in 0 elsewhere, refuses it within the cache's 30 s, as a revocation", async () => {
    const old = await mint({});
    clockAt(T0);
    expect(await storesCall(old.key)).toEqual({ status: 200 });
    expect((await rollKey(db, old.id, 0, T0, by)).kind).toBe("ok");
    clockAt(T0 + CACHE_MS);
    expect(await storesCall(old.key)).toEqual({ status: 401, error: "key_expired" });
  });

  it("an edit of origins made elsewhere reaches this isolate within the cache's 30 s", async () => {
    const pk = await mint({ kind: "publishable", scopes: ["handoffs:write"], origins: [SHOP] });
    clockAt(T0);
    expect(await createFrom(pk.key, SHOP)).toBe(201);
    const out = await updateKey(db, pk.id, { origins: ["https://new.example"] }, T0, by);
    expect(out.kind).toBe("ok");
    clockAt(T0 + CACHE_MS);
    expect(await createFrom(pk.key, SHOP)).toBe(403);
    expect(await createFrom(pk.key, "https://new.example")).toBe(201);
  });
});

describe("handoffs across a roll", () => {
  // A fleet half moved to the new key: one server creates with one key, another watches or
  // approves with the other. Through the grace the two are one caller; nobody else is.
  it("the old and the new key open each other's handoffs; another key still does not", async () => {
    const scopes = ["handoffs:write"];
    const old = await mint({ scopes });
    const stranger = await mint({ scopes });
    clockAt(T0);
    const before = await createHandoff(old.key, { confirm: "pc" });
    const res = await roll(old.id, { expires_in: 600 });
    const { key: next } = (await res.json()) as { key: string };
    const after = await createHandoff(next, { confirm: "pc" });
    const status = async (id: string, key: string) =>
      (await call(`/v1/handoffs/${id}`, { key })).status;
    expect(await status(before.id, next)).toBe(200);
    expect(await status(after.id, old.key)).toBe(200);
    expect(await status(before.id, stranger.key)).toBe(403);
    expect(await status(after.id, stranger.key)).toBe(403);
    const cancel = await call(`/v1/handoffs/${before.id}`, { method: "DELETE", key: next });
    expect(cancel.status).toBe(200);
    // The grace over, the old key opens nothing.
    clockAt(T0 + 600_000);
    expect(await storesCall(old.key)).toEqual({ status: 401, error: "key_expired" });
    expect(await status(after.id, old.key)).toBe(401);
    expect(await status(after.id, next)).toBe(200);
  });
});

describe("rolls and edits at once", () => {
  it("of five rolls of one key at once, one makes a successor; the others are 409", async () => {
    const name = `racing roll ${crypto.randomUUID()}`;
    const old = await mint({ name });
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => roll(old.id)));
    expect(statusTally(answers)).toEqual({ 201: 1, 409: 4 });
    const { results } = await db
      .prepare("SELECT id FROM api_keys WHERE name = ?")
      .bind(name)
      .all<{ id: string }>();
    expect(results).toHaveLength(2);
  });

  it("two rolls that both read the key before either writes: one successor", async () => {
    const name = `interleaved roll ${crypto.randomUUID()}`;
    const old = await mint({ name });
    const together = readsTogether(2);
    const outs = await Promise.all([1, 2].map(() => rollKey(together, old.id, 60, Date.now(), by)));
    expect(outs.map((o) => o.kind).sort()).toEqual(["changed", "ok"]);
    const { results } = await db
      .prepare("SELECT id FROM api_keys WHERE name = ?")
      .bind(name)
      .all<{ id: string }>();
    expect(results).toHaveLength(2);
  });

  it("an edit that read the key before a narrowing landed cannot widen it back", async () => {
    const k = await mint({ scopes: ["posters:write", "stats:read"] });
    const together = readsTogether(2);
    const [narrow, stale] = await Promise.all([
      updateKey(together, k.id, { scopes: ["posters:write"] }, Date.now(), by),
      // Lands second (D1 runs the batches in order): its read is stale.
      updateKey(together, k.id, { scopes: ["posters:write", "stats:read"] }, Date.now(), by),
    ]);
    expect([narrow.kind, stale.kind]).toEqual(["ok", "changed"]);
    expect((await call("/v1/stats/funnel", { key: k.key })).status).toBe(403);
  });

  it("a roll and an edit of the same key at once: the successor never misses the edit", async () => {
    const pk = await mint({ kind: "publishable", scopes: ["handoffs:write"], origins: [SHOP] });
    const together = readsTogether(2);
    const [edit, rolled] = await Promise.all([
      updateKey(together, pk.id, { origins: ["https://new.example"] }, Date.now(), by),
      rollKey(together, pk.id, 60, Date.now(), by),
    ]);
    expect([edit.kind, rolled.kind]).toEqual(["ok", "changed"]);
  });

  it("a stale edit never widens what a concurrent edit narrowed", async () => {
    for (let i = 0; i < 3; i++) {
      const k = await mint({ scopes: ["posters:write", "stats:read"] });
      const [narrow, stale] = await Promise.all([
        patch(k.id, { scopes: ["posters:write"] }),
        patch(k.id, { scopes: ["posters:write", "stats:read"] }),
      ]);
      expect(narrow.status).toBe(200);
      expect([200, 400, 409]).toContain(stale.status);
      const row = await db
        .prepare("SELECT scopes FROM api_keys WHERE id = ?")
        .bind(k.id)
        .first<{ scopes: string }>();
      expect(JSON.parse(row!.scopes)).toEqual(["posters:write"]);
      expect((await call("/v1/stats/funnel", { key: k.key })).status).toBe(403);
    }
  });
});

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
