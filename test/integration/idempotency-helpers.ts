// Helpers for the Idempotency-Key tests: requests with a key, and counting what was created.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createBridge } from "../../src/bridge";
import type { Env } from "../../src/env";
import { optionsFromEnv } from "../../src/env-options";
import { ADMIN_KEY, call } from "./helpers";
import { testEnv } from "./hop-helpers";

export const db = (env as unknown as { DB: D1Database }).DB;

/** A POST with an Idempotency-Key (none when `idem` is undefined). */
export function post(path: string, key: string, json: unknown, idem?: string, origin?: string) {
  const headers: Record<string, string> = {};
  if (idem !== undefined) headers["idempotency-key"] = idem;
  if (origin) headers.origin = origin;
  return call(path, { method: "POST", key, json, headers });
}

/** The posters named `name` (each test names its own). */
export async function postersNamed(name: string): Promise<number> {
  const row = await db
    .prepare("SELECT COUNT(*) AS n FROM posters WHERE name = ?")
    .bind(name)
    .first<{ n: number }>();
  return row!.n;
}

/** A name no other test uses. */
export const unique = (what: string) => `${what} ${crypto.randomUUID()}`;

/** The key id behind a key text (the middleware scopes a key by it). */
export async function keyIdOf(key: string): Promise<string> {
  const res = await call("/v1/keys", { key: ADMIN_KEY });
  const { keys } = (await res.json()) as { keys: { id: string; prefix: string }[] };
  return keys.find((k) => key.startsWith(k.prefix))!.id;
}

/**
 * POST `json` to `path` with `key` and `Idempotency-Key: idem`, through a bridge using `ring`
 * (and D1 as `wrap` makes it).
 */
export function postWith(ring: string, wrap: (db: D1Database) => D1Database = (d) => d) {
  const bridge = createBridge((e) => ({ ...optionsFromEnv(e), signingKeys: ring }));
  return async (path: string, key: string, json: unknown, idem: string) => {
    const ctx = createExecutionContext();
    const res = await bridge.fetch(
      new Request(`https://qr.test${path}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "idempotency-key": idem,
        },
        body: JSON.stringify(json),
      }),
      { ...testEnv, DB: wrap(testEnv.DB) } as Env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  };
}
