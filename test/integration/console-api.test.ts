// The /v1 API under a console session: the console's calls run the real /v1 routes (validation,
// resolve sees the change), only for the console's areas, and the few routes the console adds.
import { beforeAll, describe, expect, it } from "vitest";
import { consoleCall, editorSession, type Session } from "./console-helpers";
import { call } from "./helpers";
import { scalar } from "./hop-helpers";

let editor: Session;
let editorKey: string;
beforeAll(async () => {
  ({ key: editorKey, session: editor } = await editorSession());
});

describe("the /v1 API under the session", () => {
  it("runs the /v1 route itself: validation errors name the field", async () => {
    const bad = await consoleCall(editor, "POST", "/v1/posters", {
      name: "x",
      path: "//evil.example",
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: "validation_failed",
      details: { field: "path" },
    });
  });

  it("creates and re-targets a poster that /v1 and /v1/resolve then see", async () => {
    const created = await consoleCall(editor, "POST", "/v1/posters", {
      name: "Door",
      path: "/menu",
    });
    expect(created.status).toBe(201);
    const poster = (await created.json()) as { id: string; url: string; version: number };
    const patched = await consoleCall(editor, "PATCH", `/v1/posters/${poster.id}`, {
      path: "/menu/dinner",
      version: poster.version,
    });
    expect(patched.status).toBe(200);
    const viaKey = await call(`/v1/posters/${poster.id}`, { key: editorKey });
    expect(await viaKey.json()).toMatchObject({ path: "/menu/dinner", version: 2 });
    const resolved = await call("/v1/resolve", { method: "POST", json: { url: poster.url } });
    expect(await resolved.json()).toMatchObject({ kind: "poster", path: "/menu/dinner" });
  });

  it("forwards only the console's areas, and only with a session", async () => {
    expect((await consoleCall(editor, "POST", "/v1/handoffs", {})).status).toBe(404);
    expect((await consoleCall(editor, "GET", "/v1/hops")).status).toBe(404);
    const bearerOnly = await call("/dashboard/api/v1/stores", { key: editorKey });
    expect(bearerOnly.status).toBe(401);
  });

  it("never lets a cookie authenticate /v1 itself", async () => {
    const res = await call("/v1/stores", { headers: { cookie: editor.cookie } });
    expect(res.status).toBe(401);
  });

  it("refuses a body over the batch limit before reading it all", async () => {
    const res = await consoleCall(editor, "POST", "/v1/posters/batch", {
      posters: [{ name: "x".repeat(3 * 1024 * 1024), path: "/x" }],
    });
    expect(res.status).toBe(413);
  });
});

describe("the console's API additions", () => {
  it("checks a whole batch with dry_run and writes nothing", async () => {
    const before = await scalar("SELECT COUNT(*) FROM posters");
    const rows = Array.from({ length: 30 }, (_, i) => ({ name: `Row ${i}`, path: `/r/${i}` }));
    rows[7] = { name: "bad", path: "no-slash" };
    rows[21] = { name: "bad store", path: "/x", store_id: "st_000000000000" } as never;
    const bad = await consoleCall(editor, "POST", "/v1/posters/batch?dry_run=true", {
      posters: rows,
    });
    expect(bad.status).toBe(400);
    const details = ((await bad.json()) as { details: { rows: { index: number }[] } }).details;
    expect(details.rows.map((r) => r.index)).toEqual([7]);
    rows[7] = { name: "fixed", path: "/fixed" };
    const stores = await consoleCall(editor, "POST", "/v1/posters/batch?dry_run=true", {
      posters: rows,
    });
    expect(stores.status).toBe(400);
    expect(await stores.json()).toMatchObject({
      details: { rows: [{ index: 21, field: "store_id" }] },
    });
    rows[21] = { name: "fixed", path: "/x" };
    const good = await consoleCall(editor, "POST", "/v1/posters/batch?dry_run=true", {
      posters: rows,
    });
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ valid: true, count: 30 });
    expect(await scalar("SELECT COUNT(*) FROM posters")).toBe(before);
  });

  it("searches stores by name, ref or address, and creates campaigns by name once", async () => {
    const mine = new Set<string>();
    for (const [name, ref] of [
      ["Shibuya 100%", "S-1"],
      ["Ginza", "G_2"],
    ]) {
      const res = await call("/v1/stores", { method: "POST", key: editorKey, json: { name, ref } });
      mine.add(((await res.json()) as { id: string }).id);
    }
    // Of the stores found, those this test made: other files' stores share the database.
    const search = async (q: string) => {
      const res = await call(`/v1/stores?q=${encodeURIComponent(q)}`, { key: editorKey });
      const { stores } = (await res.json()) as { stores: { id: string; name: string }[] };
      return stores.filter((s) => mine.has(s.id)).map((s) => s.name);
    };
    expect(await search("shibuya")).toEqual(["Shibuya 100%"]);
    expect(await search("G_2")).toEqual(["Ginza"]);
    expect(await search("100%")).toEqual(["Shibuya 100%"]);
    expect(await search("_")).toEqual(["Ginza"]); // literal, not a wildcard

    const first = await consoleCall(editor, "POST", "/v1/campaigns", { name: "Autumn" });
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };
    const again = await consoleCall(editor, "POST", "/v1/campaigns", { name: "Autumn" });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ details: { field: "name", id } });
    const listed = await call("/v1/campaigns?q=autumn", { key: editorKey });
    expect(await listed.json()).toMatchObject({ campaigns: [{ id, name: "Autumn" }] });
  });

  it("prints a campaign's active posters only, when the console asks (status=active): not paused, revoked or ended; scheduled ones print", async () => {
    const batch = await consoleCall(editor, "POST", "/v1/posters/batch", {
      posters: Array.from({ length: 13 }, (_, i) => ({
        name: `Sheet ${i}`,
        path: "/menu",
        campaign: "Sheets by status",
      })),
    });
    expect(batch.status).toBe(201);
    const { posters } = (await batch.json()) as {
      posters: { id: string; display_code: string; campaign_id: string; version: number }[];
    };
    for (const [p, status] of [
      [posters[0]!, "revoked"],
      [posters[1]!, "paused"],
    ] as const)
      expect((await consoleCall(editor, "PATCH", `/v1/posters/${p.id}`, { status })).status).toBe(
        200,
      );
    const now = Date.now();
    const ended = { active_from: now - 86_400_000, active_until: now - 60_000 };
    const scheduled = { active_from: now + 86_400_000 };
    for (const [p, window] of [
      [posters[2]!, ended],
      [posters[3]!, scheduled],
    ] as const) {
      const res = await consoleCall(editor, "PATCH", `/v1/posters/${p.id}`, window);
      expect(res.status, await res.clone().text()).toBe(200);
    }
    const sheet = (query: string) =>
      consoleCall(
        editor,
        "GET",
        `/v1/posters/print-sheet.svg?campaign_id=${posters[0]!.campaign_id}${query}`,
      );
    const all = await sheet("");
    expect(all.headers.get("x-total-pages")).toBe("2");
    const active = await sheet("&status=active");
    expect(active.headers.get("x-total-pages")).toBe("1");
    const svg = await active.text();
    expect(svg).not.toContain(posters[0]!.display_code);
    expect(svg).not.toContain(posters[1]!.display_code);
    expect(svg).not.toContain(posters[2]!.display_code);
    expect(svg).toContain(posters[3]!.display_code);
    expect(svg).toContain(posters[12]!.display_code);
  });
});
