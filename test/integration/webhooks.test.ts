// Webhooks: endpoints, signatures, deliveries from the hop stream and their retries; and the
// network they may reach (never the one the bridge runs in).
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createBridge } from "../../src/bridge";
import { optionsFromEnv, resolveConfig } from "../../src/config";
import { verifyWebhook } from "../../src/core/webhook-signature";
import type { Env } from "../../src/env";
import { ingestHops } from "../../src/store/hop-ingest";
import { deliverWebhook } from "../../src/store/webhook-delivery";
import { sendTestEvent } from "../../src/store/webhooks";
import { BASE, call, mintKey } from "./helpers";
import { hopMessages, hopRow, runQueue, scalar, testEnv } from "./hop-helpers";

interface Captured {
  url: string;
  headers: Headers;
  body: string;
}

/** Replace global fetch (the Worker runs in this isolate) with a receiver answering `statuses`. */
function receiver(...statuses: number[]): Captured[] {
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
function capturingQueue() {
  const sent: { t: string; id: string }[] = [];
  const queue = {
    send: async (body: { t: string; id: string }) => void sent.push(body),
    sendBatch: async (msgs: { body: { t: string; id: string } }[]) => {
      for (const m of msgs) sent.push(m.body);
    },
  };
  return { sent, env: { ...testEnv, WEBHOOKS: queue as unknown as Queue } as Env };
}

const webhookMessages = (ids: string[], attempts = 1) =>
  ids.map((id) => ({
    id: `wm-${id}-${attempts}`,
    timestamp: new Date(),
    attempts,
    body: { t: "webhook", id },
  }));

let key: string;
beforeAll(async () => {
  key = await mintKey("secret", ["webhooks:write"]);
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function register(events: string[], url = "https://hooks.example.com/qb") {
  const res = await call("/v1/webhooks", { method: "POST", key, json: { url, events } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; secret: string; url: string; events: string[] };
}

describe("POST /v1/webhooks", () => {
  it("registers an endpoint and shows its secret once; the secret is not stored", async () => {
    const hook = await register(["handoff.redeemed", "conversion"]);
    expect(hook.id).toMatch(/^whe_[a-z0-9]{16}$/);
    // whsec_ + base64 of 32 bytes: the form Standard Webhooks libraries decode.
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const row = await testEnv.DB.prepare("SELECT * FROM webhook_endpoints WHERE id = ?")
      .bind(hook.id)
      .first();
    expect(JSON.stringify(row)).not.toContain(hook.secret.slice(6));
    const list = await call("/v1/webhooks", { key });
    const text = await list.text();
    expect(text).toContain(hook.id);
    expect(text).not.toContain(hook.secret);
  });

  it("refuses insecure URLs, credentials and unknown events, naming the field", async () => {
    const cases: [unknown, string][] = [
      [{ url: "http://hooks.example.com/x", events: ["*"] }, "url"],
      [{ url: "ftp://hooks.example.com/x", events: ["*"] }, "url"],
      [{ url: "https://user:pw@hooks.example.com/x", events: ["*"] }, "url"],
      [{ url: "not a url", events: ["*"] }, "url"],
      [{ url: "https://hooks.example.com/x", events: ["handoff.exploded"] }, "events"],
      [{ url: "https://hooks.example.com/x", events: [] }, "events"],
    ];
    for (const [json, field] of cases) {
      const res = await call("/v1/webhooks", { method: "POST", key, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(((await res.json()) as { message: string }).message.startsWith(field)).toBe(true);
    }
    // Local receivers are fine outside production (the tests run with QB_ENV=test).
    await register(["*"], "http://localhost:8788/hook");
  });

  it("needs webhooks:write", async () => {
    const stats = await mintKey("secret", ["stats:read"]);
    expect((await call("/v1/webhooks", { key: stats })).status).toBe(403);
  });
});

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
    const first = await runQueue("qrbridge-webhooks", webhookMessages([id], 1));
    expect(first.retryMessages).toHaveLength(1);
    expect(first.delays).toEqual([30]);
    vi.restoreAllMocks();
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("connection refused"));
    const second = await runQueue("qrbridge-webhooks", webhookMessages([id], 2));
    expect(second.delays).toEqual([60]);
    vi.restoreAllMocks();
    receiver(204);
    const third = await runQueue("qrbridge-webhooks", webhookMessages([id], 3));
    expect(third.explicitAcks).toEqual([`wm-${id}-3`]);

    const log = await call(`/v1/webhooks/${hook.id}/deliveries`, { key });
    const { deliveries } = (await log.json()) as {
      deliveries: { id: string; status: string; attempts: number }[];
    };
    expect(deliveries).toEqual([expect.objectContaining({ id, status: "delivered", attempts: 3 })]);
    const one = await call(`/v1/webhooks/${hook.id}/deliveries/${id}`, { key });
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
    await testEnv.DB.prepare("UPDATE webhook_deliveries SET attempts = 8 WHERE id = ?")
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
    const del = await call(`/v1/webhooks/${hook.id}`, { method: "DELETE", key });
    expect(del.status).toBe(200);
    expect((await call(`/v1/webhooks/${hook.id}`, { method: "DELETE", key })).status).toBe(404);
    const { sent, env } = capturingQueue();
    const row = await hopRow({ kind: "poster", subject_id: "P-gone", hop: "scanned" }, Date.now());
    await runQueue("qrbridge-hops", hopMessages([row]), env);
    expect(sent.filter((m) => m.id.includes(hook.id.slice(4)))).toEqual([]);
    expect((await call(`/v1/webhooks/${hook.id}/test`, { method: "POST", key })).status).toBe(404);

    const live = await register(["conversion"]);
    const ping = await call(`/v1/webhooks/${live.id}/test`, { method: "POST", key });
    expect(ping.status).toBe(202);
    const { delivery_id } = (await ping.json()) as { delivery_id: string };
    expect(
      await scalar("SELECT event_type FROM webhook_deliveries WHERE id = ?", delivery_id),
    ).toBe("ping");
  });
});

describe("GET /v1/webhooks/:id/deliveries", () => {
  it("pages with next_cursor and refuses a cursor it did not issue, naming the field", async () => {
    const hook = await register(["conversion"]);
    receiver(200);
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ping = await call(`/v1/webhooks/${hook.id}/test`, { method: "POST", key });
      expect(ping.status).toBe(202);
      made.push(((await ping.json()) as { delivery_id: string }).delivery_id);
    }
    // Delivery ids are longer than poster or store ids: their cursors must still decode.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(
        `/v1/webhooks/${hook.id}/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        { key },
      );
      expect(res.status, await res.clone().text()).toBe(200);
      const body = (await res.json()) as {
        deliveries: { id: string }[];
        next_cursor: string | null;
      };
      seen.push(...body.deliveries.map((d) => d.id));
      cursor = body.next_cursor;
    } while (cursor && seen.length < 10);
    expect(seen.sort()).toEqual([...made].sort());

    for (const bad of ["garbage", "1700000000000.", "x.whd_abc", "1700000000000.whd_a;b"]) {
      const res = await call(
        `/v1/webhooks/${hook.id}/deliveries?cursor=${encodeURIComponent(bad)}`,
        { key },
      );
      expect(res.status, bad).toBe(400);
      expect(await res.json()).toMatchObject({
        error: "validation_failed",
        details: { field: "cursor" },
      });
    }
  });
});

// Webhook endpoints must never make the bridge call into the network it runs in: refused at
// registration, refused again before every delivery (an endpoint stored before the check
// existed), never following a redirect, and never storing what an internal host answered.
describe("webhooks never reach a private network", () => {
  let key: string;
  beforeAll(async () => {
    key = await mintKey("secret", ["webhooks:write"]);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const register = (url: string) =>
    call("/v1/webhooks", { method: "POST", key, json: { url, events: ["*"] } });

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
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
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
      const detail = await call(`/v1/webhooks/${id}/deliveries/${deliveryId}`, { key });
      expect(await detail.text()).not.toContain("SECRET-TOKEN-42");
    });
  });
});
