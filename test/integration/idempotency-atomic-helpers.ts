// Helpers for the Idempotency-Key atomicity tests: every D1 create under `idempotent()` as a case
// (how to send it, and how many of what it creates D1 holds), a Worker call with a D1 made to
// fail or to stall, and a count of rows.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Env } from "../../src/env";
import worker from "../../src/index";
import { ADMIN_KEY, BASE, mintSecretKey } from "./helpers";
import { db, post, unique } from "./idempotency-helpers";

/** One create: where it goes, with which key and body, and how many it made so far. */
export interface CreateCase {
  path: string;
  key: string;
  body: unknown;
  /** The rows one create writes of what `count` counts. */
  once: number;
  count: () => Promise<number>;
}

export const scalar = async (sql: string, ...args: unknown[]) =>
  (await db
    .prepare(sql)
    .bind(...args)
    .first<{ n: number }>())!.n;

/** Every D1 create under `idempotent()`, each with a fresh subject (its own names and rows). */
export const CREATES: Record<string, () => Promise<CreateCase>> = {
  async poster() {
    const name = unique("atomic poster");
    const campaign = unique("atomic camp");
    const count = async () =>
      (await scalar("SELECT COUNT(*) AS n FROM posters WHERE name = ?", name)) +
      (await scalar("SELECT COUNT(*) AS n FROM campaigns WHERE name = ?", campaign));
    const body = { name, path: "/a", campaign };
    return { path: "/v1/posters", key: await mintSecretKey(), body, once: 2, count };
  },
  async "poster batch"() {
    const name = unique("atomic batch");
    const body = { posters: [0, 1, 2].map((i) => ({ name, path: `/p${i}` })) };
    const count = () => scalar("SELECT COUNT(*) AS n FROM posters WHERE name = ?", name);
    return { path: "/v1/posters/batch", key: await mintSecretKey(), body, once: 3, count };
  },
  async store() {
    const name = unique("atomic store");
    const count = () => scalar("SELECT COUNT(*) AS n FROM stores WHERE name = ?", name);
    return { path: "/v1/stores", key: await mintSecretKey(), body: { name }, once: 1, count };
  },
  async campaign() {
    const name = unique("atomic campaign");
    const count = () => scalar("SELECT COUNT(*) AS n FROM campaigns WHERE name = ?", name);
    return { path: "/v1/campaigns", key: await mintSecretKey(), body: { name }, once: 1, count };
  },
  async webhook() {
    const description = unique("atomic webhook");
    const body = { url: "https://hooks.example.com/atomic", events: ["*"], description };
    const count = () =>
      scalar("SELECT COUNT(*) AS n FROM webhook_endpoints WHERE description = ?", description);
    return { path: "/v1/webhooks", key: await mintSecretKey(), body, once: 1, count };
  },
  async key() {
    const name = unique("atomic key");
    const body = { name, kind: "secret", scopes: ["stats:read"] };
    const count = () => scalar("SELECT COUNT(*) AS n FROM api_keys WHERE name = ?", name);
    return { path: "/v1/keys", key: ADMIN_KEY, body, once: 1, count };
  },
  async "key roll"() {
    const minted = await post("/v1/keys", ADMIN_KEY, {
      name: unique("atomic roll"),
      kind: "secret",
      scopes: ["stats:read"],
    });
    const { id } = (await minted.json()) as { id: string };
    const count = () => scalar("SELECT COUNT(*) AS n FROM api_keys WHERE rolled_from = ?", id);
    const body = { expires_in: 60 };
    return { path: `/v1/keys/${id}/roll`, key: ADMIN_KEY, body, once: 1, count };
  },
  async "webhook secret rotation"() {
    const key = await mintSecretKey();
    const description = unique("atomic rotation");
    const made = await post("/v1/webhooks", key, {
      url: "https://hooks.example.com/atomic",
      events: ["*"],
      description,
    });
    const { id } = (await made.json()) as { id: string };
    const count = () =>
      scalar(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'webhook.rotate' AND subject_id = ?",
        id,
      );
    const path = `/v1/webhooks/${id}/rotate-secret`;
    return { path, key, body: { expires_in: 60 }, once: 1, count };
  },
};

/** The endpoints these tests registered stop counting toward the 25 active ones. */
export async function disableTestEndpoints(): Promise<void> {
  await db
    .prepare(
      "UPDATE webhook_endpoints SET disabled_at = ? WHERE description LIKE 'atomic %' AND disabled_at IS NULL",
    )
    .bind(Date.now())
    .run();
}

/** D1 refusing any write of an `Idempotency-Key` answer (aimed at a table that does not exist). */
export function answerRefusingDb(d1: D1Database): D1Database {
  return new Proxy(d1, {
    get(target, prop) {
      if (prop === "prepare")
        return (sql: string) =>
          target.prepare(
            sql.replace(
              "UPDATE idempotency_keys SET lease_until = 0",
              "UPDATE idempotency_keys_refused SET lease_until = 0",
            ),
          );
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** D1 running `meanwhile` (once) before the first batch it is sent: a create that stalls there. */
export function stallingDb(d1: D1Database, meanwhile: () => Promise<void>): D1Database {
  let stalled = false;
  return new Proxy(d1, {
    get(target, prop) {
      if (prop === "batch")
        return async (statements: D1PreparedStatement[]) => {
          if (!stalled) {
            stalled = true;
            await meanwhile();
          }
          return target.batch(statements);
        };
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * POST `c` with `Idempotency-Key: idem` through the Worker, its D1 as `wrap` makes it (and any
 * other binding as `bindings` has it).
 */
export async function sendWith(
  wrap: (d1: D1Database) => D1Database,
  c: CreateCase,
  idem: string,
  bindings: Partial<Env> = {},
): Promise<Response> {
  const testEnv = env as unknown as Env;
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${BASE}${c.path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${c.key}`,
        "content-type": "application/json",
        "idempotency-key": idem,
      },
      body: JSON.stringify(c.body),
    }),
    { ...testEnv, ...bindings, DB: wrap(testEnv.DB) },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}
