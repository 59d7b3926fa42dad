// The dev demo at `/`: the page built on <qr-bridge>, its publishable key pinned to the page's
// origin (the checkout's create-endpoint is in demo-handoff.test.ts), the QR login panel with its simulated phone and demo backend, the demo poster, and
// nothing at all when the demo is off.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createBridge } from "../../src/bridge";
import { EMBED_VERSION } from "../../src/client/dist/embed.gen";
import { s256Challenge } from "../../src/core/login-ticket";
import type { Env } from "../../src/env";
import { optionsFromEnv } from "../../src/env-options";
import { BASE, call } from "./helpers";
import { newVerifier } from "./logins-helpers";

const db = (env as unknown as Env).DB;

async function demoPage(path = "/") {
  const res = await call(path);
  expect(res.status).toBe(200);
  const html = await res.text();
  const key = /publishable-key="(qb_pk_demo_[A-Za-z0-9]+)"/.exec(html)?.[1];
  return { res, html, key: key! };
}

describe("GET / (demo on, the default outside production)", () => {
  it("serves the checkout page on <qr-bridge>, loading the versioned embed under a nonce CSP", async () => {
    const { res, html, key } = await demoPage();
    expect(key).toMatch(/^qb_pk_demo_[A-Za-z0-9]{24}$/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(
      res.headers.get("content-security-policy")!,
    )?.[1];
    expect(html).toContain(
      `<script type="module" nonce="${nonce}" src="/sdk/qrbridge.${EMBED_VERSION}.js"></script>`,
    );
    // The checkout's element gets its handoffs from the demo backend (demo-handoff.test.ts).
    expect(html).toContain(
      '<qr-bridge base="https://qr.test" create-endpoint="/demo/handoffs?lang=en" ttl="60" lang="en">',
    );
    expect(html).toContain('href="https://qr.test/docs"');
    expect(html).toContain('href="https://qr.test/dashboard"');
  });

  it("gives the same key on every load, valid for handoffs from its own origin only", async () => {
    const a = await demoPage();
    const b = await demoPage();
    expect(b.key).toBe(a.key);
    const create = (origin: string) =>
      call("/v1/handoffs", {
        method: "POST",
        key: a.key,
        headers: { origin },
        json: { path: "/cart/demo-42", ttl: 60 },
      });
    const ok = await create("https://qr.test");
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { url: string }).url).toMatch(/^HTTPS:\/\/QR\.TEST\/H\//);
    const other = await create("https://evil.test");
    expect(other.status).toBe(403);
    // Publishable: it cannot mint posters, even from its origin.
    const poster = await call("/v1/posters", {
      method: "POST",
      key: a.key,
      headers: { origin: "https://qr.test" },
      json: { name: "x", path: "/x" },
    });
    expect(poster.status).toBe(403);
    const rows = await db
      .prepare("SELECT kind, scopes, origins FROM api_keys WHERE prefix = ?")
      .bind(a.key.slice(0, 12))
      .all();
    expect(rows.results).toEqual([
      {
        kind: "publishable",
        scopes: '["handoffs:write","logins:write"]',
        origins: '["https://qr.test"]',
      },
    ]);
  });

  it("shows the demo poster (created once) with its QR image and manual code", async () => {
    const first = await demoPage();
    const second = await demoPage();
    const code = /\/qr\/p\/([0-9A-Z]+)\.svg/.exec(first.html)?.[1];
    expect(code).toBeTruthy();
    expect(second.html).toContain(`/qr/p/${code}.svg`);
    expect(first.html).toContain(`${code!.slice(0, 5)}-${code!.slice(5)}`);
    const img = await call(`/qr/p/${code}.svg`);
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/svg+xml");
    const stores = await db
      .prepare("SELECT COUNT(*) AS n FROM stores WHERE ref = 'qrbridge-demo'")
      .first();
    expect(stores).toEqual({ n: 1 });
  });

  it("switches the page and the element to Chinese with ?lang=zh", async () => {
    const { html } = await demoPage("/?lang=zh");
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toMatch(/<qr-bridge [^>]*lang="zh"/);
    expect(html).toContain("在手机上继续");
  });
});

