// Red team, the admin kit: while its module cannot be loaded, what an administrator asks for is a
// 503 with Retry-After (a create with an Idempotency-Key too, before writing anything), and the
// hot paths (a poster's scan, a handoff's page, its create, watch and redeem, app events, a QR
// login's create, scan and watch) answer as always: none of them loads the kit, nor the
// background work (store/background.ts: the hop counting and webhook sending of the maintenance
// kit), which fails to load too: their hops leave by the queue. A fresh copy of the bridge is
// imported with the kits' modules failing; on fresh storage (vitest.config.ts), since
// re-importing the Worker's modules restarts the Durable Objects of the files around it.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { createBridge as CreateBridge } from "../../src/bridge";
import { s256Challenge } from "../../src/core/login-ticket";
import type { Env } from "../../src/env";
import { type Created, IPHONE_UA, tokenOf } from "./handoffs-helpers";
import { BASE, mintKey, mintSecretKey } from "./helpers";
import { testEnv } from "./hop-helpers";
import { newVerifier } from "./logins-helpers";
import { makePoster } from "./poster-helpers";

const APP = "okhttp/4.12.0 AcmeApp/3.1 (Linux; Android 14; Pixel 8)";
let send: (
  path: string,
  init?: RequestInit & { json?: unknown; key?: string },
) => Promise<Response>;
// Made before the kit goes missing: minting a key and making a poster need it.
let key: string;
let pk: string;
let poster: { code: string };

beforeAll(async () => {
  key = await mintSecretKey();
  pk = await mintKey("publishable", ["handoffs:write"], ["https://shop.test"]);
  poster = await makePoster({ name: "kit down", path: "/menu" });
  vi.resetModules();
  vi.doMock("../../src/admin-kit", () => {
    throw new Error("the admin kit could not be fetched");
  });
  vi.doMock("../../src/store/background-work", () => {
    throw new Error("the background work could not be fetched");
  });
  const { createBridge } = (await import("../../src/bridge")) as {
    createBridge: typeof CreateBridge;
  };
  const { optionsFromEnv } = await import("../../src/env-options");
  const bridge = createBridge((e) => optionsFromEnv(e));
  send = async (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.key) headers.set("authorization", `Bearer ${init.key}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    const ctx = createExecutionContext();
    const res = await bridge.fetch(
      new Request(`${BASE}${path}`, { ...init, headers, body }),
      testEnv as Env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  };
});

afterAll(() => {
  vi.doUnmock("../../src/admin-kit");
  vi.doUnmock("../../src/store/background-work");
  vi.resetModules();
});

describe("while the admin kit cannot be loaded", () => {
  it("an administrator's read, and a create with an Idempotency-Key, are 503s with Retry-After; nothing written", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await send("/v1/stores", { key });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    // A create with an Idempotency-Key needs the kit for its claim: refused before any write.
    const name = `kit down ${crypto.randomUUID()}`;
    const create = await send("/v1/posters", {
      method: "POST",
      key,
      json: { name, path: "/a" },
      headers: { "idempotency-key": "kit-down-1" },
    });
    expect(create.status).toBe(503);
    const rows = await testEnv.DB.prepare(
      "SELECT (SELECT COUNT(*) FROM posters WHERE name = ?) + (SELECT COUNT(*) FROM idempotency_keys) AS n",
    )
      .bind(name)
      .first<{ n: number }>();
    expect(rows!.n).toBe(0);
    error.mockRestore();
  });

  it("posters scan, handoffs are created, shown, watched and redeemed, and apps report events", async () => {
    const error = vi.spyOn(console, "error");
    const scanned = await send(`/p/${poster.code}`, { headers: { "user-agent": IPHONE_UA } });
    expect(scanned.status).toBeLessThan(400);
    const created = await send("/v1/handoffs", { method: "POST", key, json: { path: "/cart/k" } });
    expect(created.status).toBe(201);
    const h = (await created.json()) as { id: string; url: string; watch: string };
    const page = await send(`/h/${tokenOf(h as Created)}`, {
      headers: { "user-agent": IPHONE_UA },
    });
    expect(page.status).toBe(200);
    expect((await send(`/v1/handoffs/${h.id}?watch=${h.watch}`)).status).toBe(200);
    const fromPage = await send("/v1/handoffs", {
      method: "POST",
      key: pk,
      json: {},
      headers: { origin: "https://shop.test" },
    });
    expect(fromPage.status).toBe(201);
    const resolved = await send("/v1/resolve", {
      method: "POST",
      json: { url: h.url },
      headers: { "user-agent": APP },
    });
    expect(resolved.status).toBe(200);
    const { session } = (await resolved.json()) as { session: string };
    const event = await send("/v1/events", {
      method: "POST",
      json: { session, type: "app_open" },
      headers: { "user-agent": APP },
    });
    expect(event.status).toBe(202);
    // Their hops (sent in each request's waitUntil, awaited by `send`) went by the queue: none
    // needed the background work that cannot load.
    const logged = error.mock.calls.flat().map(String).join("\n");
    expect(logged).not.toMatch(/background work could not be fetched|hop\(s\) by/);
    error.mockRestore();
  });

  it("QR logins are created, scanned and watched", async () => {
    const created = await send("/v1/logins", {
      method: "POST",
      key,
      json: { code_challenge: await s256Challenge(newVerifier()) },
    });
    expect(created.status).toBe(201);
    const login = (await created.json()) as { id: string; url: string; watch: string };
    const scanned = await send("/v1/logins/scan", {
      method: "POST",
      json: { url: login.url },
      headers: { "user-agent": APP, "cf-connecting-ip": "203.0.113.10" },
    });
    expect(scanned.status).toBe(200);
    expect((await send(`/v1/logins/${login.id}?watch=${login.watch}`)).status).toBe(200);
  });
});
