// Red team, webhooks: a delivery attempted twice at once (a duplicate queue message beside the
// cron's push) whose late failure must not undo its success: the log stays truthful and the
// receiver is not sent it again.
import { describe, expect, it, vi } from "vitest";
import { resolveConfig } from "../../src/config";
import { deliverWebhook } from "../../src/store/webhook-delivery";
import { sendTestEvent } from "../../src/store/webhooks";
import { call } from "./helpers";
import { runQueue, testEnv } from "./hop-helpers";
import { webhookKeyForFile } from "./webhooks-helpers";

const key = webhookKeyForFile();

const register = (url: string) =>
  call("/v1/webhooks", { method: "POST", key: key(), json: { url, events: ["poster.scanned"] } });

describe("redteam: one delivery attempted twice at once", () => {
  it("a late failure never turns a delivered delivery back into a retry", async () => {
    const created = await register("https://hooks.example.com/twice");
    const endpoint = ((await created.json()) as { id: string }).id;
    const id = await sendTestEvent(testEnv.DB, endpoint);
    const e = testEnv as unknown as Record<string, string>;
    const config = await resolveConfig({
      adminKey: e.QB_ADMIN_KEY,
      signingKeys: e.QB_SIGNING_KEYS,
    });
    // A's receiver answers 200 at once; B's connection fails, after A has recorded its success.
    let delivered!: () => void;
    const aDone = new Promise<void>((resolve) => {
      delivered = resolve;
    });
    const ok: typeof fetch = async () => new Response("ok", { status: 200 });
    const failing: typeof fetch = async () => {
      await aDone;
      throw new Error("connection reset");
    };
    const [a, b] = await Promise.all([
      deliverWebhook(testEnv.DB, config.keyring, id, { fetch: ok, env: "production" }).then((r) => {
        delivered();
        return r;
      }),
      deliverWebhook(testEnv.DB, config.keyring, id, { fetch: failing, env: "production" }),
    ]);
    expect(a.outcome).toBe("delivered");
    expect(b.outcome).not.toBe("retry");
    const row = await testEnv.DB.prepare(
      "SELECT status, attempts, next_attempt_at, delivered_at FROM webhook_deliveries WHERE id = ?",
    )
      .bind(id)
      .first<{
        status: string;
        attempts: number;
        next_attempt_at: number | null;
        delivered_at: number | null;
      }>();
    expect(row).toMatchObject({ status: "delivered", attempts: 2, next_attempt_at: null });
    expect(row!.delivered_at).not.toBeNull();
    // Both attempts are in the log, each as it happened.
    const { results } = await testEnv.DB.prepare(
      "SELECT attempt, status_code, error FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt",
    )
      .bind(id)
      .all();
    expect(results).toEqual([
      { attempt: 1, status_code: 200, error: null },
      { attempt: 2, status_code: null, error: "could not connect (Error: connection reset)" },
    ]);
  });
});

describe("redteam: a slow or failing receiver holds back no other", () => {
  it("in one batch, a receiver that times out and one that refuses are retried; the others are delivered", async () => {
    const urls = ["ok-1", "slow", "ok-2", "down", "ok-3"].map((h) => `https://${h}.example.com/q`);
    const ids: Record<string, string> = {};
    for (const url of urls) {
      const endpoint = ((await (await register(url)).json()) as { id: string }).id;
      ids[url] = await sendTestEvent(testEnv.DB, endpoint);
    }
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
      const host = new URL(new Request(input as RequestInfo).url).hostname;
      if (host === "slow.example.com")
        throw Object.assign(new Error("The operation timed out."), { name: "TimeoutError" });
      if (host === "down.example.com") return new Response("nope", { status: 503 });
      return new Response("ok", { status: 200 });
    });
    const messages = urls.map((url, i) => ({
      id: `rt-wh-${i}`,
      timestamp: new Date(),
      attempts: 1,
      body: { t: "webhook", id: ids[url] },
    }));
    const result = await runQueue("qrbridge-webhooks", messages);
    expect(result.explicitAcks.sort()).toEqual(["rt-wh-0", "rt-wh-2", "rt-wh-4"]);
    expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual(["rt-wh-1", "rt-wh-3"]);
    const status = async (url: string) =>
      (
        await testEnv.DB.prepare("SELECT status, last_error FROM webhook_deliveries WHERE id = ?")
          .bind(ids[url])
          .first()
      )?.status;
    expect(await Promise.all(urls.map(status))).toEqual([
      "delivered",
      "retrying",
      "delivered",
      "retrying",
      "delivered",
    ]);
  });
});
