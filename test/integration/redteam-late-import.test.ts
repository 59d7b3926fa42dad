// The API the console's CSV import calls (POST /v1/posters/batch, its dry run first), sent what
// a large or hostile file turns into: 1,001 and 10,001 rows, a body with a BOM, formula-looking
// names and labels, a store two rows name, a publishable key. Each is a clear JSON answer, a dry
// run writes nothing, and a refused batch writes nothing either.
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/limits";
import { call, mintKey } from "./helpers";
import { makeStore, posterKey } from "./poster-helpers";

const batch = async (posters: unknown[], query = "", key?: string) =>
  call(`/v1/posters/batch${query}`, {
    method: "POST",
    key: key ?? (await posterKey()),
    json: { posters },
  });

const listed = async (name: string) => {
  const res = await call(`/v1/posters?limit=100`, { key: await posterKey() });
  const body = (await res.json()) as { posters: { name: string }[] };
  return body.posters.filter((p) => p.name === name).length;
};

describe("POST /v1/posters/batch as the import sends it", () => {
  it("one row past the limit, and 10,001 rows: a 4xx JSON error, nothing written", async () => {
    const rows = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => ({ name: `${tag}-${i}`, path: "/m" }));
    const over = await batch(rows(LIMITS.posterBatch + 1, "over"));
    expect(over.status).toBe(400);
    expect(await over.json()).toMatchObject({ error: "validation_failed" });
    const huge = await batch(rows(10_001, "huge"));
    expect([400, 413]).toContain(huge.status);
    expect(((await huge.json()) as { error: string }).error).toMatch(/^[a-z_]+$/);
    expect(await listed("over-0")).toBe(0);
    expect(await listed("huge-0")).toBe(0);
  });

  it("a body with a byte order mark (a file saved by Excel) is read as its JSON", async () => {
    const res = await call("/v1/posters/batch", {
      method: "POST",
      key: await posterKey(),
      headers: { "content-type": "application/json" },
      body: '\uFEFF{"posters":[{"name":"bom","path":"/m"}]}',
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await res.json()).toMatchObject({ posters: [{ name: "bom", path: "/m" }] });
  });

  it("formula-looking names and labels are stored and read back as written", async () => {
    const name = "=cmd|' /C calc'!A0";
    const res = await batch([{ name, path: "/m", label: "+SUM(A1)", campaign: "@campaign" }]);
    expect(res.status, await res.clone().text()).toBe(201);
    const { posters } = (await res.json()) as {
      posters: { id: string; name: string; label: string }[];
    };
    const read = await call(`/v1/posters/${posters[0]!.id}`, { key: await posterKey() });
    expect(await read.json()).toMatchObject({ name, label: "+SUM(A1)" });
  });

  it("the dry run checks every row and writes nothing; a bad row refuses the whole batch", async () => {
    const store = await makeStore("Import St");
    const good = { name: "dry-good", path: "/m", store_id: store.id };
    const dry = await batch([good, good], "?dry_run=true");
    expect(dry.status).toBe(200);
    expect(await dry.json()).toEqual({ valid: true, count: 2 });
    expect(await listed("dry-good")).toBe(0);
    const bad = await batch([good, { name: "dry-bad", path: "no-slash" }, good]);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { details: { rows: { index: number; field: string }[] } };
    expect(body.details.rows[0]).toMatchObject({ index: 1, field: "path" });
    expect(await listed("dry-good")).toBe(0);
    const gone = await batch([{ ...good, store_id: "st_nosuchstore0000" }]);
    expect(gone.status).toBeGreaterThanOrEqual(400);
    expect(gone.status).toBeLessThan(500);
  });

  it("a publishable key, or a secret key without posters:write, writes nothing", async () => {
    const pk = await mintKey("publishable", ["handoffs:write"], ["https://shop.test"]);
    const stats = await mintKey("secret", ["stats:read"]);
    for (const key of [pk, stats]) {
      const res = await batch([{ name: "no-key", path: "/m" }], "", key);
      expect(res.status).toBe(403);
    }
    expect(await listed("no-key")).toBe(0);
  });
});
