// Helpers for integration tests: requests go through the real Worker entry (src/index.ts) in workerd.
// The files of the "workers" project share a runtime and its storage, one file after another
// (vitest.config.ts): a test makes its own keys, posters, stores and client addresses and asserts
// only on those, never on a whole table. A file that must count everything goes in
// FRESH_STORAGE (vitest.config.ts), which empties the storage before it.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { expect, vi } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { type Keyring, parseKeyring } from "../../src/core/token";
import worker from "../../src/index";

export const ADMIN_KEY = (env as unknown as { QB_ADMIN_KEY: string }).QB_ADMIN_KEY;
export const BASE = "https://qr.test";

/** The test Worker's signing keyring (`QB_SIGNING_KEYS`): sign tokens as the bridge does. */
export const testKeyring = (): Promise<Keyring> =>
  parseKeyring((env as unknown as { QB_SIGNING_KEYS: string }).QB_SIGNING_KEYS);

/** Send a request through the Worker's default export. `json` sets the body and content type. */
export function call(
  path: string,
  init: RequestInit & { json?: unknown; key?: string } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  const url = path.startsWith("http") ? path : `${BASE}${path}`;
  return (
    exports as unknown as { default: { fetch(r: Request): Promise<Response> } }
  ).default.fetch(new Request(url, { ...init, headers, body }));
}

/**
 * Every NDJSON line of `GET /v1/hops?<query>`, page after page as its `X-Next-Cursor` leads (a
 * page ends after 400 archive objects, and the files sharing storage write many small ones).
 */
export async function exportLines(query: string, key: string): Promise<string[]> {
  const lines: string[] = [];
  let cursor = "";
  do {
    const res = await call(`/v1/hops?${query}${cursor ? `&cursor=${cursor}` : ""}`, { key });
    if (res.status !== 200) throw new Error(`export: ${res.status} ${await res.text()}`);
    lines.push(...(await res.text()).split("\n").filter(Boolean));
    cursor = res.headers.get("x-next-cursor") ?? "";
  } while (cursor);
  return lines;
}

/**
 * Replay dead letters through `POST /v1/dead-letters/replay` with the admin key; the report.
 *
 * @example
 * expect(await replayLetters(["q1-a"])).toEqual({ replayed: 1, skipped: [] });
 */
export async function replayLetters(
  ids: string[],
): Promise<{ replayed: number; skipped: { id: string; reason?: string }[] }> {
  const res = await call("/v1/dead-letters/replay", {
    method: "POST",
    key: ADMIN_KEY,
    json: { ids },
  });
  expect(res.status).toBe(200);
  return res.json();
}

/** Mint an API key through the API with the admin key; returns the key text. */
export async function mintKey(
  kind: "secret" | "publishable",
  scopes: string[],
  origins?: string[],
): Promise<string> {
  const res = await call("/v1/keys", {
    method: "POST",
    key: ADMIN_KEY,
    json: { name: `test ${kind}`, kind, scopes, origins },
  });
  if (res.status !== 201) throw new Error(`mint failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

/**
 * A store manager's key: secret, `stats:read` only, held to `storeId`.
 *
 * @example
 * const key = await mintStoreKey(store.id);
 */
export async function mintStoreKey(storeId: string): Promise<string> {
  const res = await call("/v1/keys", {
    method: "POST",
    key: ADMIN_KEY,
    json: { name: "manager", kind: "secret", scopes: ["stats:read"], store_id: storeId },
  });
  if (res.status !== 201) throw new Error(`mint failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

/** A secret key with every scope. */
export function mintSecretKey(): Promise<string> {
  return mintKey("secret", [
    "handoffs:write",
    "posters:write",
    "stats:read",
    "webhooks:write",
    "logins:write",
  ]);
}

/**
 * Send until a 429 comes back (at most `max` requests): the requests before it and the 429.
 * With the real limiter bindings, windows turn over on the wall clock, so a burst may straddle
 * two: expect at least one window's budget before the 429. For an exact count, run the Worker
 * with {@link windowedLimiter}s instead.
 */
export async function untilThrottled(send: (i: number) => Promise<Response>, max: number) {
  const before: number[] = [];
  for (let i = 0; i < max; i++) {
    const res = await send(i);
    if (res.status === 429) return { before, throttled: res };
    before.push(res.status);
  }
  throw new Error(`no 429 after ${max} requests: ${before.join(",")}`);
}

/** How many answers had each status: `{ 200: 1, 409: 49 }` (one winner of fifty). */
export function statusTally(statuses: (number | Response)[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) {
    const code = typeof s === "number" ? s : s.status;
    out[code] = (out[code] ?? 0) + 1;
  }
  return out;
}

/**
 * A rate limiter binding whose window turns over only when the test says (`nextWindow()`), not
 * on the clock: `limit` allows `budget` calls per key and window, as the real binding does
 * within one window, so a test can assert the exact count a burst gets through.
 */
export function windowedLimiter(budget: number) {
  let used = new Map<string, number>();
  return {
    async limit({ key }: { key: string }): Promise<{ success: boolean }> {
      const n = (used.get(key) ?? 0) + 1;
      used.set(key, n);
      return { success: n <= budget };
    },
    nextWindow(): void {
      used = new Map();
    },
  };
}

/**
 * The Worker with its hop queue replaced by a list: `send(request)` runs a request to the end
 * (its `waitUntil` work included) and `rows` holds every hop row the requests sent, so a test
 * reads a request's hops at once instead of waiting out the queue's batch timeout. `overrides`
 * replace other bindings (say a {@link windowedLimiter}).
 */
export function hopCapturingWorker(overrides: Record<string, unknown> = {}) {
  const rows: HopRow[] = [];
  const bindings = {
    ...(env as unknown as Record<string, unknown>),
    ...overrides,
    // A request sends its hops as one `{t: "hops", rows}` message.
    HOPS: { send: async (body: { rows: HopRow[] }) => void rows.push(...body.rows) },
  };
  return { send: runToEnd(bindings), rows };
}

/**
 * A `send(request)` through the real Worker with `bindings`, run to the end: the response body
 * read and every `waitUntil` settled, so what the request sent is there when it resolves.
 *
 * @example
 * const send = runToEnd({ ...env, HOPS: { send: async (body) => void bodies.push(body) } });
 */
export function runToEnd(bindings: Record<string, unknown>) {
  return async (request: Request): Promise<Response> => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(request, bindings as never, ctx);
    await res.clone().arrayBuffer();
    await waitOnExecutionContext(ctx);
    return res;
  };
}

/**
 * Run `fn` with the Worker's clock (`Date`) at `ms` (unix ms), then give it back: a time-window
 * edge is reached exactly, without waiting for it.
 *
 * @example
 * const status = await atClock(activeFrom - 1, async () => (await call(path)).status);
 */
export async function atClock<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ["Date"], now: ms });
  try {
    return await fn();
  } finally {
    vi.useRealTimers();
  }
}
