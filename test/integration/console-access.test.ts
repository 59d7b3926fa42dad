// Who may change what in the console: every change carries this origin and the session's own
// CSRF token, and a session has exactly its key's scopes (the admin key: keys, dead letters).
import { beforeAll, describe, expect, it } from "vitest";
import { consoleCall, editorSession, type Session, session } from "./console-helpers";
import { ADMIN_KEY, call, mintKey } from "./helpers";
import { scalar } from "./hop-helpers";

let editor: Session;
let reader: Session;
let admin: Session;
beforeAll(async () => {
  [editor, reader, admin] = await Promise.all([
    editorSession().then((e) => e.session),
    mintKey("secret", ["stats:read"]).then(session),
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

  it("opens the audit log to the admin only: its own console change is there, others get 403", async () => {
    const made = await consoleCall(admin, "POST", "/v1/stores", {
      name: "audited from the console",
    });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };
    const log = await consoleCall(
      admin,
      "GET",
      `/v1/audit-log?subject_type=store&subject_id=${id}`,
    );
    expect(log.status).toBe(200);
    expect(log.headers.get("cache-control")).toBe("no-store");
    const { entries } = (await log.json()) as {
      entries: { actor: string; via: string; action: string }[];
    };
    expect(entries).toMatchObject([{ actor: "admin", via: "console", action: "store.create" }]);
    for (const s of [reader, editor]) {
      const refused = await consoleCall(s, "GET", "/v1/audit-log");
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: "forbidden" });
    }
    const pageOf = async (s: Session) =>
      (await call("/dashboard/audit-log", { headers: { cookie: s.cookie } })).text();
    const adminPage = await pageOf(admin);
    expect(adminPage).toContain('aria-busy="true"');
    expect(adminPage).toContain('href="/dashboard/audit-log" aria-current="page"');
    for (const s of [reader, editor]) {
      const html = await pageOf(s);
      expect(html).toContain('aria-busy="false"');
      expect(html).toContain("Only a session opened with the admin key");
      expect(html).not.toContain('href="/dashboard/audit-log"');
    }
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
