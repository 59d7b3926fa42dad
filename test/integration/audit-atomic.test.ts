// A change and its audit row land together or not at all: with a D1 that refuses every write to
// `audit_log`, a change through the API must leave nothing behind (no state changed, nothing
// sent), never a change the log cannot name.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import worker from "../../src/index";
import { mintKeyWithId, rowsBy, send } from "./audit-helpers";
import { BASE } from "./helpers";
import { scalar } from "./hop-helpers";
import { capturingQueue } from "./webhooks-helpers";

/** `db` with every statement on `audit_log` aimed at a table that does not exist. */
function auditRefusingDb(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare")
        return (sql: string) => target.prepare(sql.replaceAll("audit_log", "audit_log_refused"));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Call the Worker with `env`, as a client would. */
async function callWith(env: Env, method: string, path: string, key: string, json?: unknown) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${BASE}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(json ? { "content-type": "application/json" } : {}),
      },
      body: json ? JSON.stringify(json) : undefined,
    }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res.status;
}

describe("no change without its audit row", () => {
  it("a webhook delivery's manual retry: not queued, not sent, still failed", async () => {
    const { key, id: actor } = await mintKeyWithId(["webhooks:write"]);
    const hook = await send("POST", "/v1/webhooks", key, {
      url: "https://hooks.example.com/atomic",
      events: ["conversion"],
    });
    const delivery = `whd_atomic_${actor}`;
    await env.DB.prepare(
      "INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status, attempts, created_at) VALUES (?, ?, 'e', 'conversion', '{}', 'failed', 8, ?)",
    )
      .bind(delivery, hook.body.id, Date.now())
      .run();
    const { env: queued, sent } = capturingQueue();
    const broken = { ...queued, DB: auditRefusingDb(queued.DB) } as Env;
    const path = `/v1/webhooks/${hook.body.id}/deliveries/${delivery}/retry`;

    expect(await callWith(broken, "POST", path, key)).toBe(500);
    expect(sent).toEqual([]);
    expect(
      await scalar<string>("SELECT status FROM webhook_deliveries WHERE id = ?", delivery),
    ).toBe("failed");
    expect((await rowsBy(actor)).map((r) => r.action)).toEqual(["webhook.create"]);

    // With the log back, the same call queues it and names it.
    expect(await callWith(queued, "POST", path, key)).toBe(202);
    expect(sent).toEqual([{ t: "webhook", id: delivery }]);
    expect((await rowsBy(actor)).map((r) => r.action)).toEqual(["webhook.create", "webhook.retry"]);
  });

  it("a poster's PATCH and a key's revocation change nothing", async () => {
    const { key, id: actor } = await mintKeyWithId(["posters:write"]);
    const poster = await send("POST", "/v1/posters", key, { name: "Door", path: "/menu" });
    expect(poster.status).toBe(201);
    const broken = { ...env, DB: auditRefusingDb(env.DB) } as unknown as Env;
    const pid = poster.body.id as string;

    expect(await callWith(broken, "PATCH", `/v1/posters/${pid}`, key, { status: "paused" })).toBe(
      500,
    );
    expect(await scalar<string>("SELECT status FROM posters WHERE id = ?", pid)).toBe("active");
    const admin = (env as unknown as { QB_ADMIN_KEY: string }).QB_ADMIN_KEY;
    expect(await callWith(broken, "DELETE", `/v1/keys/${actor}`, admin)).toBe(500);
    expect(await scalar("SELECT revoked_at IS NULL FROM api_keys WHERE id = ?", actor)).toBe(1);
  });
});
