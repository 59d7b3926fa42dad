import { beforeAll, describe, expect, it } from "vitest";
import { createBridge } from "../../src/bridge";
import { addDelay, histogramMedian } from "../../src/core/delay-histogram";
import { sha256Hex } from "../../src/core/hash";
import { optionsFromEnv } from "../../src/env-options";
import { ADMIN_KEY, BASE, call, mintKey } from "./helpers";
import { hopRow, ingestViaQueue, scalar, testEnv } from "./hop-helpers";

function login(key: string, origin: string | null = BASE) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (origin) headers.origin = origin;
  return call("/dashboard/login", {
    method: "POST",
    headers,
    body: new URLSearchParams({ key }).toString(),
    redirect: "manual",
  });
}

/** Sign in and return the `qb_session=…` cookie pair. */
async function signIn(key: string): Promise<string> {
  const res = await login(key);
  expect(res.status).toBe(303);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

const DAY = "2023-07-14";
let statsKey: string;
beforeAll(async () => {
  statsKey = await mintKey("secret", ["stats:read"]);
  const at = Date.parse(`${DAY}T12:00:00Z`);
  await ingestViaQueue(
    await Promise.all([
      hopRow(
        { hop: "scanned", store_id: "st_dash", platform: "ios", session_id: "d1" },
        at,
        "192.0.2.1",
      ),
      hopRow({ hop: "landing", store_id: "st_dash", platform: "ios", session_id: "d1" }, at + 5),
      hopRow(
        {
          hop: "app_open",
          store_id: "st_dash",
          platform: "ios",
          session_id: "d1",
          created_at: at,
          detail: { via: "page" },
        },
        at + 1500,
      ),
    ]),
  );
});

describe("the dashboard without a session", () => {
  it("shows only the sign-in form, with a strict CSP and nothing from elsewhere", async () => {
    const res = await call("/dashboard");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('action="/dashboard/login"');
    expect(html).not.toContain("/dashboard/api/");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    const nonce = /style-src 'nonce-([^']+)'/.exec(csp)![1]!;
    expect(html).toMatch(
      new RegExp(
        `<link rel="stylesheet" href="/dashboard/assets/console\\.[0-9a-f]{12}\\.css" nonce="${nonce}">`,
      ),
    );
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it("refuses every data route with 401, forged cookies included", async () => {
    for (const path of [
      "/dashboard/api/funnel",
      "/dashboard/api/hops.csv",
      "/dashboard/api/labels",
    ]) {
      expect((await call(path)).status, path).toBe(401);
      const forged = await call(path, { headers: { cookie: `qb_session=${"A".repeat(43)}` } });
      expect(forged.status, path).toBe(401);
      expect(await forged.json()).toMatchObject({ error: "unauthorized" });
    }
  });

  it("turns away wrong keys, keys without stats:read, publishable keys and the bearer header", async () => {
    const wrong = await login("qb_sk_not_a_real_key_00000000000000");
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(await wrong.text()).toContain("not valid");
    const noScope = await login(await mintKey("secret", ["posters:write"]));
    expect(await noScope.text()).toContain("stats:read");
    const pk = await login(await mintKey("publishable", ["handoffs:write"], ["https://shop.test"]));
    expect(pk.status).toBe(401);
    // A bearer key is not a session.
    expect((await call("/dashboard/api/funnel", { key: statsKey })).status).toBe(401);
  });

  it("refuses a sign-in posted from another origin (CSRF)", async () => {
    const res = await login(statsKey, "https://evil.example");
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
    const crossSite = await call("/dashboard/login", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "sec-fetch-site": "cross-site",
      },
      body: `key=${statsKey}`,
    });
    expect(crossSite.status).toBe(403);
    // A withheld origin passes only when the browser vouches for the same origin.
    const nullOrigin = (site: string) =>
      call("/dashboard/login", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: "null",
          "sec-fetch-site": site,
        },
        body: `key=${statsKey}`,
        redirect: "manual",
      });
    expect((await nullOrigin("cross-site")).status).toBe(403);
    expect((await nullOrigin("same-origin")).status).toBe(303);
  });
});

