// Idempotency-Key on the creates: a retry after a lost answer replays it and creates nothing.
import { describe, expect, it } from "vitest";
import { idempotencyScope } from "../../src/core/idempotency";
import { mintKey } from "./helpers";
import { db, keyIdOf, post, postersNamed, unique } from "./idempotency-helpers";
import { posterKey } from "./poster-helpers";

type Poster = { id: string; code: string; url: string };

describe("Idempotency-Key on POST /v1/posters", () => {
  it("a retry after a lost 201 gets the same poster, with Idempotent-Replayed, and one row", async () => {
    const key = await posterKey();
    const name = unique("lost answer");
    const first = await post("/v1/posters", key, { name, path: "/menu" }, "lost-1");
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const created = (await first.json()) as Poster;
    // The answer "lost on the way": the backend retries the same request.
    const again = await post("/v1/posters", key, { name, path: "/menu" }, "lost-1");
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("content-type")).toMatch(/^application\/json/);
    expect(again.headers.get("cache-control")).toBe("no-store");
    expect(await again.json()).toEqual(created);
    expect(await postersNamed(name)).toBe(1);
  });

  it("10 identical requests at once create one poster; the others are 409 or the replay", async () => {
    const key = await posterKey();
    const name = unique("burst");
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => post("/v1/posters", key, { name, path: "/a" }, "burst-1")),
    );
    const bodies = await Promise.all(answers.map((r) => r.json() as Promise<Poster>));
    const created = answers.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(created.filter((r) => r.headers.get("idempotent-replayed") === null)).toHaveLength(1);
    for (const [i, r] of answers.entries()) {
      if (r.status === 409) {
        expect(bodies[i]).toMatchObject({ error: "idempotency_in_progress" });
        expect(r.headers.get("retry-after")).toBe("2");
      } else expect(r.status).toBe(201);
    }
    const ids = new Set(bodies.filter((_, i) => answers[i]!.status === 201).map((b) => b.id));
    expect(ids.size).toBe(1);
    expect(await postersNamed(name)).toBe(1);
  });

  it("the same key with another body is 422 and writes nothing; with another path too", async () => {
    const key = await posterKey();
    const name = unique("reused");
    expect((await post("/v1/posters", key, { name, path: "/a" }, "reuse-1")).status).toBe(201);
    const other = unique("reused other");
    const res = await post("/v1/posters", key, { name: other, path: "/a" }, "reuse-1");
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: "idempotency_key_reused" });
    const store = await post("/v1/stores", key, { name: other }, "reuse-1");
    expect(store.status).toBe(422);
    expect(await postersNamed(other)).toBe(0);
    const stores = await db
      .prepare("SELECT COUNT(*) AS n FROM stores WHERE name = ?")
      .bind(other)
      .first<{ n: number }>();
    expect(stores!.n).toBe(0);
  });

  it("two API keys sending the same header value make two posters", async () => {
    const a = await mintKey("secret", ["posters:write"]);
    const b = await mintKey("secret", ["posters:write"]);
    const name = unique("two keys");
    const ra = await post("/v1/posters", a, { name, path: "/a" }, "shared-value");
    const rb = await post("/v1/posters", b, { name, path: "/a" }, "shared-value");
    expect([ra.status, rb.status]).toEqual([201, 201]);
    expect(rb.headers.get("idempotent-replayed")).toBeNull();
    expect(((await ra.json()) as Poster).id).not.toBe(((await rb.json()) as Poster).id);
    expect(await postersNamed(name)).toBe(2);
  });

  it("a request refused by validation keeps nothing: the corrected retry with the key creates once", async () => {
    const key = await posterKey();
    const name = unique("fixed");
    const bad = await post("/v1/posters", key, { name, path: "no-slash" }, "fix-1");
    expect(bad.status).toBe(400);
    const fixed = await post("/v1/posters", key, { name, path: "/ok" }, "fix-1");
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get("idempotent-replayed")).toBeNull();
    const replay = await post("/v1/posters", key, { name, path: "/ok" }, "fix-1");
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await postersNamed(name)).toBe(1);
  });

  it("refuses a malformed header with a 400 naming it, and creates nothing", async () => {
    const key = await posterKey();
    const name = unique("bad header");
    for (const value of ["has space", "x".repeat(256), "", "tab\there"]) {
      const res = await post("/v1/posters", key, { name, path: "/a" }, value);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: "validation_failed",
        details: { field: "idempotency-key" },
      });
    }
    expect(await postersNamed(name)).toBe(0);
  });

  it("without the header nothing changes: two requests, two posters, no row kept", async () => {
    const key = await posterKey();
    const name = unique("no header");
    const before = await db
      .prepare("SELECT COUNT(*) AS n FROM idempotency_keys")
      .first<{ n: number }>();
    await post("/v1/posters", key, { name, path: "/a" });
    await post("/v1/posters", key, { name, path: "/a" });
    expect(await postersNamed(name)).toBe(2);
    const after = await db
      .prepare("SELECT COUNT(*) AS n FROM idempotency_keys")
      .first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
  });
});

describe("Idempotency-Key on POST /v1/posters/batch", () => {
  it("a batch of 1,000 retried leaves 1,000 posters, the same ones", async () => {
    const key = await posterKey();
    const name = unique("batch");
    const posters = Array.from({ length: 1000 }, (_, i) => ({ name, path: `/b/${i}` }));
    const first = await post("/v1/posters/batch", key, { posters }, "batch-1");
    expect(first.status).toBe(201);
    const created = (await first.json()) as { posters: Poster[] };
    const again = await post("/v1/posters/batch", key, { posters }, "batch-1");
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(created);
    expect(await postersNamed(name)).toBe(1000);
    // The sealed answer of the largest create stays far inside D1's 2 MB row.
    const scope = await idempotencyScope(await keyIdOf(key), "batch-1");
    const row = await db
      .prepare("SELECT length(answer) AS bytes FROM idempotency_keys WHERE scope = ?")
      .bind(scope)
      .first<{ bytes: number }>();
    console.log(`idempotency: sealed answer of 1,000 posters: ${row!.bytes} bytes`);
    expect(row!.bytes).toBeLessThan(500_000);
  });

  it("a dry_run check keeps nothing: the real batch with the check's key creates, then replays", async () => {
    const key = await posterKey();
    const name = unique("checked");
    const posters = [
      { name, path: "/c/1" },
      { name, path: "/c/2" },
    ];
    for (let i = 0; i < 2; i++) {
      const check = await post("/v1/posters/batch?dry_run=true", key, { posters }, "check-1");
      expect(check.status).toBe(200);
      expect(check.headers.get("idempotent-replayed")).toBeNull();
    }
    const real = await post("/v1/posters/batch", key, { posters }, "check-1");
    expect(real.status).toBe(201);
    expect(real.headers.get("idempotent-replayed")).toBeNull();
    const again = await post("/v1/posters/batch", key, { posters }, "check-1");
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await postersNamed(name)).toBe(2);
  });
});
