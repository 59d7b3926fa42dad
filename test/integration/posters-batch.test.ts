import { describe, expect, it } from "vitest";
import { call } from "./helpers";
import { env, makeStore, type PosterJson, posterKey } from "./poster-helpers";

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
