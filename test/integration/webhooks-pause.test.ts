// Pausing an endpoint holds its deliveries instead of sending or failing them; resuming sends
// each held one exactly once. Attacked as a busy day would: deliveries queued before the pause,
// retries whose message comes during it, events that happen during it, stale queue messages
// that arrive after the resume, two resumes at once, a resume racing a hold, and the cron.
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { runMaintenance } from "../../src/store/maintenance";
import { deliverWebhook } from "../../src/store/webhook-delivery";
import { holdIfPaused } from "../../src/store/webhook-hold";
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

const patchVia = (env: Env, id: string, json: unknown) => patchWebhookVia(env, key(), id, json);

/** Count `rows` through the hop consumer; the delivery ids it queued. */
async function ingest(rows: ReturnType<typeof hopRow>[]): Promise<string[]> {
  const { env, sent } = capturingQueue();
  await runQueue("qrbridge-hops", hopMessages(rows), env);
  return sent.map((m) => m.id);
}

const statusOf = (id: string) =>
  testEnv.DB.prepare(
    "SELECT status, attempts, next_attempt_at FROM webhook_deliveries WHERE id = ?",
  )
    .bind(id)
    .first<{ status: string; attempts: number; next_attempt_at: number | null }>();

const scan = (label: string) =>
  hopRow({ kind: "poster", subject_id: `P-pause-${label}`, hop: "scanned" }, Date.now());

const deliveryOf = (hookId: string, eventId: string) => `whd_${hookId.slice(4)}_${eventId}`;