describe("a signed-in session", () => {
  it("sets an HttpOnly, Secure, SameSite=Strict cookie whose secret is stored only hashed", async () => {
    const res = await login(statsKey);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^qb_session=[A-Za-z0-9_-]{43};/);
    for (const attr of [
      "HttpOnly",
      "Secure",
      "SameSite=Strict",
      "Path=/dashboard",
      "Max-Age=43200",
    ])
      expect(cookie).toContain(attr);
    const value = cookie.split(";")[0]!.split("=")[1]!;
    expect(await scalar("SELECT COUNT(*) FROM dashboard_sessions WHERE id_hash = ?", value)).toBe(
      0,
    );
  });

  it("serves the dashboard page and the same funnel as /v1/stats", async () => {
    const cookie = await signIn(statsKey);
    const page = await call(`/dashboard?from=${DAY}&to=${DAY}`, { headers: { cookie } });
    const html = await page.text();
    const nonce = /script-src 'nonce-([^']+)'/.exec(
      page.headers.get("content-security-policy")!,
    )![1]!;
    expect(html).toMatch(
      new RegExp(
        `<script src="/dashboard/assets/console\\.[0-9a-f]{12}\\.js" nonce="${nonce}" defer>`,
      ),
    );
    expect(html).toContain('action="/dashboard/logout"');
    expect(html).toContain(`value="${DAY}"`);
    // A poster's page links here with its id: the funnel's poster filter starts on it.
    const forPoster = await call(`/dashboard?poster_id=PX7K2M`, { headers: { cookie } });
    expect(await forPoster.text()).toContain('<option value="PX7K2M" selected>');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);

    const query = `from=${DAY}&to=${DAY}&group_by=store&store_id=st_dash`;
    const viaCookie = await call(`/dashboard/api/funnel?${query}`, { headers: { cookie } });
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.headers.get("cache-control")).toBe("no-store");
    const viaKey = await call(`/v1/stats/funnel?${query}`, { key: statsKey });
    const body = await viaCookie.json();
    expect(body).toEqual(await viaKey.json());
    expect(body).toMatchObject({ totals: { scanned: 1, landing: 1, app_open: 1 } });
    const median = (body as { totals: { median_scan_to_app_open_ms: number } }).totals
      .median_scan_to_app_open_ms;
    // The app opened 1.5 s after the scan: the median of a histogram holding that one delay.
    expect(median).toBe(histogramMedian(addDelay({}, 1500)));

    const csv = await call(`/dashboard/api/hops.csv?from=${DAY}&to=${DAY}&store_id=st_dash`, {
      headers: { cookie },
    });
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect((await csv.text()).trim().split("\r\n")).toHaveLength(4);
    // Filtered to one poster (none of these hops names it) the CSV is that poster's: no rows.
    const onePoster = await call(
      `/dashboard/api/hops.csv?from=${DAY}&to=${DAY}&store_id=st_dash&poster_id=PNONE1`,
      { headers: { cookie } },
    );
    expect((await onePoster.text()).trim().split("\r\n")).toHaveLength(1);
    const labels = await call("/dashboard/api/labels", { headers: { cookie } });
    const names = (await labels.json()) as { in_app: { id: string; name: string }[] };
    expect(names).toMatchObject({ stores: expect.any(Array), posters: expect.any(Array) });
    // The in-app donut names WeChat as people write it, not by the funnel's id.
    expect(names.in_app).toContainEqual({ id: "wechat", name: "WeChat" });
  });

  it("the admin key may sign in too", async () => {
    const cookie = await signIn(ADMIN_KEY);
    expect((await call("/dashboard/api/labels", { headers: { cookie } })).status).toBe(200);
  });

  it("ends on logout, and when its key is revoked", async () => {
    const cookie = await signIn(statsKey);
    const refused = await call("/dashboard/logout", {
      method: "POST",
      headers: { cookie, origin: "https://evil.example" },
    });
    expect(refused.status).toBe(403);
    // Same origin but without the session's CSRF token (a form another page could not fill).
    const noToken = await call("/dashboard/logout", {
      method: "POST",
      headers: { cookie, origin: BASE },
      redirect: "manual",
    });
    expect(noToken.status).toBe(403);
    expect((await call("/dashboard/api/labels", { headers: { cookie } })).status).toBe(200);
    const html = await (await call("/dashboard", { headers: { cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const out = await call("/dashboard/logout", {
      method: "POST",
      headers: { cookie, origin: BASE, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf }).toString(),
      redirect: "manual",
    });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await call("/dashboard/api/labels", { headers: { cookie } })).status).toBe(401);
    const page = await call("/dashboard", { headers: { cookie } });
    expect(await page.text()).toContain('action="/dashboard/login"');

    const key = await mintKey("secret", ["stats:read"]);
    const second = await signIn(key);
    // The session's own row (other files' sessions share the database): its id is the
    // cookie value's hash.
    const id = await scalar<string>(
      "SELECT key_id FROM dashboard_sessions WHERE id_hash = ?",
      await sha256Hex(second.slice(second.indexOf("=") + 1)),
    );
    expect((await call(`/v1/keys/${id}`, { method: "DELETE", key: ADMIN_KEY })).status).toBe(200);
    expect((await call("/dashboard/api/labels", { headers: { cookie: second } })).status).toBe(401);
  });
});

