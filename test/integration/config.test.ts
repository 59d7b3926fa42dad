// What a deployment configures: keys and refusals at start, base paths, the Durable Object's
// options, the slim zod. The dev demo at `/` is in demo.test.ts.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { createBridge } from "../../src/bridge";
import { EXAMPLE_ADMIN_KEY, EXAMPLE_SIGNING_KEYS } from "../../src/config";
import type { HandoffRecord } from "../../src/core/handoff-record";
import type { Env } from "../../src/env";
import { optionsFromEnv } from "../../src/env-options";
import type { HopMessage } from "../../src/store/hops";
import { createHandoff } from "./handoffs-helpers";
import { mintSecretKey } from "./helpers";

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

  it("reports a missing admin key with where it goes, for a deployment and for wrangler dev", async () => {
    const bridge = createBridge((e) => optionsFromEnv(e));
    const noKey = { ...env, QB_ADMIN_KEY: "" } as Env;
    const res = await bridge.fetch(new Request("https://qr.test/healthz"), noKey, ctx);
    expect(res.status).toBe(500);
    const { message } = (await res.json()) as { message: string };
    expect(message).toContain("wrangler secret put QB_ADMIN_KEY");
    expect(message).toContain(".dev.vars");
  });

  it("reports a missing signing key clearly", async () => {
    const bridge = createBridge({ adminKey: "a-real-admin-key-0123456789abcdef" });
    const res = await bridge.fetch(new Request("https://qr.test/healthz"), env as Env, ctx);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { message: string }).message).toContain("QB_SIGNING_KEYS");
  });

  it("refuses to serve a malformed app setting, naming the variable, and nothing is published", async () => {
    const bridge = createBridge((e) => optionsFromEnv(e));
    const badEnv = { ...env, QB_IOS_APP_IDS: "com.acme.shop" } as Env;
    for (const path of ["/healthz", "/.well-known/apple-app-site-association"]) {
      const res = await bridge.fetch(new Request(`https://qr.test${path}`), badEnv, ctx);
      expect(res.status, path).toBe(500);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe("misconfigured");
      expect(body.message).toContain('QB_IOS_APP_IDS (apps.iosAppIds): "com.acme.shop"');
      expect(body.message).toContain("TEAMID.bundle.id");
    }
  });

  it("serves a doubtful configuration and lists its warnings at /healthz, without secrets", async () => {
    const bridge = createBridge((e) => optionsFromEnv(e));
    const doubtful = {
      ...env,
      QB_ENV: "production",
      QB_ADMIN_KEY: "a-real-admin-key-0123456789abcdef",
      QB_SIGNING_KEYS: "P1:a-real-signing-key-0123456789",
      QB_IP_SALT: "a-real-ip-salt",
      QB_ANDROID_SHA256: "",
      QB_APP_STORE_URL: "https://acme.onelink.me/shop",
    } as Env;
    const res = await bridge.fetch(new Request("https://qr.test/healthz"), doubtful, ctx);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      ok: true,
      version: expect.any(String),
      warnings: [
        expect.stringMatching(/^QB_ANDROID_PACKAGE .* without QB_ANDROID_SHA256/),
        expect.stringMatching(/^QB_APP_STORE_URL .* acme\.onelink\.me/),
      ],
    });
    for (const secret of ["a-real-admin-key", "a-real-signing-key", "a-real-ip-salt"])
      expect(text).not.toContain(secret);
    // The rest of the bridge serves as usual.
    const aasa = await bridge.fetch(
      new Request("https://qr.test/.well-known/apple-app-site-association"),
      doubtful,
      ctx,
    );
    expect(aasa.status).toBe(200);
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
