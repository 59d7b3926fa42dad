// Idempotency-Key: the lease of a claim left by a Worker that died, the other creates, what D1 holds of a secret answer, and publishable keys (header ignored).
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  IDEMPOTENCY_LEASE_MS,
  idempotencyScope,
  requestFingerprint,
} from "../../src/core/idempotency";
import { claimKey } from "../../src/store/idempotency";
import { ADMIN_KEY, call, mintKey, mintSecretKey } from "./helpers";
import { testConfig } from "./hop-helpers";
import { db, keyIdOf, post, postersNamed, unique } from "./idempotency-helpers";

afterEach(() => vi.useRealTimers());

describe("a claim whose Worker died", () => {
  it("holds the key (409) within the lease and is taken over after it", async () => {
    const key = await mintKey("secret", ["posters:write"]);
    const name = unique("stale");
    const body = { name, path: "/a" };
    const t0 = Date.parse("2031-01-01T00:00:00Z");
    // A Worker claimed the key at t0 and died before answering: only its claim is left.
    const scope = await idempotencyScope(await keyIdOf(key), "stale-1");
    const fp = await requestFingerprint("POST", "/v1/posters", JSON.stringify(body));
    const config = await testConfig();
    expect((await claimKey(db, config.keyring, scope, fp, t0)).kind).toBe("claimed");
    vi.useFakeTimers({ toFake: ["Date"], now: t0 + IDEMPOTENCY_LEASE_MS - 1 });
    const held = await post("/v1/posters", key, body, "stale-1");
    expect(held.status).toBe(409);
    expect(held.headers.get("retry-after")).toBe("2");
    expect(await postersNamed(name)).toBe(0);
    // Another request may not take over a stale claim of a different request.
    vi.setSystemTime(t0 + IDEMPOTENCY_LEASE_MS);
    const other = await post("/v1/posters", key, { name, path: "/b" }, "stale-1");
    expect(other.status).toBe(422);
    const taken = await post("/v1/posters", key, body, "stale-1");
    expect(taken.status).toBe(201);
    expect(taken.headers.get("idempotent-replayed")).toBeNull();
    const replay = await post("/v1/posters", key, body, "stale-1");
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await postersNamed(name)).toBe(1);
  });
});

describe("the other creates", () => {
  it("stores, campaigns, webhooks and handoffs replay their first answer", async () => {
    const key = await mintSecretKey();
    const cases: [string, unknown][] = [
      ["/v1/stores", { name: unique("store") }],
      ["/v1/campaigns", { name: unique("camp").slice(0, 40).replace(/ /g, "-") }],
      ["/v1/webhooks", { url: "https://hooks.example.com/idem", events: ["*"] }],
      ["/v1/handoffs", { payload: { cart: "c_1" } }],
    ];
    for (const [path, json] of cases) {
      const first = await post(path, key, json, `other-${path}`);
      expect(first.status, path).toBe(201);
      const a = (await first.json()) as { id: string };
      const again = await post(path, key, json, `other-${path}`);
      expect(again.status, path).toBe(201);
      expect(again.headers.get("idempotent-replayed"), path).toBe("true");
      expect(await again.json(), path).toEqual(a);
    }
  });

  it("POST /v1/keys replays the key shown once; D1 holds neither the key nor the header value", async () => {
    const json = { name: unique("minted"), kind: "secret", scopes: ["stats:read"] };
    const first = await post("/v1/keys", ADMIN_KEY, json, "mint-secret-value");
    expect(first.status).toBe(201);
    const { key } = (await first.json()) as { key: string };
    const again = await post("/v1/keys", ADMIN_KEY, json, "mint-secret-value");
    expect(((await again.json()) as { key: string }).key).toBe(key);
    const rows = await db.prepare("SELECT * FROM idempotency_keys").all<Record<string, unknown>>();
    const dump = JSON.stringify(rows.results, (_k, v) =>
      v instanceof ArrayBuffer || Array.isArray(v)
        ? String.fromCharCode(...new Uint8Array(v as ArrayBuffer))
        : v,
    );
    expect(dump).not.toContain(key);
    expect(dump).not.toContain(key.slice(6, 20));
    expect(dump).not.toContain("mint-secret-value");
    const named = await db
      .prepare("SELECT COUNT(*) AS n FROM api_keys WHERE name = ?")
      .bind(json.name)
      .first<{ n: number }>();
    expect(named!.n).toBe(1);
  });
});

describe("publishable keys", () => {
  it("ignore the header: each create is its own, nothing is kept to replay", async () => {
    const pk = await mintKey("publishable", ["handoffs:write"], ["https://shop.test"]);
    const before = await db
      .prepare("SELECT COUNT(*) AS n FROM idempotency_keys")
      .first<{ n: number }>();
    const a = await post("/v1/handoffs", pk, {}, "pk-1", "https://shop.test");
    const b = await post("/v1/handoffs", pk, {}, "pk-1", "https://shop.test");
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get("idempotent-replayed")).toBeNull();
    expect(((await a.json()) as { id: string }).id).not.toBe(
      ((await b.json()) as { id: string }).id,
    );
    const after = await db
      .prepare("SELECT COUNT(*) AS n FROM idempotency_keys")
      .first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
  });
});

describe("the contract", () => {
  it("declares the header and the 409/422 on every create", async () => {
    const doc = (await (await call("/openapi.json")).json()) as {
      paths: Record<
        string,
        Record<string, { parameters?: { name: string; in: string }[]; responses: object }>
      >;
    };
    const creates = [
      "/v1/posters",
      "/v1/posters/batch",
      "/v1/stores",
      "/v1/campaigns",
      "/v1/webhooks",
      "/v1/keys",
      "/v1/handoffs",
    ];
    for (const path of creates) {
      const op = doc.paths[path]!.post!;
      expect(op.parameters?.find((p) => p.in === "header")?.name, path).toBe("idempotency-key");
      expect(Object.keys(op.responses), path).toEqual(expect.arrayContaining(["409", "422"]));
    }
  });
});
