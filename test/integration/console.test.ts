// The console's routes in workerd: the /v1 API under a dashboard session (rights = the key's
// scopes, Origin + per-session CSRF token on every change), its pages and its files.
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, BASE, call, mintKey } from "./helpers";
import { scalar } from "./hop-helpers";

interface Session {
  cookie: string;
  csrf: string;
}

/** Sign in with `key` and read the session's CSRF token from the page, as the browser does. */
async function session(key: string): Promise<Session> {
  const res = await call("/dashboard/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
    body: new URLSearchParams({ key }).toString(),
    redirect: "manual",
  });
  expect(res.status).toBe(303);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const html = await (await call("/dashboard/stores", { headers: { cookie } })).text();
  return { cookie, csrf: /data-csrf="([^"]+)"/.exec(html)![1]! };
}

/** A console call: the session's cookie, this origin and its token unless overridden. */
function consoleCall(
  s: Session,
  method: string,
  path: string,
  json?: unknown,
  headers: Record<string, string | null> = {},
) {
  const h: Record<string, string> = { cookie: s.cookie, origin: BASE, "x-csrf-token": s.csrf };
  for (const [k, v] of Object.entries(headers)) {
    if (v === null) delete h[k];
    else h[k] = v;
  }
  return call(`/dashboard/api${path}`, { method, headers: h, json });
}

let editor: Session;
let reader: Session;
let admin: Session;
let editorKey: string;
beforeAll(async () => {
  editorKey = await mintKey("secret", ["stats:read", "posters:write"]);
  [editor, reader, admin] = await Promise.all([
    session(editorKey),
    session(await mintKey("secret", ["stats:read"])),
    session(ADMIN_KEY),
  ]);
});

describe("CSRF defence on console changes", () => {
  const storeNamed = (name: string) => scalar("SELECT COUNT(*) FROM stores WHERE name = ?", name);

  it("refuses a change without the token, with another session's token, or from another origin", async () => {
    const cases: [string, Record<string, string | null>][] = [
      ["no token", { "x-csrf-token": null }],
      ["wrong token", { "x-csrf-token": "A".repeat(43) }],
      ["another session's token", { "x-csrf-token": admin.csrf }],
      ["another origin", { origin: "https://evil.example" }],
      ["cross-site fetch", { origin: null, "sec-fetch-site": "cross-site" }],
    ];
    for (const [label, headers] of cases) {
      const name = `csrf ${label}`;
      const res = await consoleCall(editor, "POST", "/v1/stores", { name }, headers);
      expect(res.status, label).toBe(403);
      expect(await res.json(), label).toMatchObject({ error: "forbidden" });
      expect(await storeNamed(name), label).toBe(0);
    }
    const ok = await consoleCall(editor, "POST", "/v1/stores", { name: "csrf ok" });
    expect(ok.status).toBe(201);
    expect(await storeNamed("csrf ok")).toBe(1);
  });

  it("gives each session its own token and reads need none", async () => {
    expect(editor.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([editor.csrf, reader.csrf, admin.csrf]).size).toBe(3);
    const list = await consoleCall(editor, "GET", "/v1/stores", undefined, {
      "x-csrf-token": null,
      origin: null,
    });
    expect(list.status).toBe(200);
  });
});

