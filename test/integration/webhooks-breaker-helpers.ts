// Helpers for the webhook circuit breaker's tests (webhooks-breaker*.test.ts): endpoints removed
// after each test, a pinned clock, scans through the hop consumer, deliveries through the
// Worker's webhook consumer with a receiver answering a chosen status, the cron or its breaker
// step alone, and what the endpoint view and the audit log say.
import { afterEach, beforeEach, expect, vi } from "vitest";
import { runMaintenance } from "../../src/store/maintenance";
import { pauseFailing } from "../../src/store/webhook-breaker";
import { call } from "./helpers";
import { hopMessages, hopRow, runQueue, testConfig, testEnv } from "./hop-helpers";
import {
  capturingQueue,
  patchWebhookVia,
  receiver,
  registerWebhook,
  webhookKeyForFile,
  webhookMessages,
} from "./webhooks-helpers";

export const HOUR = 3_600_000;
/** The tests' clock, pinned for the routes and the Worker too. */
export const NOW = Date.UTC(2026, 11, 7, 12);
export const db = () => testEnv.DB;

/** The endpoint view's fields these tests read. */
export interface View {
  enabled: boolean;
  paused_at: number | null;
  paused_reason: "manual" | "failing" | null;
  failing_since: number | null;
  held: number;
}

/** The helpers, bound to the file's key, with the clock pinned and each test's endpoints deleted after it. */
export function breakerKit() {
  const key = webhookKeyForFile();
  const hooks: string[] = [];
  let seq = 0;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  });
  afterEach(async () => {
    vi.useRealTimers();
    // No later test's scans (or cron) reach them.
    for (const id of hooks.splice(0))
      await call(`/v1/webhooks/${id}`, { method: "DELETE", key: key() });
  });
  async function endpoint(label: string): Promise<string> {
    const hook = await registerWebhook(
      key(),
      ["poster.scanned"],
      `https://hooks.example.com/${label}`,
    );
    hooks.push(hook.id);
    return hook.id;
  }

  async function view(id: string): Promise<View> {
    const res = await call(`/v1/webhooks/${id}`, { key: key() });
    expect(res.status).toBe(200);
    return (await res.json()) as View;
  }

  const patch = (id: string, json: unknown, queue = capturingQueue()) =>
    patchWebhookVia(queue.env, key(), id, json) as unknown as Promise<View & { released?: number }>;

  /** `n` scans counted now; the ids of `hook`'s deliveries, and those the writer queued. */
  async function scans(hook: string, n: number) {
    const rows = Array.from({ length: n }, () =>
      hopRow({ kind: "poster", subject_id: `P-brk-${++seq}`, hop: "scanned" }, Date.now()),
    );
    const queue = capturingQueue();
    await runQueue("qrbridge-hops", hopMessages(rows), queue.env);
    const ids = rows.map((r) => `whd_${hook.slice(4)}_${r.event_id}`);
    return { ids, queued: queue.sent.map((m) => m.id).filter((id) => ids.includes(id)) };
  }

  /** Deliver `ids` through the Worker's webhook consumer now, with the receiver answering `status`. */
  async function deliver(ids: string[], status: number, attempts = 1) {
    const seen = receiver(status);
    await runQueue("qrbridge-webhooks", webhookMessages(ids, attempts));
    vi.restoreAllMocks();
    return seen.map((s) => s.headers.get("webhook-id"));
  }

  /** `n` failed attempts of `hook`'s receiver now: one each of `n` new deliveries. */
  async function failures(hook: string, n: number): Promise<string[]> {
    const { ids } = await scans(hook, n);
    await deliver(ids, 500);
    return ids;
  }

  /**
   * The breaker's step of the cron alone at `at` (a later day's whole cron would fold today's
   * rollups, which other files on this storage still write): the endpoints it paused.
   */
  const trip = async (at: number) => {
    vi.setSystemTime(at);
    return pauseFailing(db(), at, (await testConfig()).webhookBreaker);
  };

  /** The hourly cron at `at` (today), its pushes recorded, not sent. */
  const cron = async (at: number) => {
    vi.setSystemTime(at);
    return runMaintenance(capturingQueue().env, await testConfig(), at);
  };

  const pausesBy = async (hook: string) =>
    (
      await db()
        .prepare(
          "SELECT actor, via, changes FROM audit_log WHERE subject_id = ? AND action = 'webhook.pause' ORDER BY id",
        )
        .bind(hook)
        .all<{ actor: string; via: string; changes: string }>()
    ).results;

  const statusOf = async (id: string) =>
    (
      await db()
        .prepare("SELECT status FROM webhook_deliveries WHERE id = ?")
        .bind(id)
        .first<{ status: string }>()
    )?.status;

  return { key, endpoint, view, patch, scans, deliver, failures, trip, cron, pausesBy, statusOf };
}
