// Red team: the console's sessions. An attacker plants a session cookie before the victim signs
// in (fixation), forges changes from another site (CSRF, with every way a browser may or may
// not send Origin), replays a cookie after sign-out, signs in with a read-only key and writes
// through the forwarded /v1 API, and walks the forwarder's path to routes it does not forward.
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, BASE, call, mintKey } from "./helpers";
import { scalar } from "./hop-helpers";

interface Session {
  cookie: string;
  csrf: string;
}

function signIn(key: string, cookie?: string): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    origin: BASE,
  };
  if (cookie) headers.cookie = cookie;
  return call("/dashboard/login", {
    method: "POST",
    headers,
    body: new URLSearchParams({ key }).toString(),
    redirect: "manual",
  });
}

/** Sign in and read the CSRF token from a page, as the browser does. */
async function session(key: string): Promise<Session> {
  const res = await signIn(key);
  expect(res.status).toBe(303);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const html = await (await call("/dashboard/stores", { headers: { cookie } })).text();
  return { cookie, csrf: /data-csrf="([^"]+)"/.exec(html)![1]! };
}

function api(
  s: Session,
  method: string,
  path: string,
  json?: unknown,
  headers: Record<string, string | null> = {},
): Promise<Response> {
  const h: Record<string, string> = { cookie: s.cookie, origin: BASE, "x-csrf-token": s.csrf };
  for (const [k, v] of Object.entries(headers)) {
    if (v === null) delete h[k];
    else h[k] = v;
  }
  return call(`/dashboard/api${path}`, { method, headers: h, json });
}

let reader: Session;
let admin: Session;
beforeAll(async () => {
  [reader, admin] = await Promise.all([
    session(await mintKey("secret", ["stats:read"])),
    session(ADMIN_KEY),
  ]);
});

describe("session fixation", () => {
  it("a planted cookie value is never adopted: sign-in issues a fresh one, the planted one stays dead", async () => {
    const planted = `qb_session=${"A".repeat(43)}`;
    const res = await signIn(ADMIN_KEY, planted);
    expect(res.status).toBe(303);
    const issued = res.headers.get("set-cookie")!.split(";")[0]!;
    expect(issued).not.toBe(planted);
    expect((await call("/dashboard/api/labels", { headers: { cookie: planted } })).status).toBe(
      401,
    );
    expect((await call("/dashboard/api/labels", { headers: { cookie: issued } })).status).toBe(200);
  });

  it("the attacker's own live session is not lifted to the victim's key when the victim signs in", async () => {
    const attacker = await session(await mintKey("secret", ["stats:read"]));
    const res = await signIn(ADMIN_KEY, attacker.cookie);
    const victimCookie = res.headers.get("set-cookie")!.split(";")[0]!;
    expect(victimCookie).not.toBe(attacker.cookie);
    // The planted session keeps the attacker's rights only: no keys, no admin.
    expect((await api(attacker, "GET", "/v1/keys")).status).toBe(403);
    expect(
      (await call("/dashboard/api/v1/keys", { headers: { cookie: victimCookie } })).status,
    ).toBe(200);
  });
});

describe("cross-site changes (CSRF)", () => {
  const storeCount = (name: string) => scalar("SELECT COUNT(*) FROM stores WHERE name = ?", name);

  it("refuses every way a forged request can arrive, and writes nothing", async () => {
    const name = `csrf-${crypto.randomUUID()}`;
    const forged: [string, Record<string, string | null>][] = [
      ["other origin, right token", { origin: "https://evil.example" }],
      ["sibling origin", { origin: "https://evil.qr.test" }],
      ["Origin: null, cross-site", { origin: "null", "sec-fetch-site": "cross-site" }],
      ["no Origin, same-site", { origin: null, "sec-fetch-site": "same-site" }],
      ["no token", { "x-csrf-token": null }],
      ["empty token", { "x-csrf-token": "" }],
      ["token of another session", { "x-csrf-token": reader.csrf }],
    ];
    for (const [label, headers] of forged) {
      const res = await api(admin, "POST", "/v1/stores", { name }, headers);
      expect(res.status, label).toBe(403);
    }
    // A plain HTML form post (no custom header possible) is refused too.
    const form = await call("/dashboard/api/v1/stores", {
      method: "POST",
      headers: {
        cookie: admin.cookie,
        origin: "https://evil.example",
        "content-type": "text/plain",
      },
      body: JSON.stringify({ name }),
    });
    expect(form.status).toBe(403);
    expect(await storeCount(name)).toBe(0);
    // The genuine page's request goes through.
    expect((await api(admin, "POST", "/v1/stores", { name })).status).toBe(201);
    expect(await storeCount(name)).toBe(1);
  });

  it("sign-out needs the token too, so another site cannot sign the user out", async () => {
    const s = await session(ADMIN_KEY);
    const out = await call("/dashboard/logout", {
      method: "POST",
      headers: { cookie: s.cookie, origin: "https://evil.example" },
      redirect: "manual",
    });
    expect(out.status).toBe(403);
    expect((await api(s, "GET", "/v1/keys")).status).toBe(200);
  });
});

