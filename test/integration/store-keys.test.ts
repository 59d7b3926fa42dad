// Minting a store key (POST /v1/keys with store_id), what it may never do, what it does once its
// store is deleted, and that its console session cannot be widened. What it reads of the funnel
// and the hops: store-keys-funnel.test.ts.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { consoleCall, session } from "./console-helpers";
import { ADMIN_KEY, call, mintKey } from "./helpers";
import { makeStore, posterKey } from "./poster-helpers";

function create(json: Record<string, unknown>) {
  return call("/v1/keys", { method: "POST", key: ADMIN_KEY, json: { name: "manager", ...json } });
}

async function storeKey(storeId: string): Promise<{ key: string; id: string }> {
  const res = await create({ kind: "secret", scopes: ["stats:read"], store_id: storeId });
  expect(res.status).toBe(201);
  return (await res.json()) as { key: string; id: string };
}

async function refusal(res: Response) {
  return {
    status: res.status,
    ...((await res.json()) as {
      error: string;
      message: string;
      details?: Record<string, unknown>;
    }),
  };
}

describe("minting a store key", () => {
  it("needs an existing store, a secret key and stats:read alone; each refusal names its field", async () => {
    const store = await makeStore("Minting");
    const missing = await refusal(
      await create({ kind: "secret", scopes: ["stats:read"], store_id: "st_doesnotexist" }),
    );
    expect(missing).toMatchObject({ status: 400, details: { field: "store_id" } });
    const publishable = await refusal(
      await create({
        kind: "publishable",
        scopes: ["handoffs:write"],
        origins: ["https://shop.example"],
        store_id: store.id,
      }),
    );
    expect(publishable).toMatchObject({ status: 400, details: { field: "kind" } });
    for (const other of [
      "posters:write",
      "webhooks:write",
      "handoffs:write",
      "logins:write",
      "events:write",
    ]) {
      for (const scopes of [[other], ["stats:read", other]]) {
        const r = await refusal(await create({ kind: "secret", scopes, store_id: store.id }));
        expect(r, other).toMatchObject({ status: 400, details: { field: "scopes" } });
        expect(r.message, other).toContain("only stats:read");
        expect(r.message, other).toContain(other);
      }
    }
    const minted = await create({ kind: "secret", scopes: ["stats:read"], store_id: store.id });
    const { id, ...body } = (await minted.json()) as Record<string, unknown> & { id: string };
    expect(body).toMatchObject({
      store_id: store.id,
      store_name: "Minting",
      scopes: ["stats:read"],
    });
    // None of the refused ones was written.
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM api_keys WHERE store_id = ?")
      .bind(store.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
    const listed = (await (await call("/v1/keys", { key: ADMIN_KEY })).json()) as {
      keys: { id: string; store_id: string | null; store_name: string | null }[];
    };
    expect(listed.keys.find((k) => k.id === id)).toMatchObject({
      store_id: store.id,
      store_name: "Minting",
    });
    const open = listed.keys.find((k) => k.store_id === null);
    expect(open?.store_name).toBeNull();
    const audit = (await (
      await call(`/v1/audit-log?subject_type=key&subject_id=${id}`, { key: ADMIN_KEY })
    ).json()) as { entries: { changes: { values: Record<string, unknown> } }[] };
    expect(audit.entries[0]?.changes.values.store_id).toBe(store.id);
  });
});

describe("what a store key may never do", () => {
  it("mint keys, write posters or stores, read webhooks, dead letters or the audit log", async () => {
    const store = await makeStore("Read only");
    const { key } = await storeKey(store.id);
    const attempts: [string, string, unknown?][] = [
      ["POST", "/v1/keys", { name: "x", kind: "secret", scopes: ["stats:read"] }],
      ["GET", "/v1/keys"],
      ["POST", "/v1/posters", { name: "x", path: "/menu", store_id: store.id }],
      ["GET", "/v1/posters"],
      ["GET", `/v1/posters?store_id=${store.id}`],
      ["POST", "/v1/stores", { name: "x" }],
      ["GET", "/v1/stores"],
      ["PATCH", `/v1/stores/${store.id}`, { name: "renamed" }],
      ["DELETE", `/v1/stores/${store.id}`],
      ["GET", "/v1/campaigns"],
      ["GET", "/v1/webhooks"],
      ["POST", "/v1/webhooks", { url: "https://example.com/h", events: ["conversion"] }],
      ["GET", "/v1/dead-letters"],
      ["GET", "/v1/audit-log"],
      ["POST", "/v1/handoffs", { path: "/x" }],
    ];
    for (const [method, path, json] of attempts) {
      const res = await call(path, { method, key, json });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    const s = await session(key);
    for (const [method, path, json] of attempts) {
      const res = await consoleCall(s, method, path, json);
      // The console does not forward the audit log or handoffs at all (404); the rest: 403.
      expect([403, 404], `console ${method} ${path}`).toContain(res.status);
    }
    // The store is untouched.
    const still = await call(`/v1/stores/${store.id}`, { key: await posterKey() });
    expect(((await still.json()) as { name: string }).name).toBe("Read only");
  });
});

describe("a store key whose store is deleted", () => {
  it("reads nothing: 403 store_deleted, by bearer and by its console session", async () => {
    const store = await makeStore("Closing down");
    const { key } = await storeKey(store.id);
    const s = await session(key);
    expect((await consoleCall(s, "GET", "/funnel")).status).toBe(200);
    const del = await call(`/v1/stores/${store.id}`, { method: "DELETE", key: await posterKey() });
    expect(del.status).toBe(200);
    for (const path of ["/funnel", "/labels", "/hops.csv", "/v1/stats/funnel"]) {
      const r = await refusal(await consoleCall(s, "GET", path));
      expect(r, path).toMatchObject({ status: 403, details: { reason: "store_deleted" } });
    }
    // The bearer key was last looked up at sign-in, when its store existed: that lookup may be
    // remembered for a while (as a revocation is), and even then it reads its own store only,
    // which holds nothing any more.
    const res = await call("/v1/stats/funnel?group_by=store", { key });
    if (res.status === 200) {
      const body = (await res.json()) as { rows: unknown[]; totals: { scanned: number } };
      expect(body.rows).toEqual([]);
      expect(body.totals.scanned).toBe(0);
    } else {
      expect(await refusal(res)).toMatchObject({
        status: 403,
        details: { reason: "store_deleted" },
      });
    }
  });

  it("a key first used after the deletion is refused outright", async () => {
    const store = await makeStore("Gone before use");
    const { key } = await storeKey(store.id);
    await call(`/v1/stores/${store.id}`, { method: "DELETE", key: await posterKey() });
    for (const path of ["/v1/stats/funnel", "/v1/hops"]) {
      const r = await refusal(await call(path, { key }));
      expect(r, path).toMatchObject({ status: 403, details: { reason: "store_deleted" } });
    }
  });
});

describe("a store key's console session cannot be widened", () => {
  it("not by another key in a header, a doubled or empty store_id, or an altered cookie", async () => {
    const mine = await makeStore("Mine");
    const theirs = await makeStore("Theirs");
    const { key } = await storeKey(mine.id);
    const s = await session(key);
    const open = await mintKey("secret", ["stats:read"]);
    // The console drops Authorization: the session's key stays the caller.
    const withHeader = await consoleCall(
      s,
      "GET",
      `/v1/stats/funnel?store_id=${theirs.id}`,
      undefined,
      {
        authorization: `Bearer ${open}`,
      },
    );
    expect(withHeader.status).toBe(403);
    for (const query of [
      `store_id=${mine.id}&store_id=${theirs.id}`,
      `store_id=${theirs.id}&store_id=${mine.id}`,
      "store_id=",
      `store_id=${mine.id.toUpperCase()}`,
      `store_id=${mine.id}%00`,
    ])
      for (const path of [
        `/funnel?${query}&group_by=store`,
        `/v1/stats/funnel?${query}&group_by=store`,
      ]) {
        const res = await consoleCall(s, "GET", path);
        const text = await res.text();
        expect([400, 403], path).toContain(res.status);
        expect(text.includes('"rows"'), path).toBe(false);
      }
    // A cookie one character off is no session at all.
    const last = s.cookie.at(-1) === "A" ? "B" : "A";
    const forged = { ...s, cookie: s.cookie.slice(0, -1) + last };
    expect((await consoleCall(forged, "GET", "/funnel")).status).toBe(401);
    // The bearer key: the same doubled parameters.
    const doubled = await call(
      `/v1/stats/funnel?store_id=${mine.id}&store_id=${theirs.id}&group_by=store`,
      { key },
    );
    expect([400, 403]).toContain(doubled.status);
  });
});
