// Posters through the API: creating one (its code, links, window, path and params checked),
// listing with filters and a cursor, reading, re-targeting and deleting (stores and campaigns:
// stores-campaigns-api.test.ts).
import { describe, expect, it } from "vitest";
import { call, mintKey } from "./helpers";
import {
  env,
  makePoster,
  makeStore,
  type PosterJson,
  patchPoster,
  posterKey,
} from "./poster-helpers";

describe("POST /v1/posters", () => {
  it("creates a poster with a signed code, URL, QR links, store and a campaign made on first use", async () => {
    const store = await makeStore("Shibuya");
    const p = await makePoster({
      name: "Window",
      path: "/menu/lunch",
      store_id: store.id,
      campaign: "Summer 2026",
      params: { table: "12" },
    });
    expect(p.id).toMatch(/^[0-9A-Z]{6}$/);
    expect(p.code).toMatch(new RegExp(`^${p.id}[0-9A-Z]{4}$`));
    expect(p.display_code).toBe(`${p.code.slice(0, 5)}-${p.code.slice(5)}`);
    expect(p.url).toBe(`HTTPS://QR.TEST/P/${p.code}`);
    expect(p.qr.svg).toBe(`https://qr.test/qr/p/${p.code}.svg`);
    expect(p).toMatchObject({
      name: "Window",
      path: "/menu/lunch",
      params: { table: "12" },
      store_id: store.id,
      store_name: "Shibuya",
      campaign: "Summer 2026",
      status: "active",
      version: 1,
      deleted_at: null,
    });
    expect(p.campaign_id).toMatch(/^cp_[0-9a-z]{12}$/);
    // The same campaign name reuses the campaign.
    const again = await makePoster({ campaign: "Summer 2026" });
    expect(again.campaign_id).toBe(p.campaign_id);
    const row = await env.DB.prepare("SELECT code, params FROM posters WHERE id = ?")
      .bind(p.id)
      .first<{ code: string; params: string }>();
    expect(row).toEqual({ code: p.code, params: '{"table":"12"}' });
  });

  it("accepts ISO times for the window and rejects an inverted one", async () => {
    const p = await makePoster({
      active_from: "2026-07-01T00:00:00Z",
      active_until: "2026-08-01T00:00:00+09:00",
    });
    expect(p.active_from).toBe(Date.parse("2026-07-01T00:00:00Z"));
    expect(p.active_until).toBe(Date.parse("2026-07-31T15:00:00Z"));
    const res = await call("/v1/posters", {
      method: "POST",
      key: await posterKey(),
      json: { name: "x", path: "/a", active_from: 2000, active_until: 1000 },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^active_until/);
  });

  it("refuses a time before 1970 in either form, as ISO or as ms, naming the field", async () => {
    const key = await posterKey();
    const epoch = await makePoster({ active_from: "1970-01-01T00:00:00Z" });
    expect(epoch.active_from).toBe(0);
    const p = await makePoster();
    // The last one is 1969-12-31T23:30:00Z: before 1970 once its offset is applied.
    for (const early of [
      -1,
      "1969-12-31T23:59:59Z",
      "1900-01-01T00:00:00Z",
      "1970-01-01T00:30:00+01:00",
    ]) {
      for (const field of ["active_from", "active_until"]) {
        const created = await call("/v1/posters", {
          method: "POST",
          key,
          json: { name: "x", path: "/a", [field]: early },
        });
        const patched = await patchPoster(p.id, { [field]: early });
        for (const res of [created, patched]) {
          expect(res.status, `${field}=${early}`).toBe(400);
          const body = (await res.json()) as {
            error: string;
            message: string;
            details: { fields: { field: string }[] };
          };
          expect(body.error).toBe("validation_failed");
          expect(body.message.startsWith(`${field}:`), body.message).toBe(true);
          expect(body.details.fields.map((f) => f.field)).toContain(field);
        }
        const batch = await call("/v1/posters/batch", {
          method: "POST",
          key,
          json: { posters: [{ name: "x", path: "/a", [field]: early }] },
        });
        expect(batch.status, `batch ${field}=${early}`).toBe(400);
        const body = (await batch.json()) as { details: { rows: { field: string }[] } };
        expect(body.details.rows).toEqual([expect.objectContaining({ index: 0, field })]);
      }
    }
  });

  it.each([
    ["https://evil.example/x"],
    ["//evil.example/x"],
    ["/\\evil.example"],
    ["menu"],
    ["/a b"],
    ["javascript:alert(1)"],
  ])("refuses the path %s (no open redirect)", async (path) => {
    const res = await call("/v1/posters", {
      method: "POST",
      key: await posterKey(),
      json: { name: "x", path },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe("validation_failed");
    expect(body.message).toMatch(/^path/);
  });

  it("names an unknown store, and refuses keys without posters:write", async () => {
    const res = await call("/v1/posters", {
      method: "POST",
      key: await posterKey(),
      json: { name: "x", path: "/a", store_id: "st_000000000000" },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ message: "store_id: no store st_000000000000" });
    const statsKey = await mintKey("secret", ["stats:read"]);
    const forbidden = await call("/v1/posters", {
      method: "POST",
      key: statsKey,
      json: { name: "x", path: "/a" },
    });
    expect(forbidden.status).toBe(403);
    expect(
      (await call("/v1/posters", { method: "POST", json: { name: "x", path: "/a" } })).status,
    ).toBe(401);
  });

  it('refuses a "__proto__" param instead of creating the poster without it', async () => {
    // zod drops a "__proto__" record key silently; it used to vanish behind a 201.
    const key = await posterKey();
    const row = '{"name":"x","path":"/a","params":{"__proto__":"1","t":"2"}}';
    const p = await makePoster();
    for (const [method, path, body, message] of [
      ["POST", "/v1/posters", row, /^params\.__proto__: /],
      ["POST", "/v1/posters/batch", `{"posters":[${row}]}`, /^posters\[0\]\.params\.__proto__: /],
      ["PATCH", `/v1/posters/${p.id}`, '{"params":{"__proto__":"1"}}', /^params\.__proto__: /],
    ] as const) {
      const headers = { "content-type": "application/json" };
      const res = await call(path, { method, key, headers, body });
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { message: string }).message, path).toMatch(message);
    }
    const after = await call(`/v1/posters/${p.id}`, { key });
    expect(((await after.json()) as PosterJson).version).toBe(1); // the PATCH changed nothing
  });
});

describe("GET /v1/posters", () => {
  it("filters by store, campaign and status and pages with a cursor", async () => {
    const store = await makeStore("Paging store");
    const made: PosterJson[] = [];
    for (let i = 0; i < 5; i++)
      made.push(await makePoster({ name: `p${i}`, store_id: store.id, campaign: "Paging" }));
    await patchPoster(made[1]!.id, { status: "paused" });
    const key = await posterKey();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(
        `/v1/posters?store_id=${store.id}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        { key },
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as { posters: PosterJson[]; next_cursor: string | null };
      expect(body.posters.length).toBeLessThanOrEqual(2);
      seen.push(...body.posters.map((p) => p.id));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(made.map((p) => p.id).reverse());

    const paused = await call(`/v1/posters?store_id=${store.id}&status=paused`, { key });
    expect(((await paused.json()) as { posters: PosterJson[] }).posters.map((p) => p.id)).toEqual([
      made[1]!.id,
    ]);
    const byCampaign = await call(`/v1/posters?campaign_id=${made[0]!.campaign_id}`, { key });
    expect(((await byCampaign.json()) as { posters: PosterJson[] }).posters).toHaveLength(5);
    const bad = await call("/v1/posters?cursor=nonsense", { key });
    expect(bad.status).toBe(400);
  });
});

describe("GET/PATCH/DELETE /v1/posters/:id", () => {
  it("reads any case of the id, re-targets with a version bump, and guards with version", async () => {
    const p = await makePoster();
    const key = await posterKey();
    const got = await call(`/v1/posters/${p.id.toLowerCase()}`, { key });
    expect(got.status).toBe(200);
    expect(((await got.json()) as PosterJson).code).toBe(p.code);

    const res = await patchPoster(p.id, {
      path: "/menu/dinner",
      params: { x: "1" },
      campaign: "Retarget",
    });
    expect(res.status).toBe(200);
    const changed = (await res.json()) as PosterJson;
    expect(changed).toMatchObject({
      path: "/menu/dinner",
      params: { x: "1" },
      campaign: "Retarget",
      version: 2,
      code: p.code,
    });
    expect(changed.updated_at).toBeGreaterThanOrEqual(p.updated_at);

    const stale = await patchPoster(p.id, { name: "late", version: 1 });
    expect(stale.status).toBe(409);
    const badWindow = await patchPoster(p.id, { active_from: 5000, active_until: 4000 });
    expect(badWindow.status).toBe(400);
    const unknown = await patchPoster("ZZZZZZ", { name: "x" });
    expect(unknown.status).toBe(404);
    const badStatus = await patchPoster(p.id, { status: "deleted" });
    expect(badStatus.status).toBe(400);
  });

  it("DELETE revokes and hides the poster but keeps its row", async () => {
    const store = await makeStore("Delete store");
    const p = await makePoster({ store_id: store.id });
    const key = await posterKey();
    const del = await call(`/v1/posters/${p.id}`, { method: "DELETE", key });
    expect(del.status).toBe(200);
    const body = (await del.json()) as PosterJson;
    expect(body.status).toBe("revoked");
    expect(body.deleted_at).not.toBeNull();
    const list = await call(`/v1/posters?store_id=${store.id}`, { key });
    expect(((await list.json()) as { posters: unknown[] }).posters).toEqual([]);
    expect((await call(`/v1/posters/${p.id}`, { method: "DELETE", key })).status).toBe(404);
    expect((await patchPoster(p.id, { status: "active" })).status).toBe(409);
    // The store is still referred to by the deleted poster's row.
    expect((await call(`/v1/stores/${store.id}`, { method: "DELETE", key })).status).toBe(409);
  });
});
