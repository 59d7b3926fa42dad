// What a poster accepts: batch creation (all or nothing) and paths checked like handoff paths.
import { describe, expect, it } from "vitest";
import { ADMIN_KEY, call } from "./helpers";
import {
  env,
  makePoster,
  makeStore,
  type PosterJson,
  patchPoster,
  posterKey,
  scan,
} from "./poster-helpers";

const count = async (where: string, ...args: unknown[]) =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM posters WHERE ${where}`)
    .bind(...args)
    .first<{ n: number }>())!.n;

describe("POST /v1/posters/batch", () => {
  it("creates 1,000 posters in one request, in order, with distinct codes", async () => {
    const store = await makeStore("Batch store");
    const posters = Array.from({ length: 1000 }, (_, i) => ({
      name: `Shelf ${i}`,
      path: `/aisle/${i % 20}`,
      store_id: store.id,
      campaign: i % 2 ? "Batch odd" : "Batch even",
      params: { shelf: String(i) },
    }));
    const res = await call("/v1/posters/batch", {
      method: "POST",
      key: await posterKey(),
      json: { posters },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { posters: PosterJson[] };
    expect(body.posters).toHaveLength(1000);
    expect(body.posters.map((p) => p.name)).toEqual(posters.map((p) => p.name));
    expect(new Set(body.posters.map((p) => p.code)).size).toBe(1000);
    expect(new Set(body.posters.map((p) => p.campaign_id)).size).toBe(2);
    expect(body.posters[3]).toMatchObject({
      campaign: "Batch odd",
      store_name: "Batch store",
      params: { shelf: "3" },
      path: "/aisle/3",
    });
    expect(await count("store_id = ?", store.id)).toBe(1000);
    // What the response says is what D1 holds.
    const row = await env.DB.prepare(
      "SELECT p.code, c.name AS campaign FROM posters p JOIN campaigns c ON c.id = p.campaign_id WHERE p.id = ?",
    )
      .bind(body.posters[998]!.id)
      .first();
    expect(row).toEqual({ code: body.posters[998]!.code, campaign: "Batch even" });
  });

  it("writes nothing when one row is bad, and names the row and field", async () => {
    const store = await makeStore("Bad batch store");
    const posters = Array.from({ length: 50 }, (_, i) => ({
      name: `Row ${i}`,
      path: "/ok",
      store_id: store.id,
      campaign: "Never created",
    }));
    posters[37]!.path = "https://evil.example";
    const res = await call("/v1/posters/batch", {
      method: "POST",
      key: await posterKey(),
      json: { posters },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: string;
      message: string;
      details: { rows: { index: number; field: string }[] };
    };
    expect(body.error).toBe("validation_failed");
    expect(body.message).toMatch(/^posters\[37\]\.path: .*nothing was created$/);
    expect(body.details.rows).toEqual([expect.objectContaining({ index: 37, field: "path" })]);
    expect(await count("store_id = ?", store.id)).toBe(0);
    const campaign = await env.DB.prepare("SELECT id FROM campaigns WHERE name = ?")
      .bind("Never created")
      .first();
    expect(campaign).toBeNull();
  });

  it("names every bad row, including unknown stores found in D1", async () => {
    const store = await makeStore("Mixed batch store");
    const posters = [
      { name: "ok", path: "/a", store_id: store.id },
      { name: "", path: "/a" },
      { name: "ok", path: "/a", store_id: "st_zzzzzzzzzzzz" },
    ];
    const res = await call("/v1/posters/batch", {
      method: "POST",
      key: await posterKey(),
      json: { posters },
    });
    expect(res.status).toBe(400);
    const first = (await res.json()) as { details: { rows: { index: number; field: string }[] } };
    // Shape errors are reported first (nothing reaches D1 until every row parses).
    expect(first.details.rows).toEqual([expect.objectContaining({ index: 1, field: "name" })]);
    posters[1]!.name = "fixed";
    const again = await call("/v1/posters/batch", {
      method: "POST",
      key: await posterKey(),
      json: { posters },
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({
      message: expect.stringMatching(/^posters\[2\]\.store_id: no store st_zzzzzzzzzzzz/),
      details: { rows: [{ index: 2, field: "store_id" }] },
    });
    expect(await count("store_id = ?", store.id)).toBe(0);
  });

  it("refuses an empty batch and one of more than 1,000", async () => {
    const key = await posterKey();
    const empty = await call("/v1/posters/batch", { method: "POST", key, json: { posters: [] } });
    expect(empty.status).toBe(400);
    const big = Array.from({ length: 1001 }, () => ({ name: "x", path: "/x" }));
    const tooMany = await call("/v1/posters/batch", {
      method: "POST",
      key,
      json: { posters: big },
    });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { message: string }).message).toMatch(/^posters/);
  });
});

// Poster paths are checked exactly like handoff paths, on create, batch and PATCH; and a path
// stored before that check never reaches an app or a landing page as it is.
const ATTACKS = [
  "/%2F%2Fevil.com",
  "/%5Cevil.com",
  "/.%2F%2Fevil.com",
  "/a/../..//evil.com",
  "/menu\u0000",
  "/menu\u0007x",
  "/\u202eevil",
  "//evil.com",
  "/\\evil.com",
];

interface Failure {
  error: string;
  message: string;
  details: { field: string; fields: { field: string; message: string }[] };
}

describe("poster paths", () => {
  it("create refuses each attack with 400 naming `path`, as a handoff does", async () => {
    const key = await posterKey();
    for (const path of ATTACKS) {
      const res = await call("/v1/posters", { method: "POST", key, json: { name: "x", path } });
      expect(res.status, JSON.stringify(path)).toBe(400);
      const body = (await res.json()) as Failure;
      expect(body.error).toBe("validation_failed");
      expect(body.details.field, JSON.stringify(path)).toBe("path");
      const handoff = await call("/v1/handoffs", {
        method: "POST",
        key: ADMIN_KEY,
        json: { path },
      });
      expect(handoff.status, `handoff ${JSON.stringify(path)}`).toBe(400);
      expect(((await handoff.json()) as Failure).details.field).toBe("path");
    }
    expect((await makePoster({ path: "/menu/lunch?table=12" })).path).toBe("/menu/lunch?table=12");
  });

  it("batch names the row (`posters.N.path`) and writes nothing", async () => {
    const posters = [
      { name: "ok", path: "/ok" },
      { name: "bad", path: "/%2F%2Fevil.com" },
      { name: "bad too", path: "/menu\u0001" },
    ];
    const res = await call("/v1/posters/batch", {
      method: "POST",
      key: await posterKey(),
      json: { posters },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Failure & { details: { rows: unknown[] } };
    expect(body.details.field).toBe("posters.1.path");
    expect(body.details.fields.map((f) => f.field)).toEqual(["posters.1.path", "posters.2.path"]);
    expect(body.details.rows).toHaveLength(2);
    const written = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM posters WHERE name = 'bad too'",
    ).first<{ n: number }>();
    expect(written!.n).toBe(0);
  });

  it("PATCH refuses a bad path and keeps the old one", async () => {
    const p = await makePoster({ path: "/before" });
    for (const path of ATTACKS) {
      const res = await patchPoster(p.id, { path });
      expect(res.status, JSON.stringify(path)).toBe(400);
      expect(((await res.json()) as Failure).details.field).toBe("path");
    }
    const now = await call(`/v1/posters/${p.id}`, { key: await posterKey() });
    expect(((await now.json()) as { path: string }).path).toBe("/before");
  });

  it("a stored unsafe path resolves to the app's root, never verbatim, and stays off the landing page", async () => {
    const p = await makePoster({ path: "/fine" });
    // A row written before the strict check (straight to D1; nothing has cached it yet).
    await env.DB.prepare("UPDATE posters SET path = ? WHERE id = ?")
      .bind("/%2F%2Fevil.com", p.id)
      .run();
    const res = await call("/v1/resolve", { method: "POST", json: { url: p.url } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { path: string; attribution: { poster_id: string } };
    expect(body.path).toBe("/");
    expect(body.attribution.poster_id).toBe(p.id);
    const page = await (await scan(`/p/${p.code}`)).text();
    expect(page).not.toContain("evil.com");
  });
});
