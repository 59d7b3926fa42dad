// Helpers for the tests of a pause's bounds (webhooks-hold-*.test.ts): paused endpoints holding
// deliveries of chosen ages, the endpoint view, a delivery's state. Each test's endpoints are
// deleted after it, so no later test's scans reach them.
import { afterEach, expect } from "vitest";
import type { Env } from "../../src/env";
import { call } from "./helpers";
import { hopMessages, hopRow, runQueue, testEnv } from "./hop-helpers";
import { capturingQueue, patchWebhookVia, registerWebhook } from "./webhooks-helpers";

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const db = () => testEnv.DB;

/** `GET /v1/webhooks/:id` (and a PATCH answer), the fields these tests read. */
export interface View {
  held: number;
  enabled: boolean;
  hold_expired: { count: number; from: number; to: number } | null;
  released?: number;
}

/** A delivery's stored state. */
export const rowOf = (id: string) =>
  db()
    .prepare("SELECT status, last_error, next_attempt_at FROM webhook_deliveries WHERE id = ?")
    .bind(id)
    .first<{ status: string; last_error: string | null; next_attempt_at: number | null }>();

/** The statuses of `ids`, in order. */
export const statuses = async (ids: string[]) =>
  Promise.all(ids.map(async (id) => (await rowOf(id))?.status));

/**
 * The helpers bound to the file's key (webhookKeyForFile), with the clean-up of each test's
 * endpoints registered.
 */
export function holdKit(key: () => string) {
  const hooks: string[] = [];
  afterEach(async () => {
    for (const id of hooks.splice(0))
      await call(`/v1/webhooks/${id}`, { method: "DELETE", key: key() });
  });

  const patch = async (env: Env, id: string, json: unknown) =>
    (await patchWebhookVia(env, key(), id, json)) as unknown as View;

  async function view(id: string): Promise<View> {
    const res = await call(`/v1/webhooks/${id}`, { key: key() });
    expect(res.status).toBe(200);
    return (await res.json()) as View;
  }

  /**
   * A paused endpoint (paused now) holding one scan's delivery per age (ms before `now`), and
   * only those: the copies its scans made for the test's other paused endpoints are removed.
   */
  async function pausedHolding(label: string, ages: number[], now = Date.now()) {
    const hook = await registerWebhook(
      key(),
      ["poster.scanned"],
      `https://hooks.example.com/${label}`,
    );
    hooks.push(hook.id);
    await patch(capturingQueue().env, hook.id, { enabled: false });
    const rows = ages.map((_, i) =>
      hopRow({ kind: "poster", subject_id: `P-${label}-${i}`, hop: "scanned" }, Date.now()),
    );
    await runQueue("qrbridge-hops", hopMessages(rows), capturingQueue().env);
    const ids = rows.map((r) => `whd_${hook.id.slice(4)}_${r.event_id}`);
    await db()
      .prepare(
        "DELETE FROM webhook_deliveries WHERE event_id IN (SELECT value FROM json_each(?)) AND endpoint_id <> ?",
      )
      .bind(JSON.stringify(rows.map((r) => r.event_id)), hook.id)
      .run();
    for (const [i, id] of ids.entries())
      await db()
        .prepare("UPDATE webhook_deliveries SET created_at = ? WHERE id = ?")
        .bind(now - ages[i]!, id)
        .run();
    return { hook: hook.id, ids, created: ages.map((a) => now - a) };
  }

  return { patch, view, pausedHolding };
}