describe("pause and resume", () => {
  it("nothing is sent while paused, and every event goes out exactly once after the resume", async () => {
    const hook = await registerWebhook(key(), ["poster.scanned"], "https://hooks.example.com/hold");
    const config = await testConfig();
    // A: queued before the pause, its message not yet consumed.
    const a = scan("a");
    const queuedA = await ingest([a]);
    const idA = deliveryOf(hook.id, a.event_id);
    expect(queuedA).toContain(idA);
    // C: tried before the pause and failed: its retry message comes during the pause.
    const c = scan("c");
    const idC = deliveryOf(hook.id, c.event_id);
    expect(await ingest([c])).toContain(idC);
    const down = async () => new Response(null, { status: 503 });
    const first = await deliverWebhook(testEnv.DB, config.keyring, idC, {
      fetch: down as typeof fetch,
      env: "test",
    });
    expect(first.outcome).toBe("retry");
    const dueC = (await statusOf(idC))!.next_attempt_at!;

    const { env } = capturingQueue();
    const paused = await patchVia(env, hook.id, { enabled: false });
    expect(paused.enabled).toBe(false);
    expect(paused.paused_at).toEqual(expect.any(Number));

    // B: happens during the pause: recorded as held, queued nowhere.
    const b = scan("b");
    const idB = deliveryOf(hook.id, b.event_id);
    expect(await ingest([b])).not.toContain(idB);
    expect(await statusOf(idB)).toMatchObject({
      status: "held",
      attempts: 0,
      next_attempt_at: null,
    });

    const seen = receiver(200);
    await runQueue("qrbridge-webhooks", webhookMessages([idA]));
    await atClock(dueC + 1000, () => runQueue("qrbridge-webhooks", webhookMessages([idC], 2)));
    expect(seen).toHaveLength(0);
    expect((await statusOf(idA))!.status).toBe("held");
    expect(await statusOf(idC)).toMatchObject({ status: "held", attempts: 1 });

    // The log shows them held, with no due time and their tries kept.
    const log = await call(`/v1/webhooks/${hook.id}/deliveries?status=held`, { key: key() });
    const held = ((await log.json()) as { deliveries: Record<string, unknown>[] }).deliveries;
    expect(held.map((d) => d.id).sort()).toEqual([idA, idB, idC].sort());
    for (const d of held) expect(d).toMatchObject({ next_attempt_at: null });
    expect(held.find((d) => d.id === idC)).toMatchObject({ attempts: 1, attempts_left: 8 });
    // "Retry now" would only hold it again: refused while paused.
    const retry = await call(`/v1/webhooks/${hook.id}/deliveries/${idC}/retry`, {
      method: "POST",
      key: key(),
    });
    expect(retry.status).toBe(409);

    const resumed = capturingQueue();
    expect((await patchVia(resumed.env, hook.id, { enabled: true })).enabled).toBe(true);
    expect(resumed.sent.map((m) => m.id).sort()).toEqual([idA, idB, idC].sort());
    // A second resume finds nothing held: it queues nothing.
    const again = capturingQueue();
    await patchVia(again.env, hook.id, { enabled: true });
    expect(again.sent).toEqual([]);

    // The released messages, then the stale ones from before the pause arriving late.
    await runQueue("qrbridge-webhooks", webhookMessages([idA, idB, idC]));
    await runQueue("qrbridge-webhooks", webhookMessages([idA, idC], 3));
    const byEvent = seen.map((s) => (JSON.parse(s.body) as { id: string }).id).sort();
    expect(byEvent).toEqual([a.event_id, b.event_id, c.event_id].sort());
    for (const id of [idA, idB, idC]) expect((await statusOf(id))!.status).toBe("delivered");
  });

  it("two resumes at once queue each held delivery once", async () => {
    const hook = await registerWebhook(key(), ["poster.scanned"], "https://hooks.example.com/two");
    await patchVia(capturingQueue().env, hook.id, { enabled: false });
    const rows = Array.from({ length: 30 }, (_, i) => scan(`two-${i}`));
    const mine = (ids: string[]) => ids.filter((id) => id.startsWith(`whd_${hook.id.slice(4)}_`));
    // Other files' endpoints on this storage may subscribe too: only this one's are asserted on.
    expect(mine(await ingest(rows))).toEqual([]);
    const one = capturingQueue();
    const two = capturingQueue();
    await Promise.all([
      patchVia(one.env, hook.id, { enabled: true }),
      patchVia(two.env, hook.id, { enabled: true }),
    ]);
    const queued = mine([...one.sent, ...two.sent].map((m) => m.id)).sort();
    expect(queued).toEqual(rows.map((r) => deliveryOf(hook.id, r.event_id)).sort());
  });

  it("without a WEBHOOKS queue, a resume sends what was held directly", async () => {
    const hook = await registerWebhook(
      key(),
      ["poster.scanned"],
      "https://hooks.example.com/direct",
    );
    const direct = { ...testEnv, WEBHOOKS: undefined } as Env;
    await patchVia(direct, hook.id, { enabled: false });
    const rows = [scan("direct-1"), scan("direct-2")];
    await ingest(rows);
    const ids = rows.map((r) => deliveryOf(hook.id, r.event_id));
    for (const id of ids) expect((await statusOf(id))!.status).toBe("held");
    const seen = receiver(204);
    await patchVia(direct, hook.id, { enabled: true });
    expect(seen.map((s) => s.headers.get("webhook-id")).sort()).toEqual([...ids].sort());
    for (const id of ids) expect((await statusOf(id))!.status).toBe("delivered");
  });

  it("a hold that comes after the resume does not hold: the delivery is sent", async () => {
    const hook = await registerWebhook(key(), ["poster.scanned"], "https://hooks.example.com/race");
    const r = scan("race");
    await ingest([r]);
    const id = deliveryOf(hook.id, r.event_id);
    // The consumer read the endpoint while it was paused; the resume committed before its hold.
    const target = { id, endpoint_id: hook.id, event_type: "poster.scanned", paused_at: 1 };
    expect(await holdIfPaused(testEnv.DB, target)).toBe(false);
    expect((await statusOf(id))!.status).toBe("pending");
    // Paused for real, the same hold holds.
    await patchVia(capturingQueue().env, hook.id, { enabled: false });
    expect(await holdIfPaused(testEnv.DB, target)).toBe(true);
    expect((await statusOf(id))!.status).toBe("held");
  });

  it("the cron releases what a resume left held, and keeps held deliveries inside the hold window", async () => {
    const hook = await registerWebhook(key(), ["poster.scanned"], "https://hooks.example.com/cron");
    await patchVia(capturingQueue().env, hook.id, { enabled: false });
    const r = scan("cron");
    await ingest([r]);
    const id = deliveryOf(hook.id, r.event_id);
    // Six days and 23 hours: inside the 7-day hold (webhooks-hold-limits.test.ts goes past it).
    const now = Date.now() + 7 * 86_400_000 - 3_600_000;
    const config = await testConfig();
    const paused = capturingQueue();
    await runMaintenance(paused.env, config, now);
    expect((await statusOf(id))!.status).toBe("held");
    expect(paused.sent.map((m) => m.id)).not.toContain(id);
    // Resumed with nothing released (a resume that stopped short): the next cron releases it, once.
    await testEnv.DB.prepare("UPDATE webhook_endpoints SET paused_at = NULL WHERE id = ?")
      .bind(hook.id)
      .run();
    const first = capturingQueue();
    await runMaintenance(first.env, config, now);
    expect(first.sent.filter((m) => m.id === id)).toHaveLength(1);
    const second = capturingQueue();
    await runMaintenance(second.env, config, now);
    expect(second.sent.map((m) => m.id)).not.toContain(id);
  });

  it("without a WEBHOOKS queue, the cron sends what it releases once, not again as due", async () => {
    const hook = await registerWebhook(
      key(),
      ["poster.scanned"],
      "https://hooks.example.com/cron-direct",
    );
    const direct = { ...testEnv, WEBHOOKS: undefined } as Env;
    await patchVia(direct, hook.id, { enabled: false });
    const r = scan("cron-direct");
    await ingest([r]);
    const id = deliveryOf(hook.id, r.event_id);
    // Resumed with nothing released: released by the cron, due at once, it is also "due".
    await testEnv.DB.prepare("UPDATE webhook_endpoints SET paused_at = NULL WHERE id = ?")
      .bind(hook.id)
      .run();
    const seen = receiver(204);
    await runMaintenance(direct, await testConfig(), Date.now());
    expect(seen.filter((s) => s.headers.get("webhook-id") === id)).toHaveLength(1);
    expect((await statusOf(id))!.status).toBe("delivered");
  });

  it("a test ping still goes out while paused; deleting a paused endpoint fails what it held", async () => {
    const hook = await registerWebhook(key(), ["poster.scanned"], "https://hooks.example.com/ping");
    await patchVia(capturingQueue().env, hook.id, { enabled: false });
    const seen = receiver(200);
    const ping = await call(`/v1/webhooks/${hook.id}/test`, { method: "POST", key: key() });
    expect(ping.status).toBe(202);
    const pingId = ((await ping.json()) as { delivery_id: string }).delivery_id;
    await runQueue("qrbridge-webhooks", webhookMessages([pingId]));
    expect(seen).toHaveLength(1);
    expect((await statusOf(pingId))!.status).toBe("delivered");

    const r = scan("deleted");
    await ingest([r]);
    const id = deliveryOf(hook.id, r.event_id);
    expect((await statusOf(id))!.status).toBe("held");
    expect((await call(`/v1/webhooks/${hook.id}`, { method: "DELETE", key: key() })).status).toBe(
      200,
    );
    expect((await statusOf(id))!.status).toBe("failed");
  });
});
