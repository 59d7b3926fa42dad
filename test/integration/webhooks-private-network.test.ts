// Webhooks and the network the bridge runs in (SSRF), attacked as a registered endpoint would.
import { describe, expect, it, vi } from "vitest";
import { createBridge } from "../../src/bridge";
import { resolveConfig } from "../../src/config";
import { optionsFromEnv } from "../../src/env-options";
import { deliverWebhook } from "../../src/store/webhook-delivery";
import { sendTestEvent } from "../../src/store/webhooks";
import { BASE, call } from "./helpers";
import { runQueue, scalar, testEnv } from "./hop-helpers";
import { webhookKeyForFile } from "./webhooks-helpers";

// Webhook endpoints must never make the bridge call into the network it runs in: refused at
// registration, refused again before every delivery (an endpoint stored before the check
// existed), never following a redirect, and never storing what an internal host answered.
describe("webhooks never reach a private network", () => {
  const key = webhookKeyForFile();

  const register = (url: string) =>
    call("/v1/webhooks", { method: "POST", key: key(), json: { url, events: ["*"] } });

  /** An endpoint row written straight to D1, as one registered before URLs were checked. */
  async function storedEndpoint(url: string): Promise<string> {
    const id = `whe_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
    await testEnv.DB.prepare(
      "INSERT INTO webhook_endpoints (id, url, events, secret_kid, description, created_at) VALUES (?, ?, '[\"*\"]', 'T2', NULL, ?)",
    )
      .bind(id, url, Date.now())
      .run();
    return id;
  }

  /** Run the Worker's webhook consumer on one delivery. */
  const consume = (deliveryId: string) =>
    runQueue("qrbridge-webhooks", [
      {
        id: `wm-${deliveryId}`,
        timestamp: new Date(),
        attempts: 1,
        body: { t: "webhook", id: deliveryId },
      },
    ]);

  const row = (deliveryId: string) =>
    testEnv.DB.prepare(
      "SELECT status, attempts, last_status_code, last_error FROM webhook_deliveries WHERE id = ?",
    )
      .bind(deliveryId)
      .first<{
        status: string;
        attempts: number;
        last_status_code: number | null;
        last_error: string;
      }>();

  describe("registering an endpoint", () => {
    it("refuses internal targets with 400 validation_failed on `url`", async () => {
      for (const url of [
        "https://169.254.169.254/latest/meta-data/iam/",
        "https://127.0.0.1/",
        "https://[::1]/",
        "https://10.0.0.1/",
        "https://192.168.0.1/",
        "https://0.0.0.0/",
        "https://[fd00::1]/",
        "https://[::ffff:a9fe:a9fe]/",
        "https://metadata.google.internal/computeMetadata/v1/",
        "https://2852039166/",
        "https://0xa9fea9fe/",
        "https://0251.0376.0251.0376/",
        "https://100.100.100.200/",
        "https://[64:ff9b::a9fe:a9fe]/",
        "https://[2002:a9fe:a9fe::]/",
        "https://localhost/",
        "https://nas.local/",
        "https://router.home.arpa/",
        "http://10.0.0.1/",
      ]) {
        const res = await register(url);
        expect(res.status, url).toBe(400);
        const body = (await res.json()) as { error: string; details: { field: string } };
        expect(body.error, url).toBe("validation_failed");
        expect(body.details.field, url).toBe("url");
      }
      expect(
        await scalar(
          "SELECT COUNT(*) FROM webhook_endpoints WHERE url LIKE '%169.254%' OR url LIKE '%a9fe%'",
        ),
      ).toBe(0);
    });

    it("allows plain-http loopback receivers in development only", async () => {
      expect((await register("http://127.0.0.1:8788/hook")).status).toBe(201);
      expect((await register("http://[::1]:8788/hook")).status).toBe(201);
      const bridge = createBridge((e) => ({
        ...optionsFromEnv(e),
        env: "production",
        adminKey: "qb_admin_production_test_key_0123456789",
        ipSalt: "salt",
      }));
      const ctx = {
        waitUntil() {},
        passThroughOnException() {},
        props: {},
      } as unknown as ExecutionContext;
      const res = await bridge.fetch(
        new Request(`${BASE}/v1/webhooks`, {
          method: "POST",
          headers: { authorization: `Bearer ${key()}`, "content-type": "application/json" },
          body: JSON.stringify({ url: "http://localhost:8788/hook", events: ["*"] }),
        }),
        testEnv,
        ctx,
      );
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: "validation_failed",
        details: { field: "url" },
      });
    });
  });

  describe("delivering", () => {
    it("never calls an internal endpoint stored before the check, and fails it at once", async () => {
      const endpoint = await storedEndpoint("https://169.254.169.254/latest/meta-data/");
      const deliveryId = await sendTestEvent(testEnv.DB, endpoint);
      const fetchSpy = vi.spyOn(globalThis, "fetch");
      const result = await consume(deliveryId);
      expect(result.explicitAcks).toHaveLength(1);
      expect(fetchSpy).not.toHaveBeenCalled();
      const r = await row(deliveryId);
      expect(r).toMatchObject({ status: "failed", attempts: 1, last_status_code: null });
      expect(r!.last_error).toMatch(/^not sent: the endpoint URL must point at a public host/);
    });

    it("applies the production rule to plain-http loopback when the deployment is production", async () => {
      const endpoint = await storedEndpoint("http://localhost:8788/hook");
      const config = await resolveConfig(optionsFromEnv(testEnv));
      const sent: string[] = [];
      const fake = (async (url: string) => {
        sent.push(url);
        return new Response(null, { status: 204 });
      }) as unknown as typeof fetch;
      const prod = await sendTestEvent(testEnv.DB, endpoint);
      expect(
        await deliverWebhook(testEnv.DB, config.keyring, prod, { fetch: fake, env: "production" }),
      ).toMatchObject({ outcome: "failed" });
      // Without an env the production rule applies too.
      const unknown = await sendTestEvent(testEnv.DB, endpoint);
      expect(
        await deliverWebhook(testEnv.DB, config.keyring, unknown, { fetch: fake }),
      ).toMatchObject({
        outcome: "failed",
      });
      expect(sent).toEqual([]);
      const dev = await sendTestEvent(testEnv.DB, endpoint);
      expect(
        await deliverWebhook(testEnv.DB, config.keyring, dev, { fetch: fake, env: "development" }),
      ).toMatchObject({ outcome: "delivered" });
      expect(sent).toEqual(["http://localhost:8788/hook"]);
    });

    it("does not follow a redirect into the metadata service: a 3xx is a failed attempt", async () => {
      const res = await register("https://hooks.example.com/redirecting");
      const { id } = (await res.json()) as { id: string };
      const deliveryId = await sendTestEvent(testEnv.DB, id);
      const seen: { url: string; redirect: string | undefined }[] = [];
      vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
        seen.push({ url: String(input), redirect: init?.redirect });
        return new Response("ami-id: i-0123 SECRET-CREDENTIALS", {
          status: 302,
          headers: {
            location: "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
          },
        });
      });
      const result = await consume(deliveryId);
      expect(result.retryMessages).toHaveLength(1);
      expect(seen).toEqual([{ url: "https://hooks.example.com/redirecting", redirect: "manual" }]);
      expect(await row(deliveryId)).toMatchObject({
        status: "retrying",
        last_status_code: 302,
        last_error: "HTTP 302 (redirects are not followed)",
      });
    });

    it("logs the status code only, never the body the receiver answered", async () => {
      const res = await register("https://hooks.example.com/talkative");
      const { id } = (await res.json()) as { id: string };
      const deliveryId = await sendTestEvent(testEnv.DB, id);
      vi.spyOn(globalThis, "fetch").mockResolvedValue(
        new Response("internal stack trace with SECRET-TOKEN-42", { status: 500 }),
      );
      await consume(deliveryId);
      expect(await row(deliveryId)).toMatchObject({
        last_status_code: 500,
        last_error: "HTTP 500",
      });
      const logged = await testEnv.DB.prepare(
        "SELECT (SELECT json_group_array(json_object('e', error, 's', status_code)) FROM webhook_attempts WHERE delivery_id = ?1) AS attempts, (SELECT json_object('e', last_error) FROM webhook_deliveries WHERE id = ?1) AS delivery",
      )
        .bind(deliveryId)
        .first<{ attempts: string; delivery: string }>();
      expect(JSON.stringify(logged)).not.toContain("SECRET-TOKEN-42");
      expect(JSON.parse(logged!.attempts)).toEqual([{ e: "HTTP 500", s: 500 }]);
      const detail = await call(`/v1/webhooks/${id}/deliveries/${deliveryId}`, { key: key() });
      expect(await detail.text()).not.toContain("SECRET-TOKEN-42");
    });
  });
});