describe("rotating the admin key", () => {
  const ctx = {
    waitUntil() {},
    passThroughOnException() {},
    props: {},
  } as unknown as ExecutionContext;
  /** The same deployment (same D1) after `QB_ADMIN_KEY` was changed to `adminKey`. */
  function deployedWith(adminKey: string) {
    const bridge = createBridge((e) => ({ ...optionsFromEnv(e), adminKey }));
    return (path: string, cookie: string) =>
      bridge.fetch(new Request(`${BASE}${path}`, { headers: { cookie } }), testEnv, ctx);
  }

  it("ends the sessions the old admin key opened", async () => {
    const cookie = await signIn(ADMIN_KEY);
    const current = deployedWith(ADMIN_KEY);
    expect((await current("/dashboard/api/labels", cookie)).status).toBe(200);

    const rotated = deployedWith("qb_admin_rotated_key_0123456789abcdef");
    const api = await rotated("/dashboard/api/labels", cookie);
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: string }).error).toBe("unauthorized");
    const page = await rotated("/dashboard", cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('action="/dashboard/login"');
    expect(page.headers.get("set-cookie")).toContain("Max-Age=0");
  });

  it("refuses an admin session with no binding (opened before sessions were bound)", async () => {
    const value = "legacy-admin-session-value-0123456789abcdef".slice(0, 43);
    // Not expired (it ends in 2100): only the missing binding can refuse it.
    await testEnv.DB.prepare(
      "INSERT INTO dashboard_sessions (id_hash, key_id, created_at, expires_at) VALUES (?, 'admin', ?, ?)",
    )
      .bind(await sha256Hex(value), Date.UTC(2026, 0, 1), Date.UTC(2100, 0, 1))
      .run();
    const cookie = `qb_session=${value}`;
    expect((await call("/dashboard/api/labels", { headers: { cookie } })).status).toBe(401);
  });

  it("keeps sessions of API keys, which end when their key is revoked", async () => {
    const cookie = await signIn(statsKey);
    const rotated = deployedWith("qb_admin_rotated_key_0123456789abcdef");
    expect((await rotated("/dashboard/api/labels", cookie)).status).toBe(200);
  });
});
