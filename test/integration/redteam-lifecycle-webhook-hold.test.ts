// Red team: what a long pause leaves behind. Deliveries held since before the log's 30-day
// retention (an endpoint resumed before the cron marked them `expired`, as a pause longer than
// the 7-day hold would be) are `pending` or `retrying` once resumed, still older than the
// retention by `created_at`. The hourly cron must not delete them before they are sent: not when
// the receiver answered the first try with a 503, not when the resume's queue send failed and
// the cron is the one to push them. One still paused is marked `expired`, counted, then deleted.
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { runMaintenance } from "../../src/store/maintenance";
import { atClock, call } from "./helpers";
import { hopMessages, hopRow, runQueue, testConfig, testEnv } from "./hop-helpers";
import {
  capturingQueue,
  patchWebhookVia,
  receiver,
  registerWebhook,
  webhookKeyForFile,
  webhookMessages,
} from "./webhooks-helpers";

const key = webhookKeyForFile();
const DAY = 86_400_000;

const patchVia = (env: Env, id: string, json: unknown) => patchWebhookVia(env, key(), id, json);

const statusOf = async (id: string) =>
  (
    await testEnv.DB.prepare("SELECT status FROM webhook_deliveries WHERE id = ?")
      .bind(id)
      .first<{ status: string }>()
  )?.status ?? "gone";

/** An endpoint paused `days` ago holding one scan's delivery since then: the delivery id. */
async function heldFor(label: string, days: number): Promise<{ hook: string; id: string }> {
  const hook = await registerWebhook(
    key(),
    ["poster.scanned"],
    `https://hooks.example.com/${label}`,
  );
  await patchVia(capturingQueue().env, hook.id, { enabled: false });
  const row = hopRow({ kind: "poster", subject_id: `P-old-${label}`, hop: "scanned" }, Date.now());
  await runQueue("qrbridge-hops", hopMessages([row]), capturingQueue().env);
  const id = `whd_${hook.id.slice(4)}_${row.event_id}`;
  expect(await statusOf(id)).toBe("held");
  // The pause began `days` ago: the event (and its delivery) are that old.
  await testEnv.DB.prepare("UPDATE webhook_deliveries SET created_at = created_at - ? WHERE id = ?")
    .bind(days * DAY, id)
    .run();
  return { hook: hook.id, id };
}

describe("a delivery held past the log's retention, once resumed", () => {
  it("survives the cron while it retries after a failed first try, and is then delivered", async () => {
    const { hook, id } = await heldFor("retrying", 40);
    const queue = capturingQueue();
    await patchVia(queue.env, hook, { enabled: true });
    expect(queue.sent.map((m) => m.id)).toEqual([id]);
    // The receiver, just back, answers the first try 503: the delivery retries in 30 s.
    receiver(503);
    await runQueue("qrbridge-webhooks", webhookMessages([id]));
    expect(await statusOf(id)).toBe("retrying");
    // The hourly cron runs before the retry's message arrives.
    await runMaintenance(capturingQueue().env, await testConfig(), Date.now());
    expect(await statusOf(id)).toBe("retrying");
    const seen = receiver(204);
    // The retry's message, 30 s later.
    await atClock(Date.now() + 31_000, () =>
      runQueue("qrbridge-webhooks", webhookMessages([id], 2)),
    );
    expect(seen.map((s) => s.headers.get("webhook-id"))).toEqual([id]);
    expect(await statusOf(id)).toBe("delivered");
  });

  it("survives the cron when the resume could not queue it, and the cron is what sends it", async () => {
    const { hook, id } = await heldFor("unqueued", 35);
    const refusing = {
      ...testEnv,
      WEBHOOKS: {
        send: async () => Promise.reject(new Error("queue unavailable")),
        sendBatch: async () => Promise.reject(new Error("queue unavailable")),
      } as unknown as Queue,
    } as Env;
    await patchVia(refusing, hook, { enabled: true });
    expect(await statusOf(id)).toBe("pending");
    // The cron pushes a `pending` delivery whose message was lost after 15 minutes.
    const cron = capturingQueue();
    await runMaintenance(cron.env, await testConfig(), Date.now() + 16 * 60_000);
    expect(await statusOf(id)).toBe("pending");
    expect(cron.sent.filter((m) => m.id === id)).toHaveLength(1);
  });

  it("a delivered delivery past the retention is deleted; a held one is marked expired and counted, then deleted", async () => {
    const { id: delivered } = await heldFor("done", 31);
    await testEnv.DB.prepare(
      "UPDATE webhook_deliveries SET status = 'delivered', next_attempt_at = NULL WHERE id = ?",
    )
      .bind(delivered)
      .run();
    const { hook, id: held } = await heldFor("still-held", 31);
    await runMaintenance(capturingQueue().env, await testConfig(), Date.now());
    expect(await statusOf(delivered)).toBe("gone");
    // Not deleted unseen: marked and counted on its endpoint first, the next run's retention
    // removes it (its event is 31 days old).
    expect(await statusOf(held)).toBe("expired");
    const view = await call(`/v1/webhooks/${hook}`, { key: key() });
    expect(await view.json()).toMatchObject({ held: 0, hold_expired: { count: 1 } });
    await runMaintenance(capturingQueue().env, await testConfig(), Date.now());
    expect(await statusOf(held)).toBe("gone");
  });
});
