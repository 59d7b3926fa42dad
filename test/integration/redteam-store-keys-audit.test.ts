// The audit log against store keys: a refused store-key mint (by any key, with any body) leaves
// no row, the row of one minted names its store but holds no secret, and neither the store key
// nor its console session reads a row or the key list.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mintKeyWithId } from "./audit-helpers";
import { consoleCall, session } from "./console-helpers";
import { ADMIN_KEY, call } from "./helpers";
import { makeStore } from "./poster-helpers";

const count = async () =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'key.create'").first<{
    n: number;
  }>())!.n;

describe("store keys and the audit log", () => {
  it("a refused mint with store_id writes no row and no key", async () => {
    const store = await makeStore("Audit refusals");
    const { key: editor } = await mintKeyWithId(["posters:write", "stats:read"]);
    const before = await count();
    const body = { name: "m", kind: "secret", scopes: ["stats:read"], store_id: store.id };
    const refused: [string, Record<string, unknown>][] = [
      [editor, body],
      [ADMIN_KEY, { ...body, store_id: "st_nosuchstore" }],
      [ADMIN_KEY, { ...body, store_id: "" }],
      [ADMIN_KEY, { ...body, store_id: [store.id] }],
      [ADMIN_KEY, { ...body, scopes: ["stats:read", "admin"] }],
      [ADMIN_KEY, { ...body, kind: "publishable", origins: ["https://a.example"] }],
    ];
    for (const [key, json] of refused) {
      const res = await call("/v1/keys", { method: "POST", key, json });
      expect([400, 403], JSON.stringify(json)).toContain(res.status);
    }
    expect(await count()).toBe(before);
    const keys = await env.DB.prepare("SELECT COUNT(*) AS n FROM api_keys WHERE store_id = ?")
      .bind(store.id)
      .first<{ n: number }>();
    expect(keys?.n).toBe(0);
  });

  it("the minted key's row names its store and holds no secret; the key reads no row", async () => {
    const store = await makeStore("Audit minted");
    const res = await call("/v1/keys", {
      method: "POST",
      key: ADMIN_KEY,
      json: { name: "m", kind: "secret", scopes: ["stats:read"], store_id: store.id },
    });
    expect(res.status).toBe(201);
    const { key, id } = (await res.json()) as { key: string; id: string };
    const row = await env.DB.prepare("SELECT * FROM audit_log WHERE subject_id = ?")
      .bind(id)
      .first<Record<string, unknown>>();
    const text = JSON.stringify(row);
    expect(text).toContain(store.id);
    // Neither the key nor any long slice of it (its hash is hex of another text).
    expect(text.includes(key.slice(-16))).toBe(false);
    const s = await session(key);
    for (const path of [
      "/v1/audit-log",
      `/v1/audit-log?subject_type=key&subject_id=${id}`,
      "/v1/keys",
    ]) {
      expect((await call(path, { key })).status, path).toBe(403);
      const viaConsole = await consoleCall(s, "GET", path);
      expect([403, 404], `console ${path}`).toContain(viaConsole.status);
      expect(await viaConsole.text()).not.toContain(store.id);
    }
    // Its use is recorded (to the hour) on its own row, and no use of it is an audit entry.
    await call("/v1/stats/funnel", { key });
    const used = await env.DB.prepare("SELECT last_used_at FROM api_keys WHERE id = ?")
      .bind(id)
      .first<{ last_used_at: number | null }>();
    expect(used?.last_used_at).not.toBeNull();
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE actor = ?")
      .bind(id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });
});
