// Rolling a key (POST /v1/keys/:id/roll), temporary keys (expires_at at mint) and editing a key
// (PATCH /v1/keys/:id): what each does, on the test's clock. The attacks: redteam-keys-roll.
import { afterEach, describe, expect, it, vi } from "vitest";
import { rowsAbout } from "./audit-helpers";
import { ADMIN_KEY, call } from "./helpers";
import {
  clockAt,
  createFrom,
  errorOf,
  mint,
  patch,
  roll,
  rolled,
  SHOP,
  storesCall,
  T0,
} from "./key-roll-helpers";
import { makeStore } from "./poster-helpers";

afterEach(() => vi.useRealTimers());

const DAY = 86_400_000;

describe("rolling a key", () => {
  it("mints a successor with the same settings, shown once; the old key works until its end", async () => {
    const old = await mint({ name: "billing server", scopes: ["posters:write", "stats:read"] });
    clockAt(T0);
    expect(await storesCall(old.key)).toEqual({ status: 200 });
    const res = await roll(old.id);
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown> & {
      key: string;
      id: string;
      previous: Record<string, unknown>;
    };
    expect(body).toMatchObject({
      name: "billing server",
      kind: "secret",
      scopes: ["posters:write", "stats:read"],
      origins: [],
      store_id: null,
      expires_at: null,
      rolled_to: null,
      created_at: T0,
    });
    expect(body.key).toMatch(/^qb_sk_[0-9A-Za-z]{32}$/);
    expect(body.id).not.toBe(old.id);
    // The default grace is a day.
    expect(body.previous).toMatchObject({ id: old.id, expires_at: T0 + DAY, rolled_to: body.id });
    expect(await storesCall(body.key)).toEqual({ status: 200 });
    const listed = await call("/v1/keys", { key: ADMIN_KEY });
    const text = await listed.text();
    expect(text).not.toContain(body.key);
    const keys = (JSON.parse(text) as { keys: Record<string, unknown>[] }).keys;
    expect(keys.find((k) => k.id === old.id)).toMatchObject({
      expires_at: T0 + DAY,
      rolled_to: body.id,
    });

    clockAt(T0 + DAY - 1);
    expect(await storesCall(old.key)).toEqual({ status: 200 });
    clockAt(T0 + DAY);
    expect(await storesCall(old.key)).toEqual({ status: 401, error: "key_expired" });
    expect(await storesCall(body.key)).toEqual({ status: 200 });
  });

  it("expires_in 0 ends the old key at once; expires_in sets the grace in seconds", async () => {
    const a = await mint({});
    clockAt(T0);
    expect(await storesCall(a.key)).toEqual({ status: 200 });
    const { key } = await rolled(a.id, 0);
    expect(await storesCall(a.key)).toEqual({ status: 401, error: "key_expired" });
    expect(await storesCall(key)).toEqual({ status: 200 });

    const b = await mint({});
    const hour = await roll(b.id, { expires_in: 3600 });
    expect(((await hour.json()) as { previous: { expires_at: number } }).previous.expires_at).toBe(
      T0 + 3_600_000,
    );
  });

  it("a store key rolled stays held to its store", async () => {
    const mine = await makeStore("Roll own");
    const other = await makeStore("Roll other");
    const old = await mint({ scopes: ["stats:read"], store_id: mine.id });
    const res = await roll(old.id);
    const body = (await res.json()) as { key: string; store_id: string; store_name: string };
    expect(body).toMatchObject({ store_id: mine.id, store_name: "Roll own" });
    const own = await call(`/v1/stats/funnel?store_id=${mine.id}`, { key: body.key });
    expect(own.status).toBe(200);
    const theirs = await call(`/v1/stats/funnel?store_id=${other.id}`, { key: body.key });
    expect(theirs.status).toBe(403);
    expect((await call("/v1/stores", { key: body.key })).status).toBe(403);
  });

  it("a publishable key rolled keeps its origins and still only creates", async () => {
    const old = await mint({ kind: "publishable", scopes: ["handoffs:write"], origins: [SHOP] });
    const res = await roll(old.id);
    const body = (await res.json()) as { key: string; origins: string[] };
    expect(body.key).toMatch(/^qb_pk_/);
    expect(body.origins).toEqual([SHOP]);
    expect(await createFrom(body.key, SHOP)).toBe(201);
    expect(await createFrom(body.key, "https://evil.example")).toBe(403);
    expect(await createFrom(old.key, SHOP)).toBe(201);
    const watch = await call("/v1/handoffs/AAAAAAAAAAAAAAAAAAAA", {
      key: body.key,
      headers: { origin: SHOP },
    });
    expect(watch.status).toBe(403);
  });

  it("a temporary key rolled stays temporary; its old self ends no later than it would have", async () => {
    clockAt(T0);
    const temp = await mint({ expires_at: T0 + 3_600_000 });
    const res = await roll(temp.id, { expires_in: 7 * 86_400 });
    const body = (await res.json()) as { expires_at: number; previous: { expires_at: number } };
    expect(body.expires_at).toBe(T0 + 3_600_000);
    expect(body.previous.expires_at).toBe(T0 + 3_600_000);
  });

  it("takes an Idempotency-Key: a retry gets the same successor, and only one is made", async () => {
    const name = `idempotent roll ${crypto.randomUUID()}`;
    const old = await mint({ name });
    const headers = { "idempotency-key": `roll-${old.id}` };
    const first = await roll(old.id, { expires_in: 60 }, { headers });
    expect(first.status).toBe(201);
    const a = (await first.json()) as { key: string; id: string };
    const again = await roll(old.id, { expires_in: 60 }, { headers });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(((await again.json()) as { key: string }).key).toBe(a.key);
    const keys = (
      (await (await call("/v1/keys", { key: ADMIN_KEY })).json()) as {
        keys: { id: string; name: string }[];
      }
    ).keys;
    const named = keys.filter((k) => k.name === name).map((k) => k.id);
    expect(named.sort()).toEqual([a.id, old.id].sort());
  });

  it("writes key.roll on the old key and key.create on the new one", async () => {
    const old = await mint({ name: "audited roll" });
    clockAt(T0);
    const res = await roll(old.id, { expires_in: 120 });
    const { id } = (await res.json()) as { id: string };
    const [rolled] = await rowsAbout("key", old.id).then((r) =>
      r.filter((x) => x.action === "key.roll"),
    );
    expect(rolled).toMatchObject({ actor: "admin", via: "api", at: T0 });
    expect(JSON.parse(rolled!.changes)).toEqual({
      fields: ["rolled_to", "expires_at"],
      values: { rolled_to: id, expires_at: T0 + 120_000 },
    });
    const created = await rowsAbout("key", id);
    expect(created.map((r) => r.action)).toEqual(["key.create"]);
    expect(JSON.parse(created[0]!.changes).values).toMatchObject({
      name: "audited roll",
      rolled_from: old.id,
    });
  });
});

