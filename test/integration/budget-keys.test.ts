// What an API key's check costs in D1, pinned (docs/performance.md): a key found in the isolate's
// cache costs nothing, one looked up costs one query, and `last_used_at` is written once per key
// and hour (store/key-use.ts noteKeyUse) — not once per isolate or per uncached lookup — even
// when two isolates holding the same stale record note it at once. An expired key is refused
// from the cache with no D1 at all. Each "isolate" is a metered env of its own: the key cache is
// kept per D1 binding object, so two wrappers of one database keep two caches, as two isolates do.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { KEY_USE_EVERY_MS } from "../../src/core/audit";
import worker from "../../src/index";
import { CACHE_MS } from "../../src/store/keys";
import { Meter, meterEnv } from "../support/meter";
import { bindings, count, json } from "./budget-helpers";
import { ADMIN_KEY, BASE, call } from "./helpers";

/** A handoff create with `key` (no D1 of its own), metered in an isolate of its own. */
function isolate() {
  const meter = new Meter();
  const env = meterEnv(bindings, meter, "request");
  return async (key: string) => {
    meter.reset();
    const ctx = createExecutionContext();
    const init = json({}, { authorization: `Bearer ${key}` });
    const res = await worker.fetch(new Request(`${BASE}/v1/handoffs`, init), env, ctx);
    const body = await res.text();
    await waitOnExecutionContext(ctx);
    const c = meter.snapshot();
    return {
      status: res.status,
      code: res.status === 201 ? null : (JSON.parse(body) as { error: string }).error,
      queries: count(c, "d1.query"),
      written: count(c, "d1.rows_written"),
    };
  };
}

async function mint(expiresAt?: number): Promise<string> {
  const json = { name: "budget keys", kind: "secret", scopes: ["handoffs:write"] };
  const res = await call("/v1/keys", {
    method: "POST",
    key: ADMIN_KEY,
    json: expiresAt === undefined ? json : { ...json, expires_at: expiresAt },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

const ok = (queries: number, written: number) => ({ status: 201, code: null, queries, written });

describe("an API key's check in D1", () => {
  afterEach(() => vi.useRealTimers());

  it("writes last_used_at once per key and hour, whichever isolates look the key up", async () => {
    const t0 = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: t0 });
    const key = await mint();
    const [a, b] = [isolate(), isolate()];
    // First use: the lookup and the note.
    expect(await a(key)).toEqual(ok(2, 1));
    expect(await a(key)).toEqual(ok(0, 0));
    // Another isolate, used this hour: the lookup only (what production's uncached call pays).
    vi.setSystemTime(t0 + 1_000);
    expect(await b(key)).toEqual(ok(1, 0));
    // Near the hour both caches have expired: each looks the key up again, nothing is due.
    const late = t0 + KEY_USE_EVERY_MS - 5_000;
    expect(late - t0).toBeGreaterThan(CACHE_MS);
    vi.setSystemTime(late);
    expect(await a(key)).toEqual(ok(1, 0));
    expect(await b(key)).toEqual(ok(1, 0));
    // Past the hour, both hold the same stale record (still cached): both send the note, one
    // row is written (the UPDATE is conditional), and then neither sends anything.
    vi.setSystemTime(t0 + KEY_USE_EVERY_MS + 1_000);
    expect(await a(key)).toEqual(ok(1, 1));
    expect(await b(key)).toEqual(ok(1, 0));
    expect(await a(key)).toEqual(ok(0, 0));
    expect(await b(key)).toEqual(ok(0, 0));
  });

  it("refuses an expired key from the cache with no D1, and from D1 with one query", async () => {
    const t0 = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: t0 });
    const key = await mint(t0 + 10_000);
    const [a, b] = [isolate(), isolate()];
    expect(await a(key)).toEqual(ok(2, 1));
    vi.setSystemTime(t0 + 10_000);
    const refused = { status: 401, code: "key_expired" };
    expect(await a(key)).toEqual({ ...refused, queries: 0, written: 0 });
    expect(await b(key)).toEqual({ ...refused, queries: 1, written: 0 });
  });
});
