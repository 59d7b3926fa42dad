// The demo shop's create-endpoint (`POST /demo/handoffs`): the checkout's <qr-bridge> on `/`
// has its handoff made by the demo backend's secret key, so the phone's landing page shows the
// cart's heading; the backend decides payload, path and heading itself (a page that sends its
// own words gets the cart's), takes only a bounded ttl, and serves only its own origin, and
// only while the demo is on.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createBridge } from "../../src/bridge";
import type { Env } from "../../src/env";
import { optionsFromEnv } from "../../src/env-options";
import { RATE_LIMITS } from "../../src/limits";
import { type Created, resolve, scan, status } from "./handoffs-helpers";
import { call, hopCapturingWorker, statusTally, windowedLimiter } from "./helpers";

const db = (env as unknown as Env).DB;
const PAGE_ORIGIN = "https://qr.test";
const LOCKED = "Your account is locked";
const DEMO_CART = { cart_id: "demo-42", items: 2, total: "€154.00" };

/** The element's POST from the demo page (same origin), with the body it builds. */
function fromPage(body: Record<string, unknown>, query = "", headers: Record<string, string> = {}) {
  return call(`/demo/handoffs${query}`, {
    method: "POST",
    headers: { origin: PAGE_ORIGIN, "sec-fetch-site": "same-origin", ...headers },
    json: body,
  });
}

async function created(res: Response): Promise<Created> {
  expect(res.status).toBe(201);
  return (await res.json()) as Created;
}

/** The landing page a phone (iPhone Safari, English) sees when it scans `h`. */
async function phonePage(h: Created): Promise<string> {
  const res = await scan(h, { "accept-language": "en" });
  expect(res.status).toBe(200);
  return res.text();
}