describe("a temporary key (expires_at at mint)", () => {
  it("works until expires_at − 1 ms and is refused from expires_at, its cached lookup too", async () => {
    clockAt(T0);
    const temp = await mint({ expires_at: T0 + 10_000 });
    expect(temp.expires_at).toBe(T0 + 10_000);
    // Cached now; the cache would keep it 30 s, past its end: the end is checked per request.
    expect(await storesCall(temp.key)).toEqual({ status: 200 });
    clockAt(T0 + 9_999);
    expect(await storesCall(temp.key)).toEqual({ status: 200 });
    clockAt(T0 + 10_000);
    expect(await storesCall(temp.key)).toEqual({ status: 401, error: "key_expired" });
    const [row] = await rowsAbout("key", temp.id);
    expect(JSON.parse(row!.changes).values).toMatchObject({ expires_at: T0 + 10_000 });
  });

  it("an expires_at not in the future is a 400 naming it", async () => {
    clockAt(T0);
    for (const expires_at of [T0, T0 - 1, "tomorrow", 1.5]) {
      const res = await call("/v1/keys", {
        method: "POST",
        key: ADMIN_KEY,
        json: { name: "t", kind: "secret", scopes: ["stats:read"], expires_at },
      });
      const e = await errorOf(res);
      expect(e, String(expires_at)).toMatchObject({
        status: 400,
        details: { field: "expires_at" },
      });
    }
  });
});

describe("editing a key", () => {
  it("renames a key and changes a publishable key's origins at once on this isolate", async () => {
    const pk = await mint({ kind: "publishable", scopes: ["handoffs:write"], origins: [SHOP] });
    expect(await createFrom(pk.key, SHOP)).toBe(201);
    const res = await patch(pk.id, { name: "shop pages", origins: ["https://m.shop.example"] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: pk.id,
      name: "shop pages",
      origins: ["https://m.shop.example"],
      scopes: ["handoffs:write"],
    });
    expect(await createFrom(pk.key, "https://m.shop.example")).toBe(201);
    expect(await createFrom(pk.key, SHOP)).toBe(403);
    const [, updated] = await rowsAbout("key", pk.id);
    expect(updated).toMatchObject({ action: "key.update", actor: "admin" });
    expect(JSON.parse(updated!.changes)).toEqual({
      fields: ["name", "origins"],
      values: { name: "shop pages", origins: ["https://m.shop.example"] },
    });
  });

  it("narrows scopes: the key loses what it no longer holds", async () => {
    const k = await mint({ scopes: ["posters:write", "stats:read"] });
    expect((await call("/v1/stats/funnel", { key: k.key })).status).toBe(200);
    const res = await patch(k.id, { scopes: ["posters:write"] });
    expect(res.status).toBe(200);
    expect((await call("/v1/stats/funnel", { key: k.key })).status).toBe(403);
    expect(await storesCall(k.key)).toEqual({ status: 200 });
  });
});
