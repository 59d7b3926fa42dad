// Helpers for the webhook tests: a receiver standing in for global fetch, a WEBHOOKS queue that
// records what it was sent, queue messages for deliveries, registering an endpoint and PATCHing it.
import { afterEach, beforeAll, expect, vi } from "vitest";
import type { Env } from "../../src/env";
import { BASE, call, mintKey, runToEnd } from "./helpers";
import { testEnv } from "./hop-helpers";

/** One request the receiver got. */
export interface Captured {
  url: string;
  headers: Headers;
  body: string;
}

/** Replace global fetch (the Worker runs in this isolate) with a receiver answering `statuses`. */
export function receiver(...statuses: number[]): Captured[] {
  const seen: Captured[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    seen.push({ url: req.url, headers: req.headers, body: await req.text() });
    const status = statuses[Math.min(seen.length - 1, statuses.length - 1)] ?? 200;
    return new Response(status === 204 ? null : "ok", { status });
  });
  return seen;
}

/** A stand-in WEBHOOKS queue that records what was sent. */
export function capturingQueue() {
  const sent: { t: string; id: string }[] = [];
  const queue = {
    send: async (body: { t: string; id: string }) => void sent.push(body),
    sendBatch: async (msgs: { body: { t: string; id: string } }[]) => {
      for (const m of msgs) sent.push(m.body);
    },
  };
  return { sent, env: { ...testEnv, WEBHOOKS: queue as unknown as Queue } as Env };
}

/** Webhook queue messages for the deliveries `ids`, each on its `attempts`th try. */
export const webhookMessages = (ids: string[], attempts = 1) =>
  ids.map((id) => ({
    id: `wm-${id}-${attempts}`,
    timestamp: new Date(),
    attempts,
    body: { t: "webhook", id },
  }));

/** Register an endpoint with `key` (webhooks:write) and return the 201 body. */
export async function registerWebhook(
  key: string,
  events: string[],
  url = "https://hooks.example.com/qb",
) {
  const res = await call("/v1/webhooks", { method: "POST", key, json: { url, events } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; secret: string; url: string; events: string[] };
}

/**
 * PATCH endpoint `id` with `key` through the Worker with `env` (a capturing queue, or none), every
 * `waitUntil` settled (a resume's release and sends); the 200 body.
 */
export async function patchWebhookVia(env: Env, key: string, id: string, json: unknown) {
  const res = await runToEnd(env as unknown as Record<string, unknown>)(
    new Request(`${BASE}/v1/webhooks/${id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(json),
    }),
  );
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { enabled: boolean; paused_at: number | null };
}

/**
 * What every webhook test file sets up: a secret key with `webhooks:write`, minted before its
 * tests (read it with the returned function inside a test), and the fetch receiver undone after
 * each test.
 */
export function webhookKeyForFile(): () => string {
  let key = "";
  beforeAll(async () => {
    key = await mintKey("secret", ["webhooks:write"]);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return () => key;
}

/**
 * The event types of the deliveries made to `endpoint` for subject `id` (a handoff's or a
 * login's id), sorted.
 *
 * @example
 * expect(await deliveredTypes(endpoint, login.id)).toEqual(["login.approved", "login.scanned"]);
 */
export async function deliveredTypes(endpoint: string, id: string): Promise<string[]> {
  const { results } = await testEnv.DB.prepare(
    `SELECT event_type FROM webhook_deliveries WHERE endpoint_id = ?
     AND json_extract(payload, '$.data.subject_id') = ? ORDER BY event_type`,
  )
    .bind(endpoint, id)
    .all<{ event_type: string }>();
  return results.map((r) => r.event_type);
}
