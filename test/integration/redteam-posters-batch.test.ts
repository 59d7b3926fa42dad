// Red team, offline path: batch imports. The same poster twice in one batch, batches racing
// single creates over a brand-new campaign, a batch or a re-target racing the delete of the
// store it names, an oversized body streamed without a length, and keys that try to reach the
// prototype. Every outcome is a clean answer (never a 500) and all or nothing.
import { env as testEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseKeyring } from "../../src/core/token";
import { createPosters } from "../../src/store/poster-create";
import { updatePoster } from "../../src/store/posters";
import { call } from "./helpers";
import { env, makePoster, makeStore, type PosterJson, posterKey } from "./poster-helpers";

const SIGNING_KEYS = (testEnv as unknown as { QB_SIGNING_KEYS: string }).QB_SIGNING_KEYS;

/** The real D1, except that the store is deleted just before the first `batch()` writes. */
function deletingBeforeWrite(storeId: string): D1Database {
  return new Proxy(env.DB, {
    get(db, prop) {
      if (prop === "batch")
        return async (statements: D1PreparedStatement[]) => {
          await db.prepare("DELETE FROM stores WHERE id = ?").bind(storeId).run();
          return db.batch(statements);
        };
      const value = Reflect.get(db, prop);
      return typeof value === "function" ? value.bind(db) : value;
    },
  });
}

async function batch(posters: unknown[]): Promise<Response> {
  return call("/v1/posters/batch", { method: "POST", key: await posterKey(), json: { posters } });
}

const postersOfStore = async (storeId: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM posters WHERE store_id = ?")
    .bind(storeId)
    .first<{ n: number }>())!.n;

describe("red team: batch imports", () => {
  it("makes the same row twice into two posters, each with its own code", async () => {
    const row = { name: "Twin", path: "/twin", params: { table: "1" } };
    const res = await batch([row, row]);
    expect(res.status).toBe(201);
    const [a, b] = ((await res.json()) as { posters: PosterJson[] }).posters;
    expect(a!.id).not.toBe(b!.id);
    expect(a!.code).not.toBe(b!.code);
    expect([a!.name, b!.name]).toEqual(["Twin", "Twin"]);
  });

  it("gives a new campaign one id however many creates and batches race to name it", async () => {
    const campaign = `race ${crypto.randomUUID()}`;
    const key = await posterKey();
    const answers = await Promise.all([
      batch(Array.from({ length: 20 }, (_, i) => ({ name: `b${i}`, path: "/r", campaign }))),
      ...Array.from({ length: 6 }, () =>
        call("/v1/posters", { method: "POST", key, json: { name: "s", path: "/r", campaign } }),
      ),
      batch([{ name: "c", path: "/r", campaign }]),
    ]);
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(201));
    const ids = new Set<string | null>();
    for (const r of answers) {
      const body = (await r.json()) as PosterJson | { posters: PosterJson[] };
      for (const p of "posters" in body ? body.posters : [body]) ids.add(p.campaign_id);
    }
    expect(ids.size).toBe(1);
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM campaigns WHERE name = ?")
      .bind(campaign)
      .first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });

  it("answers a batch racing the delete of its store cleanly: posters and store, or neither", async () => {
    for (let round = 0; round < 8; round++) {
      const store = await makeStore(`Racing ${round}`);
      const [made, deleted] = await Promise.all([
        batch([{ name: "r", path: "/r", store_id: store.id }]),
        call(`/v1/stores/${store.id}`, { method: "DELETE", key: await posterKey() }),
      ]);
      expect([201, 400], `batch, round ${round}`).toContain(made.status);
      expect([200, 409], `delete, round ${round}`).toContain(deleted.status);
      // Either the batch won (the store stays, in use) or the delete did (nothing written).
      expect([made.status, deleted.status]).toEqual(made.status === 201 ? [201, 409] : [400, 200]);
      expect(await postersOfStore(store.id)).toBe(made.status === 201 ? 1 : 0);
    }
  });

  it("names the row when its store is deleted between the check and the write", async () => {
    // The interleaving a batch racing DELETE /v1/stores/:id can hit, made exact: the store is
    // checked, then deleted, then the rows are written. It used to escape as a 500 (the write's
    // foreign key error); the route would answer this 400.
    const ring = await parseKeyring(SIGNING_KEYS);
    const store = await makeStore("Deleted mid-batch");
    const rows = [
      { name: "ok", path: "/a" },
      { name: "gone", path: "/b", store_id: store.id },
    ];
    const out = await createPosters(deletingBeforeWrite(store.id), ring, rows);
    expect(out).toEqual({
      ok: false,
      errors: [{ index: 1, field: "store_id", message: `no store ${store.id}` }],
    });
    expect(await postersOfStore(store.id)).toBe(0);
    expect(
      await env.DB.prepare("SELECT id FROM stores WHERE id = ?").bind(store.id).first(),
    ).toBeNull();
  });

  it("refuses a re-target to a store deleted after the route checked it", async () => {
    const store = await makeStore("Deleted mid-patch");
    const p = await makePoster({ path: "/stay" });
    const db = deletingBeforeWrite(store.id);
    const out = await updatePoster({ DB: db, CACHE: env.CACHE }, p.id, 1, { store_id: store.id });
    expect(out).toBe("no_store");
    const row = await env.DB.prepare("SELECT store_id, version FROM posters WHERE id = ?")
      .bind(p.id)
      .first();
    expect(row).toEqual({ store_id: null, version: 1 });
  });

  it("refuses a body past the limit even when it streams without a length", async () => {
    const chunk = new TextEncoder().encode(
      `${JSON.stringify({ name: "x".repeat(190), path: "/x" })},`,
    );
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"posters":['));
      },
      pull(c) {
        if (sent > 3 * 1024 * 1024) {
          c.enqueue(new TextEncoder().encode('{"name":"x","path":"/x"}]}'));
          c.close();
          return;
        }
        c.enqueue(chunk);
        sent += chunk.length;
      },
    });
    const res = await call("/v1/posters/batch", {
      method: "POST",
      key: await posterKey(),
      headers: { "content-type": "application/json" },
      body,
      // @ts-expect-error: workerd's RequestInit takes a streamed body without `duplex`
      duplex: "half",
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "payload_too_large" });
  });

  it("keeps prototype keys in params as plain data or refuses them, never as an object's shape", async () => {
    const res = await call("/v1/posters/batch", {
      method: "POST",
      key: await posterKey(),
      headers: { "content-type": "application/json" },
      body: '{"posters":[{"name":"p","path":"/p","params":{"__proto__":{"admin":"1"},"constructor":"x"}}]}',
    });
    expect(res.status).toBeLessThan(500);
    if (res.status === 201) {
      const [p] = ((await res.json()) as { posters: PosterJson[] }).posters;
      expect(Object.getPrototypeOf(p!.params)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    } else expect(res.status).toBe(400);
  });
});
