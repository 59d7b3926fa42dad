// Webhook deliveries from the hop stream: signed events, retries with backoff and their log,
// giving up (last attempt, dead letter), the direct writer without a queue, deleted endpoints.
import { describe, expect, it, vi } from "vitest";
import { verifyWebhook } from "../../src/core/webhook-signature";
import { ingestHops } from "../../src/store/hop-ingest";
import { atClock, call } from "./helpers";
import { hopMessages, hopRow, runQueue, scalar, testEnv } from "./hop-helpers";
import {
  capturingQueue,
  receiver,
  registerWebhook,
  webhookKeyForFile,
  webhookMessages,
} from "./webhooks-helpers";

const key = webhookKeyForFile();

const register = (events: string[], url?: string) => registerWebhook(key(), events, url);

describe("deliveries from the hop stream", () => {
  it("signs each event so the receiver verifies it, and a tampered body fails", async () => {
    const hook = await register(["handoff.redeemed", "poster.scanned"]);
    const { sent, env } = capturingQueue();
    const at = Date.now();
    const rows = await Promise.all([
      hopRow({ kind: "handoff", subject_id: "h-sig", hop: "redeemed", platform: "ios" }, at),
      hopRow({ kind: "poster", subject_id: "P-sig", hop: "scanned" }, at + 1),
      hopRow({ kind: "poster", subject_id: "P-sig", hop: "landing" }, at + 2), // not an event
      hopRow({ kind: "poster", subject_id: "P-sig", hop: "scanned", bot: true }, at + 3), // bot
      hopRow({ kind: "handoff", subject_id: "h-sig", hop: "cancelled" }, at + 4), // not subscribed
    ]);
    await runQueue("qrbridge-hops", hopMessages(rows), env);
    const mine = sent.filter((m) => m.id.startsWith(`whd_${hook.id.slice(4)}_`));
    expect(mine.map((m) => m.id).sort()).toEqual(
      [rows[0]!.event_id, rows[1]!.event_id].map((e) => `whd_${hook.id.slice(4)}_${e}`).sort(),
    );
    // The same hop batch again creates and sends nothing new.
    const before = sent.length;
    await runQueue("qrbridge-hops", hopMessages(rows, 2), env);
    expect(sent.length).toBe(before);
    expect(
      await scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = ?", hook.id),
    ).toBe(2);

    const seen = receiver(200);
    const result = await runQueue("qrbridge-webhooks", webhookMessages(mine.map((m) => m.id)));
    expect(result.explicitAcks).toHaveLength(2);
    expect(seen).toHaveLength(2);
    const redeemed = seen.find((s) => s.headers.get("qb-event") === "handoff.redeemed")!;
    expect(redeemed.url).toBe("https://hooks.example.com/qb");
    expect(redeemed.headers.get("content-type")).toBe("application/json");
    expect(redeemed.headers.get("qb-delivery")).toBe(
      `whd_${hook.id.slice(4)}_${rows[0]!.event_id}`,
    );
    const signature = redeemed.headers.get("qb-signature")!;
    // One v1 for the secret shown today, one for the base64url text shown before.
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(await verifyWebhook(hook.secret, redeemed.body, signature)).toMatchObject({ ok: true });
    const event = JSON.parse(redeemed.body);
    expect(event).toMatchObject({
      id: rows[0]!.event_id,
      type: "handoff.redeemed",
      data: { kind: "handoff", subject_id: "h-sig", platform: "ios" },
    });
    expect(redeemed.body).not.toContain("ip_hash");
    const tampered = redeemed.body.replace('"ios"', '"android"');
    expect(await verifyWebhook(hook.secret, tampered, signature)).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    // A duplicate message after success sends nothing.
    await runQueue("qrbridge-webhooks", webhookMessages([mine[0]!.id], 2));
    expect(seen).toHaveLength(2);
  });

  it("retries failures with backoff and logs every attempt, readable through the API", async () => {
    const hook = await register(["conversion"]);
    const { sent, env } = capturingQueue();
    const row = await hopRow(
      { kind: "poster", subject_id: "P-retry", hop: "converted" },
      Date.now(),
    );
    await runQueue("qrbridge-hops", hopMessages([row]), env);
    const id = `whd_${hook.id.slice(4)}_${row.event_id}`;
    expect(sent.map((m) => m.id)).toContain(id);

    receiver(503);
    // The queue brings each retry back after its delay: the consumer runs at those times.
    const t = Date.now();
    const first = await runQueue("qrbridge-webhooks", webhookMessages([id], 1));
    expect(first.retryMessages).toHaveLength(1);
    expect(first.delays).toEqual([30]);
    vi.restoreAllMocks();
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("connection refused"));
    const second = await atClock(t + 40_000, () =>
      runQueue("qrbridge-webhooks", webhookMessages([id], 2)),
    );
    expect(second.delays).toEqual([60]);
    vi.restoreAllMocks();
    receiver(204);
    const third = await atClock(t + 110_000, () =>
      runQueue("qrbridge-webhooks", webhookMessages([id], 3)),
    );
    expect(third.explicitAcks).toEqual([`wm-${id}-3`]);

    const log = await call(`/v1/webhooks/${hook.id}/deliveries`, { key: key() });
    const { deliveries } = (await log.json()) as {
      deliveries: { id: string; status: string; attempts: number }[];
    };
    expect(deliveries).toEqual([expect.objectContaining({ id, status: "delivered", attempts: 3 })]);
    const one = await call(`/v1/webhooks/${hook.id}/deliveries/${id}`, { key: key() });
    const detail = (await one.json()) as {
      attempt_log: { attempt: number; status_code: number | null; error: string | null }[];
    };
    expect(detail.attempt_log.map((a) => [a.attempt, a.status_code])).toEqual([
      [1, 503],
      [2, null],
      [3, 204],
    ]);
    expect(detail.attempt_log[1]!.error).toContain("connection refused");
  });

  it("gives up after the last attempt and marks it failed; a dead letter marks it failed too", async () => {
    const hook = await register(["app.opened"]);
    const { sent, env } = capturingQueue();
    const rows = await Promise.all([
      hopRow({ kind: "handoff", subject_id: "h-dead", hop: "app_open" }, Date.now()),
      hopRow({ kind: "handoff", subject_id: "h-dead2", hop: "app_open" }, Date.now()),
    ]);
    await runQueue("qrbridge-hops", hopMessages(rows), env);
    const [a, b] = sent.filter((m) => m.id.startsWith(`whd_${hook.id.slice(4)}`)).map((m) => m.id);
    // Eight failed tries leave it retrying (due now): the ninth message is its last try.
    await testEnv.DB.prepare(
      "UPDATE webhook_deliveries SET attempts = 8, status = 'retrying' WHERE id = ?",
    )
      .bind(a)
      .run();
    receiver(500);
    const last = await runQueue("qrbridge-webhooks", webhookMessages([a!], 9));
    expect(last.explicitAcks).toHaveLength(1);
    expect(await scalar("SELECT status FROM webhook_deliveries WHERE id = ?", a)).toBe("failed");

    const dlq = await runQueue("qrbridge-webhooks-dlq", webhookMessages([b!], 9));
    expect(dlq.ackAll).toBe(true);
    expect(await scalar("SELECT status FROM webhook_deliveries WHERE id = ?", b)).toBe("failed");
    expect(await scalar("SELECT type FROM dead_letters WHERE id = ?", `wm-${b}-9`)).toBe("webhook");
  });

  it("without a WEBHOOKS queue, the direct writer sends at once", async () => {
    const hook = await register(["handoff.scanned"]);
    const seen = receiver(200);
    const row = await hopRow(
      { kind: "handoff", subject_id: "h-direct", hop: "scanned" },
      Date.now(),
    );
    const e = testEnv as unknown as Record<string, string>;
    const { resolveConfig } = await import("../../src/config");
    const config = await resolveConfig({
      adminKey: e.QB_ADMIN_KEY,
      signingKeys: e.QB_SIGNING_KEYS,
    });
    const result = await ingestHops({ ...testEnv, WEBHOOKS: undefined }, config, [
      { id: "direct-1", sentAt: row.at, again: false, rows: [row] },
    ]);
    expect(result.deliveries.filter((d) => d.includes(hook.id.slice(4)))).toHaveLength(1);
    const mine = seen.filter((s) => s.headers.get("qb-delivery")?.includes(hook.id.slice(4)));
    expect(mine).toHaveLength(1);
    expect(
      await verifyWebhook(hook.secret, mine[0]!.body, mine[0]!.headers.get("qb-signature")!),
    ).toMatchObject({
      ok: true,
    });
  });

  it("a deleted endpoint gets nothing more, and test pings work on live ones", async () => {
    const hook = await register(["poster.scanned"]);
    const del = await call(`/v1/webhooks/${hook.id}`, { method: "DELETE", key: key() });
    expect(del.status).toBe(200);
    expect((await call(`/v1/webhooks/${hook.id}`, { method: "DELETE", key: key() })).status).toBe(
      404,
    );
    const { sent, env } = capturingQueue();
    const row = await hopRow({ kind: "poster", subject_id: "P-gone", hop: "scanned" }, Date.now());
    await runQueue("qrbridge-hops", hopMessages([row]), env);
    expect(sent.filter((m) => m.id.includes(hook.id.slice(4)))).toEqual([]);
    expect(
      (await call(`/v1/webhooks/${hook.id}/test`, { method: "POST", key: key() })).status,
    ).toBe(404);

    const live = await register(["conversion"]);
    const ping = await call(`/v1/webhooks/${live.id}/test`, { method: "POST", key: key() });
    expect(ping.status).toBe(202);
    const { delivery_id } = (await ping.json()) as { delivery_id: string };
    expect(
      await scalar("SELECT event_type FROM webhook_deliveries WHERE id = ?", delivery_id),
    ).toBe("ping");
  });
});
