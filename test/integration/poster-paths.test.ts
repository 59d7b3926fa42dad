// Poster paths are checked exactly like handoff paths, on create, batch and PATCH; and a path
// stored before that check never reaches an app or a landing page as it is.
import { describe, expect, it } from "vitest";
import { ADMIN_KEY, call } from "./helpers";
import { env, makePoster, patchPoster, posterKey, scan } from "./poster-helpers";

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