describe("after sign-out", () => {
  it("a copied cookie replayed later opens nothing", async () => {
    const s = await session(ADMIN_KEY);
    const out = await call("/dashboard/logout", {
      method: "POST",
      headers: {
        cookie: s.cookie,
        origin: BASE,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ csrf: s.csrf }).toString(),
      redirect: "manual",
    });
    expect(out.status).toBe(303);
    expect((await api(s, "GET", "/v1/keys")).status).toBe(401);
    expect((await api(s, "POST", "/v1/stores", { name: "after logout" })).status).toBe(401);
  });
});

describe("a read-only (stats:read) session writes nothing through the console", () => {
  it("every change of every forwarded area is 403", async () => {
    const writes: [string, string, unknown][] = [
      ["POST", "/v1/stores", { name: "ro" }],
      ["PATCH", "/v1/stores/st_x", { name: "ro" }],
      ["DELETE", "/v1/stores/st_x", undefined],
      ["POST", "/v1/campaigns", { name: "ro" }],
      ["POST", "/v1/posters", { name: "ro", path: "/x" }],
      ["POST", "/v1/posters/batch", { posters: [{ name: "ro", path: "/x" }] }],
      ["PATCH", "/v1/posters/po_x", { status: "paused" }],
      ["DELETE", "/v1/posters/po_x", undefined],
      ["POST", "/v1/webhooks", { url: "https://hooks.example/x", events: ["conversion"] }],
      ["DELETE", "/v1/webhooks/wh_x", undefined],
      ["POST", "/v1/keys", { name: "ro", kind: "secret", scopes: ["stats:read"] }],
      ["DELETE", "/v1/keys/key_x", undefined],
      ["POST", "/v1/dead-letters/replay", { ids: ["x"] }],
    ];
    for (const [method, path, body] of writes) {
      const res = await api(reader, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect(await scalar("SELECT COUNT(*) FROM stores WHERE name = 'ro'")).toBe(0);
  });
});

describe("the forwarder's path", () => {
  it("reaches no route outside the console's areas, however the path is spelled", async () => {
    const paths = [
      "/v1/handoffs",
      "/v1/logins/exchange",
      "/v1/resolve",
      "/v1/stores/../handoffs",
      "/v1/stores/%2e%2e/handoffs",
      "/v1/stores/.%2E/logins/exchange",
      "/v1/stores%2F..%2Fhandoffs",
      "/v1//handoffs",
      "/v1/storesX",
    ];
    for (const path of paths) {
      const res = await api(admin, "POST", path, { code_challenge: "x" });
      expect([404, 405], path).toContain(res.status);
    }
  });

  it("keys and dead letters stay the admin's: a stats:read session gets 403 reading them", async () => {
    for (const path of ["/v1/keys", "/v1/dead-letters"]) {
      expect((await api(reader, "GET", path)).status, path).toBe(403);
    }
  });
});

describe("clickjacking", () => {
  it("no console page, signed in or not, may be framed by another site", async () => {
    const pages: [string, Record<string, string>][] = [
      ["/dashboard", {}],
      ["/dashboard", { cookie: admin.cookie }],
      ["/dashboard/keys", { cookie: admin.cookie }],
      ["/dashboard/posters", { cookie: reader.cookie }],
    ];
    for (const [path, headers] of pages) {
      const res = await call(path, { headers });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
    }
  });
});
