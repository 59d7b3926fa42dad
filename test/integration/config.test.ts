import { env } from "cloudflare:workers";
import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { createBridge } from "../../src/bridge";
import { EXAMPLE_ADMIN_KEY, EXAMPLE_SIGNING_KEYS, optionsFromEnv } from "../../src/config";
import type { Env } from "../../src/env";

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

  it("runs on the slim zod the Worker bundle ships (no locales)", () => {
    expect("locales" in z).toBe(false);
    expect(typeof z.object).toBe("function");
  });
});
