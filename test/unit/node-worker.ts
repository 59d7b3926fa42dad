/**
 * The default Worker (src/index.ts) in Node, for route tests that need no binding: the same
 * `QB_*` variables as the workerd tests, no D1, KV, queue or Durable Object. A route that
 * touches a binding fails here: its test belongs in test/integration/.
 */
import { vi } from "vitest";
import type { Env } from "../../src/env";
import { TEST_VARS } from "../vars";

// The Durable Object's base class exists only in workerd; these routes never construct one.
vi.mock("cloudflare:workers", () => ({ DurableObject: class {} }));

const { default: worker } = await import("../../src/index");
const { createBridge } = await import("../../src/bridge");

export { createBridge };
export const BASE = "https://qr.test";
export const testEnv = { ...TEST_VARS } as unknown as Env;
export const ctx = {
  waitUntil() {},
  passThroughOnException() {},
  props: {},
} as unknown as ExecutionContext;

/**
 * Send a request through the default Worker.
 *
 * @example
 * const res = await call("/sdk/qrbridge.js");
 */
export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return worker.fetch(new Request(`${BASE}${path}`, init), testEnv, ctx);
}

/**
 * Send a request through a bridge built with its own options.
 *
 * @example
 * const res = await fetchFrom(createBridge({ ...secrets, apps: {} }), "/.well-known/assetlinks.json");
 */
export function fetchFrom(bridge: { fetch: typeof worker.fetch }, path: string): Promise<Response> {
  return bridge.fetch(new Request(`${BASE}${path}`), testEnv, ctx);
}
