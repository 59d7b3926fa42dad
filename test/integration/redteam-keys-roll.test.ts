// Red team: rolling and editing keys on a busy day. An isolate that cached the old key before the
// roll, handoffs made with one key of a roll and steered with the other, rolls and edits at once
// (forced to interleave), and an edit that would widen back what another narrowed. Who may roll
// and what input is refused: redteam-keys-roll-access.test.ts.
import { afterEach, describe, expect, it, vi } from "vitest";
import { rollKey, updateKey } from "../../src/store/key-changes";
import { CACHE_MS } from "../../src/store/keys";
import { createHandoff } from "./handoffs-helpers";
import { call, statusTally } from "./helpers";
import { db } from "./idempotency-helpers";
import { clockAt, createFrom, mint, patch, roll, SHOP, storesCall, T0 } from "./key-roll-helpers";

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