describe("GET / with QB_PUBLIC_URL (the demo poster's QR image loads from it)", () => {
  const PUBLIC = "https://qr.example.com";

  /** The demo page from a bridge built with `publicUrl`, served from BASE (https://qr.test). */
  async function demoWithPublicUrl(publicUrl: string | undefined) {
    const bridge = createBridge((e) => ({ ...optionsFromEnv(e), publicUrl }));
    const ctx = createExecutionContext();
    const res = await bridge.fetch(new Request(`${BASE}/`), env as unknown as Env, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    const imgSrc = csp.split("; ").find((d) => d.startsWith("img-src "));
    const posterImg = /<img src="([^"]+)" alt="QR code of the demo poster"/.exec(await res.text());
    return { csp, imgSrc, posterImg: posterImg?.[1] };
  }

  it("allows images from, and calls to, exactly that origin when it is another than the page's", async () => {
    const { csp, imgSrc, posterImg } = await demoWithPublicUrl(`${PUBLIC}/go`);
    expect(imgSrc).toBe(`img-src 'self' data: ${PUBLIC}`);
    expect(posterImg).toMatch(/^https:\/\/qr\.example\.com\/go\/qr\/p\/[0-9A-Z]+\.svg$/);
    // The widget creates and watches handoffs there (fetch and WebSocket).
    const connectSrc = `connect-src 'self' ${PUBLIC} wss://qr.example.com`;
    // Nothing else opens up: the public origin appears in these two directives only.
    expect(csp.split("; ").filter((d) => d.includes("qr.example.com"))).toEqual([
      imgSrc,
      connectSrc,
    ]);
  });

  it("adds nothing when QB_PUBLIC_URL is unset or the page's own origin", async () => {
    for (const publicUrl of [undefined, BASE, `${BASE}/`]) {
      const { csp, imgSrc, posterImg } = await demoWithPublicUrl(publicUrl);
      expect(imgSrc, String(publicUrl)).toBe("img-src 'self' data:");
      expect(csp, String(publicUrl)).toContain("connect-src 'self';");
      expect(posterImg, String(publicUrl)).toMatch(/^https:\/\/qr\.test\/qr\/p\//);
    }
  });
});

describe("the QR login demo", () => {
  it("the PC panel, the simulated phone and the demo backend log a user in end to end", async () => {
    const { html, key } = await demoPage();
    expect(html).toMatch(
      /<qr-bridge id="login-qr" mode="login" base="https:\/\/qr\.test" publishable-key="qb_pk_demo_/,
    );
    expect(html).toContain('href="/demo/phone"');
    // The page's element creates the login with the demo key from the page's origin.
    const verifier = newVerifier();
    const created = await call("/v1/logins", {
      method: "POST",
      key,
      headers: { origin: "https://qr.test" },
      json: { code_challenge: await s256Challenge(verifier) },
    });
    expect(created.status).toBe(201);
    const login = (await created.json()) as { id: string; url: string; watch: string };

    const phone = await call(`/demo/phone?link=${encodeURIComponent(login.url)}`);
    expect(phone.status).toBe(200);
    const nonce = /script-src 'nonce-([^']+)'/.exec(
      phone.headers.get("content-security-policy")!,
    )?.[1];
    const page = await phone.text();
    expect(page).toContain(`<script type="module" nonce="${nonce}">`);
    expect(page).toContain(`id="link" value="${login.url}"`);

    // The phone scans, and the demo backend approves with its secret key.
    const scan = (await (
      await call("/v1/logins/scan", { method: "POST", json: { url: login.url } })
    ).json()) as { scan: string };
    const approved = await call("/demo/login/approve", {
      method: "POST",
      json: { id: login.id, scan: scan.scan },
    });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ id: login.id, status: "approved" });
    const { ticket } = (await (
      await call(`/v1/logins/${login.id}?watch=${login.watch}`)
    ).json()) as { ticket: string };
    // The PC page posts ticket + verifier to the demo backend, which exchanges them.
    const exchanged = await call("/demo/login/exchange", {
      method: "POST",
      json: { ticket, code_verifier: verifier },
    });
    expect(exchanged.status).toBe(200);
    expect(await exchanged.json()).toMatchObject({
      login_id: login.id,
      subject: "demo-user-42",
      claims: { name: "Demo User" },
    });
    // The demo backend's errors are the API's.
    const again = await call("/demo/login/exchange", {
      method: "POST",
      json: { ticket, code_verifier: verifier },
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toBe("already_exchanged");
    const backendKey = await db
      .prepare("SELECT kind, scopes, origins FROM api_keys WHERE name LIKE 'demo backend%'")
      .all();
    expect(backendKey.results).toEqual([
      { kind: "secret", scopes: '["handoffs:write","logins:write"]', origins: "[]" },
    ]);
  });
});

describe("GET / with the demo off", () => {
  it("is a plain 404 and writes no key", async () => {
    const bridge = createBridge((e) => ({ ...optionsFromEnv(e), demo: false }));
    const before = await db.prepare("SELECT COUNT(*) AS n FROM api_keys").first<{ n: number }>();
    const ctx = {
      waitUntil() {},
      passThroughOnException() {},
      props: {},
    } as unknown as ExecutionContext;
    const res = await bridge.fetch(new Request("https://qr.test/"), env as unknown as Env, ctx);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBe("not_found");
    const after = await db.prepare("SELECT COUNT(*) AS n FROM api_keys").first<{ n: number }>();
    expect(after).toEqual(before);
    for (const [method, path] of [
      ["GET", "/demo/phone"],
      ["POST", "/demo/login/approve"],
      ["POST", "/demo/login/exchange"],
      ["POST", "/demo/handoffs"],
    ] as const) {
      const r = await bridge.fetch(
        new Request(`https://qr.test${path}`, {
          method,
          headers: { "content-type": "application/json" },
          body:
            method === "POST"
              ? JSON.stringify({ id: "x".repeat(20), scan: "s", ticket: "t", code_verifier: "v" })
              : undefined,
        }),
        env as unknown as Env,
        ctx,
      );
      expect(r.status, path).toBe(404);
    }
  });
});