describe("a session's rights are its key's scopes", () => {
  it("a stats:read-only session may not list or change stores and posters", async () => {
    for (const [method, path, body] of [
      ["POST", "/v1/stores", { name: "reader's store" }],
      ["GET", "/v1/posters", undefined],
      ["POST", "/v1/posters", { name: "x", path: "/x" }],
    ] as const) {
      const res = await consoleCall(reader, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { message: string }).message).toContain("posters:write");
    }
    expect(await scalar("SELECT COUNT(*) FROM stores WHERE name = ?", "reader's store")).toBe(0);
  });

  it("keys and dead letters need an admin session", async () => {
    expect((await consoleCall(editor, "GET", "/v1/keys")).status).toBe(403);
    const keys = await consoleCall(admin, "GET", "/v1/keys");
    expect(keys.status).toBe(200);
    expect(keys.headers.get("access-control-allow-origin")).toBeNull();
    expect(keys.headers.get("cache-control")).toBe("no-store");
  });

  it("opens webhooks to a webhooks:write session and keys, dead letters to the admin only", async () => {
    const hooks = await session(await mintKey("secret", ["stats:read", "webhooks:write"]));
    const refused = await consoleCall(editor, "POST", "/v1/webhooks", {
      url: "https://hooks.example/in",
      events: ["poster.scanned"],
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toContain("webhooks:write");
    const made = await consoleCall(hooks, "POST", "/v1/webhooks", {
      url: "https://hooks.example/in",
      events: ["poster.scanned"],
    });
    expect(made.status).toBe(201);
    const { id, secret } = (await made.json()) as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const listed = await consoleCall(hooks, "GET", "/v1/webhooks");
    expect(JSON.stringify(await listed.json())).not.toContain(secret);
    const gone = await consoleCall(hooks, "DELETE", `/v1/webhooks/${id}`, undefined, {
      "x-csrf-token": null,
    });
    expect(gone.status).toBe(403);

    const pageOf = async (s: Session, path: string) =>
      (await call(path, { headers: { cookie: s.cookie } })).text();
    const hooksPage = await pageOf(hooks, "/dashboard/webhooks");
    expect(hooksPage).toContain('aria-busy="true"');
    expect(hooksPage).not.toContain('href="/dashboard/stores"');
    expect(hooksPage).not.toContain('href="/dashboard/keys"');
    const editorHooks = await pageOf(editor, "/dashboard/webhooks");
    expect(editorHooks).toContain('aria-busy="false"');
    expect(editorHooks).toContain("webhooks:write scope");
    const editorKeys = await pageOf(editor, "/dashboard/keys");
    expect(editorKeys).toContain('aria-busy="false"');
    expect(editorKeys).toContain("Only a session opened with the admin key");
    const adminKeys = await pageOf(admin, "/dashboard/keys");
    expect(adminKeys).toContain('aria-busy="true"');
    for (const section of ["stores", "webhooks", "keys", "dead-letters"])
      expect(adminKeys).toContain(`href="/dashboard/${section}"`);
    expect((await consoleCall(editor, "GET", "/v1/dead-letters")).status).toBe(403);
    expect((await consoleCall(admin, "GET", "/v1/dead-letters")).status).toBe(200);
  });

  it("shows a read-only key no console sections and no edit controls", async () => {
    const html = await (
      await call("/dashboard/posters", { headers: { cookie: reader.cookie } })
    ).text();
    expect(html).toContain('data-scopes="stats:read"');
    expect(html).toContain("posters:write scope");
    expect(html).not.toContain('href="/dashboard/stores"');
    const editorHtml = await (
      await call("/dashboard/posters", { headers: { cookie: editor.cookie } })
    ).text();
    expect(editorHtml).toContain('href="/dashboard/stores"');
  });
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
});

describe("console pages and files", () => {
  it("serves its script and stylesheet under content-hashed names, cached for good", async () => {
    const html = await (
      await call("/dashboard/posters", { headers: { cookie: editor.cookie } })
    ).text();
    const js = /src="(\/dashboard\/assets\/console\.[0-9a-f]{12}\.js)"/.exec(html)![1]!;
    const css = /href="(\/dashboard\/assets\/console\.[0-9a-f]{12}\.css)"/.exec(html)![1]!;
    for (const [path, type] of [
      [js, "text/javascript"],
      [css, "text/css"],
    ] as const) {
      const res = await call(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain(type);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    }
    expect((await call("/dashboard/assets/console.000000000000.js")).status).toBe(404);
  });

  it("picks English or Simplified Chinese from Accept-Language, and the switch's cookie wins", async () => {
    const zh = await call("/dashboard/stores", {
      headers: { cookie: editor.cookie, "accept-language": "zh-CN,zh;q=0.9" },
    });
    const zhHtml = await zh.text();
    expect(zhHtml).toContain('<html lang="zh-Hans">');
    expect(zhHtml).toContain("门店");
    const en = await call("/dashboard/stores", {
      headers: { cookie: `${editor.cookie}; qb_lang=en`, "accept-language": "zh-CN" },
    });
    expect(await en.text()).toContain('<html lang="en">');
  });

  it("shows the sign-in form on a console page without a session", async () => {
    const html = await (await call("/dashboard/posters/ABC123")).text();
    expect(html).toContain('action="/dashboard/login"');
    expect(html).not.toContain("data-csrf");
  });

  it("answers a page that does not exist with 404, as a JSON error", async () => {
    for (const path of ["/dashboard/logout", "/dashboard/nope/ABC123", "/dashboard/posters/a.b"]) {
      const res = await call(path, { headers: { cookie: editor.cookie } });
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: string }).error).toBe("not_found");
    }
  });
});