describe("the demo page's checkout uses the demo backend", () => {
  it("its <qr-bridge> has create-endpoint and no key, payload or words; the login panel keeps its key", async () => {
    for (const lang of ["en", "zh"]) {
      const res = await call(`/?lang=${lang}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      const checkout = /<qr-bridge base=[^>]*>/.exec(html)?.[0] ?? "";
      expect(checkout).toContain(`create-endpoint="/demo/handoffs?lang=${lang}"`);
      expect(checkout).not.toContain("publishable-key");
      expect(checkout).not.toContain("metadata");
      expect(checkout).not.toContain("payload");
      expect(html).toMatch(
        /<qr-bridge id="login-qr" mode="login" [^>]*publishable-key="qb_pk_demo_/,
      );
    }
  });
});

describe("POST /demo/handoffs", () => {
  it("answers 201 with the bridge's handoff, and its landing page shows the cart's heading", async () => {
    const h = await created(await fromPage({ ttl: 60, path: "/cart/demo-42" }));
    expect(Object.keys(h).sort()).toEqual(
      ["confirm", "events_url", "expires_at", "id", "qr", "status", "url", "watch"].sort(),
    );
    expect(h).toMatchObject({ status: "pending", confirm: "none" });
    expect(h.url).toMatch(/^HTTPS:\/\/QR\.TEST\/H\/[0-9A-Z]+$/);
    // The page watches it with the watch secret the backend passed on.
    const seen = await status(h);
    expect(seen.status).toBe("pending");
    expect(seen.metadata).toEqual({ title: "Your cart", subtitle: "2 items · €154.00" });
    const page = await phonePage(h);
    expect(page).toContain("<h1>Your cart</h1>");
    expect(page).toContain("2 items · €154.00");
    expect(page).not.toContain("<h1>Continue in the app</h1>");
  });

  it("words the heading in the page's language (lang, else Accept-Language)", async () => {
    const zh = await phonePage(await created(await fromPage({ ttl: 60 }, "?lang=zh")));
    expect(zh).toContain("<h1>购物车</h1>");
    expect(zh).toContain("2 件商品 · €154.00");
    const byHeader = await created(await fromPage({}, "", { "accept-language": "zh-CN,zh;q=0.9" }));
    expect(await phonePage(byHeader)).toContain("<h1>购物车</h1>");
  });

  it("takes the page's ttl, bounded to the bridge's 15–900 s", async () => {
    const lifetime = async (ttl: number) => {
      const s = await status(await created(await fromPage({ ttl })));
      return (s.expires_at as number) - (s.created_at as number);
    };
    // expires_at is counted in whole seconds from just before the record's created_at.
    for (const ttl of [15, 900]) {
      const ms = await lifetime(ttl);
      expect(ms, String(ttl)).toBeGreaterThan((ttl - 2) * 1000);
      expect(ms, String(ttl)).toBeLessThanOrEqual(ttl * 1000);
    }
    for (const ttl of [14, 901, 1.5]) {
      const res = await fromPage({ ttl });
      expect(res.status, String(ttl)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe("validation_failed");
    }
  });

  it("a page that sends its own words, payload and path gets the cart's: none reach the phone or the app", async () => {
    // What anyone can make the element (or curl) send.
    const h = await created(
      await fromPage({
        ttl: 60,
        path: "/account",
        payload: { admin: true },
        metadata: { title: `${LOCKED}: call +1 555 0100`, subtitle: "Support line" },
        confirm: "pc",
      }),
    );
    const page = await phonePage(h);
    expect(page).not.toContain(LOCKED);
    expect(page).not.toContain("555 0100");
    expect(page).not.toContain("Support line");
    expect(page).toContain("<h1>Your cart</h1>");
    expect(h.confirm).toBe("none");
    const res = await resolve(h.url);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      kind: "handoff",
      path: "/cart/demo-42",
      payload: DEMO_CART,
      metadata: { title: "Your cart", subtitle: "2 items · €154.00" },
      created_by: "server",
    });
  });

  it("refuses another site's page (Origin, or Sec-Fetch-Site without it) with 403", async () => {
    // A page on evil.test fetching the demo backend from a visitor's browser.
    const attacks: Record<string, string>[] = [
      { origin: "https://evil.test", "sec-fetch-site": "cross-site" },
      { origin: "https://evil.test" },
      { origin: "null", "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ];
    for (const headers of attacks) {
      const res = await call("/demo/handoffs", {
        method: "POST",
        headers,
        json: { ttl: 60, metadata: { title: LOCKED } },
      });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      const body = (await res.json()) as { error: string; url?: string };
      expect(body.error).toBe("forbidden");
      expect(body.url).toBeUndefined();
    }
  });

  it("is limited per client as the page's publishable key was (PUBLIC_LIMITER)", async () => {
    const limiter = windowedLimiter(RATE_LIMITS.publishable);
    const { send } = hopCapturingWorker({ PUBLIC_LIMITER: limiter });
    const from = (ip: string) => () =>
      send(
        new Request(`${PAGE_ORIGIN}/demo/handoffs`, {
          method: "POST",
          headers: { "content-type": "application/json", "cf-connecting-ip": ip },
          body: JSON.stringify({ ttl: 60 }),
        }),
      );
    const burst = await Promise.all(
      Array.from({ length: RATE_LIMITS.publishable + 3 }, from("192.0.2.77")),
    );
    expect(statusTally(burst)).toEqual({ 201: RATE_LIMITS.publishable, 429: 3 });
    const refused = burst.find((r) => r.status === 429)!;
    expect(((await refused.json()) as { error: string }).error).toBe("rate_limited");
    // Another client has its own budget.
    expect((await from("192.0.2.78")()).status).toBe(201);
  });

  it("is not there (404, no key written) in production or with the demo off", async () => {
    const ctx = {
      waitUntil() {},
      passThroughOnException() {},
      props: {},
    } as unknown as ExecutionContext;
    const production = {
      ...env,
      QB_ENV: "production",
      QB_ADMIN_KEY: "a-real-admin-key-0123456789abcdef",
      QB_SIGNING_KEYS: "P1:a-real-signing-key-0123456789",
      QB_IP_SALT: "salt",
    } as Env;
    const demoOff = createBridge((e) => ({ ...optionsFromEnv(e), demo: false }));
    const before = await db.prepare("SELECT COUNT(*) AS n FROM api_keys").first<{ n: number }>();
    for (const [name, bridge, bindings] of [
      ["production", createBridge((e) => optionsFromEnv(e)), production],
      ["QB_DEMO off", demoOff, env as unknown as Env],
    ] as const) {
      const res = await bridge.fetch(
        new Request(`${PAGE_ORIGIN}/demo/handoffs`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: PAGE_ORIGIN },
          body: JSON.stringify({ ttl: 60 }),
        }),
        bindings,
        ctx,
      );
      expect(res.status, name).toBe(404);
      expect(((await res.json()) as { error: string }).error, name).toBe("not_found");
    }
    const after = await db.prepare("SELECT COUNT(*) AS n FROM api_keys").first<{ n: number }>();
    expect(after).toEqual(before);
  });
});
