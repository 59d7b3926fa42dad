// What a deployment configures: keys and refusals at start, base paths, the Durable Object's
// options, the slim zod; and the dev demo at `/` (on outside production, off in it).
import {
  createExecutionContext,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { createBridge } from "../../src/bridge";
import { EMBED_VERSION } from "../../src/client/dist/embed.gen";
import { EXAMPLE_ADMIN_KEY, EXAMPLE_SIGNING_KEYS, optionsFromEnv } from "../../src/config";
import type { HandoffRecord } from "../../src/core/handoff";
import type { Env } from "../../src/env";
import type { HopMessage } from "../../src/store/hops";
import { createHandoff } from "./handoffs-helpers";
import { BASE, call, mintSecretKey } from "./helpers";

const ctx = {
  waitUntil() {},
  passThroughOnException() {},
  props: {},
} as unknown as ExecutionContext;

describe("configuration", () => {
  it("refuses to serve in production with the example keys, saying why", async () => {
    const bridge = createBridge((e) => optionsFromEnv(e));
    const prodEnv = {
      ...env,
      QB_ENV: "production",
      QB_ADMIN_KEY: EXAMPLE_ADMIN_KEY,
      QB_SIGNING_KEYS: EXAMPLE_SIGNING_KEYS,
    } as Env;
    const res = await bridge.fetch(new Request("https://qr.test/healthz"), prodEnv, ctx);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe("misconfigured");
    expect(body.message).toContain("example keys");
  });

  it("serves in production with real keys", async () => {
    const bridge = createBridge((e) => optionsFromEnv(e));
    const prodEnv = {
      ...env,
      QB_ENV: "production",
      QB_ADMIN_KEY: "a-real-admin-key-0123456789abcdef",
      QB_SIGNING_KEYS: "P1:a-real-signing-key-0123456789",
      QB_IP_SALT: "salt",
    } as Env;
    const res = await bridge.fetch(new Request("https://qr.test/healthz"), prodEnv, ctx);
    expect(res.status).toBe(200);
  });

  it("reports a missing signing key clearly", async () => {
    const bridge = createBridge({ adminKey: "a-real-admin-key-0123456789abcdef" });
    const res = await bridge.fetch(new Request("https://qr.test/healthz"), env as Env, ctx);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { message: string }).message).toContain("QB_SIGNING_KEYS");
  });

  it("mounts under a base path, case-insensitively for link paths", async () => {
    const bridge = createBridge((e) => optionsFromEnv(e), { basePath: "/qr" });
    const ok = await bridge.fetch(new Request("https://shop.test/qr/healthz"), env as Env, ctx);
    expect(ok.status).toBe(200);
    const outside = await bridge.fetch(new Request("https://shop.test/healthz"), env as Env, ctx);
    expect(outside.status).toBe(404);
    const img = await bridge.fetch(
      new Request("https://shop.test/QR/QR/H/NOT-A-TOKEN.svg"),
      env as Env,
      ctx,
    );
    expect(img.status).toBe(400); // routed (case folded) and refused as an invalid token, not a 404
  });

  it("honours a base path given by an options function", async () => {
    const bridge = createBridge((e) => ({ ...optionsFromEnv(e as Env), basePath: "/qr" }));
    const ok = await bridge.fetch(new Request("https://shop.test/qr/healthz"), env as Env, ctx);
    expect(ok.status).toBe(200);
    const outside = await bridge.fetch(new Request("https://shop.test/healthz"), env as Env, ctx);
    expect(outside.status).toBe(404);
    const created = await bridge.fetch(
      new Request("https://shop.test/qr/v1/handoffs", {
        method: "POST",
        headers: {
          authorization: `Bearer ${await mintSecretKey()}`,
          "content-type": "application/json",
        },
        body: "{}",
      }),
      env as Env,
      ctx,
    );
    expect(created.status).toBe(201);
    expect(((await created.json()) as { url: string }).url).toMatch(
      /^HTTPS:\/\/SHOP\.TEST\/QR\/H\//,
    );
  });

  it("gives the Durable Object the bridge's options, for the hops it records on its own", async () => {
    const adminKey = "an-admin-key-given-in-code-0123456789";
    // No QB_ADMIN_KEY in the env: the options alone carry it, as a company's Worker may.
    const sent: HopMessage[] = [];
    const doEnv = {
      ...env,
      QB_ADMIN_KEY: undefined,
      HOPS: { send: async (m: HopMessage) => void sent.push(m) },
    } as unknown as Env;
    const logging = createBridge((e) => ({ ...optionsFromEnv(e), adminKey }));
    const silent = createBridge((e) => ({ ...optionsFromEnv(e), adminKey, hops: false }));
    const h = await createHandoff(await mintSecretKey());
    const stub = (env as Env).HANDOFF.get((env as Env).HANDOFF.idFromName(h.id));
    const expiredHops = await runInDurableObject(stub, async (_live, state) => {
      // The object's own waitUntil, collected so the test can wait for the hops it sends.
      const pending: Promise<unknown>[] = [];
      Object.defineProperty(state, "waitUntil", {
        value: (p: Promise<unknown>) => void pending.push(p),
        configurable: true,
      });
      const counts: number[] = [];
      for (const bridge of [silent, logging]) {
        const rec = state.storage.kv.get<HandoffRecord>("handoff")!;
        state.storage.kv.put("handoff", { ...rec, status: "pending", expires_at: Date.now() - 1 });
        // The alarm has no request behind it: only the bridge's configuration says what to do.
        await new bridge.HandoffObject(state, doEnv).alarm();
        while (pending.length > 0) await Promise.all(pending.splice(0));
        counts.push(sent.flatMap((m) => m.rows).filter((r) => r.hop === "expired").length);
      }
      delete (state as { waitUntil?: unknown }).waitUntil;
      return counts;
    });
    // hops: false records nothing; the other bridge records the expiry once.
    expect(expiredHops).toEqual([0, 1]);
  });

  it("runs on the slim zod the Worker bundle ships (no locales)", () => {
    expect("locales" in z).toBe(false);
    expect(typeof z.object).toBe("function");
  });
});

// The dev demo at `/`: the page built on <qr-bridge>, its publishable key pinned to the page's
// origin, the demo poster, and nothing at all when the demo is off.
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
    expect(html).toMatch(/<qr-bridge base="https:\/\/qr\.test" publishable-key="qb_pk_demo_/);
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
      { kind: "publishable", scopes: '["handoffs:write"]', origins: '["https://qr.test"]' },
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
  });
});
