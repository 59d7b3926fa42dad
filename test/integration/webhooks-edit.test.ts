// PATCH /v1/webhooks/:id: an endpoint changed in place keeps its id, its secret and its log. The
// URL is held to the rules of registration (never into a private network), the events edited
// decide the next delivery, bad input names its field, and every change has its audit row.
import { describe, expect, it } from "vitest";
import { mintKeyWithId, rowsAbout } from "./audit-helpers";
import { call, mintKey } from "./helpers";
import { hopMessages, hopRow, runQueue, scalar, testEnv } from "./hop-helpers";
import { receiver, registerWebhook, webhookKeyForFile } from "./webhooks-helpers";

const key = webhookKeyForFile();

const patch = (id: string, json: unknown, k = key()) =>
  call(`/v1/webhooks/${id}`, { method: "PATCH", key: k, json });

/** The deliveries a batch of hops creates for `endpointId` (through the real hop consumer). */
async function deliveriesFor(endpointId: string, rows: ReturnType<typeof hopRow>[]) {
  await runQueue("qrbridge-hops", hopMessages(rows), {
    ...testEnv,
    WEBHOOKS: { sendBatch: async () => undefined } as unknown as Queue,
  });
  const { results } = await testEnv.DB.prepare(
    "SELECT event_id, event_type FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY event_type",
  )
    .bind(endpointId)
    .all<{ event_id: string; event_type: string }>();
  return results;
}

describe("PATCH /v1/webhooks/:id", () => {
  it("changes URL, events and description in place: same id, same secret, the log kept", async () => {
    const hook = await registerWebhook(key(), ["conversion"], "https://old.example.com/qb");
    receiver(200);
    const ping = await call(`/v1/webhooks/${hook.id}/test`, { method: "POST", key: key() });
    expect(ping.status).toBe(202);
    const res = await patch(hook.id, {
      url: "https://new.example.com/qb?token=abc",
      events: ["poster.scanned", "poster.scanned", "conversion"],
      description: "moved",
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: hook.id,
      url: "https://new.example.com/qb?token=abc",
      events: ["poster.scanned", "conversion"],
      description: "moved",
      enabled: true,
      paused_at: null,
      previous_secret_expires_at: null,
    });
    expect(body).not.toHaveProperty("secret");
    // The secret is derived from the id: it did not change (nothing of it is in the row).
    const row = await testEnv.DB.prepare("SELECT * FROM webhook_endpoints WHERE id = ?")
      .bind(hook.id)
      .first<Record<string, unknown>>();
    expect(row).toMatchObject({ secret_salt: null, url: "https://new.example.com/qb?token=abc" });
    const log = await call(`/v1/webhooks/${hook.id}/deliveries`, { key: key() });
    expect(((await log.json()) as { deliveries: unknown[] }).deliveries).toHaveLength(1);
    // description: null clears it; fields not sent stay.
    const cleared = (await (await patch(hook.id, { description: null })).json()) as {
      description: unknown;
      url: string;
    };
    expect(cleared).toMatchObject({
      description: null,
      url: "https://new.example.com/qb?token=abc",
    });
  });

  it("refuses a URL into a private network, as registration does, and changes nothing", async () => {
    const hook = await registerWebhook(key(), ["*"], "https://public.example.com/qb");
    for (const url of [
      "https://169.254.169.254/latest/meta-data",
      "https://10.0.0.1/hook",
      "https://[::ffff:127.0.0.1]/hook",
      "https://0xa9fea9fe/",
      "https://metadata.google.internal/",
      "https://127.0.0.1.nip.io/hook",
      "http://hooks.example.com/plain-http",
      "https://user:pw@hooks.example.com/creds",
    ]) {
      const res = await patch(hook.id, { url });
      expect(res.status, url).toBe(400);
      const err = (await res.json()) as { error: string; details?: { field?: string } };
      expect(err.error, url).toBe("validation_failed");
      expect(err.details?.field, url).toBe("url");
    }
    expect(await scalar("SELECT url FROM webhook_endpoints WHERE id = ?", hook.id)).toBe(
      "https://public.example.com/qb",
    );
  });

  it("bad input is a 400 naming the field, never a 500", async () => {
    const hook = await registerWebhook(key(), ["*"]);
    const cases: [unknown, string][] = [
      [{}, "url"],
      [{ events: [] }, "events"],
      [{ events: ["handoff.exploded"] }, "events"],
      [{ events: "conversion" }, "events"],
      [{ enabled: "no" }, "enabled"],
      [{ description: "x".repeat(201) }, "description"],
      [{ url: 42 }, "url"],
      [{ secret: "whsec_mine" }, "secret"],
    ];
    for (const [json, field] of cases) {
      const res = await patch(hook.id, json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      const text = await res.text();
      expect(text, JSON.stringify(json)).toContain(field);
    }
    const notJson = await call(`/v1/webhooks/${hook.id}`, {
      method: "PATCH",
      key: key(),
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(notJson.status).toBe(400);
    expect((await patch("whe_nope", { enabled: false })).status).toBe(400);
  });

  it("an unknown or deleted endpoint is a 404; other keys are refused", async () => {
    const hook = await registerWebhook(key(), ["*"]);
    expect((await patch("whe_0000000000000000", { enabled: false })).status).toBe(404);
    const del = await call(`/v1/webhooks/${hook.id}`, { method: "DELETE", key: key() });
    expect(del.status).toBe(200);
    expect((await patch(hook.id, { enabled: true })).status).toBe(404);
    expect((await patch(hook.id, { url: "https://x.example.com/h" })).status).toBe(404);

    const live = await registerWebhook(key(), ["*"]);
    const publishable = await mintKey("publishable", ["handoffs:write"], ["https://shop.example"]);
    const stats = await mintKey("secret", ["stats:read"]);
    for (const k of [publishable, stats]) {
      const res = await patch(live.id, { enabled: false }, k);
      expect(res.status).toBe(403);
      const rotate = await call(`/v1/webhooks/${live.id}/rotate-secret`, {
        method: "POST",
        key: k,
        json: {},
      });
      expect(rotate.status).toBe(403);
    }
    expect(await scalar("SELECT paused_at FROM webhook_endpoints WHERE id = ?", live.id)).toBe(
      null,
    );
  });

  it("edited events decide the next delivery: only what it now subscribes to", async () => {
    const hook = await registerWebhook(key(), ["poster.scanned"]);
    const before = hopRow({ kind: "poster", subject_id: "P-edit-1", hop: "scanned" }, Date.now());
    expect((await deliveriesFor(hook.id, [before])).map((d) => d.event_id)).toEqual([
      before.event_id,
    ]);
    expect((await patch(hook.id, { events: ["conversion"] })).status).toBe(200);
    const scan = hopRow({ kind: "poster", subject_id: "P-edit-2", hop: "scanned" }, Date.now());
    const conversion = hopRow(
      { kind: "poster", subject_id: "P-edit-2", hop: "converted", session_id: "s-edit-2" },
      Date.now(),
    );
    const after = await deliveriesFor(hook.id, [scan, conversion]);
    expect(after.map((d) => d.event_id).sort()).toEqual(
      [before.event_id, conversion.event_id].sort(),
    );
    expect(after.map((d) => d.event_type)).toEqual(["conversion", "poster.scanned"]);
  });

  it("logs each change once, with the URL's host only; a pause repeated logs nothing", async () => {
    const { key: k, id: keyId } = await mintKeyWithId(["webhooks:write"]);
    const hook = await registerWebhook(k, ["*"]);
    expect(
      (await patch(hook.id, { url: "https://audit.example.com/p?token=s3cr3t" }, k)).status,
    ).toBe(200);
    expect((await patch(hook.id, { enabled: false }, k)).status).toBe(200);
    expect((await patch(hook.id, { enabled: false }, k)).status).toBe(200);
    expect((await patch(hook.id, { enabled: true }, k)).status).toBe(200);
    const rows = await rowsAbout("webhook", hook.id);
    expect(rows.map((r) => [r.action, r.actor])).toEqual([
      ["webhook.create", keyId],
      ["webhook.update", keyId],
      ["webhook.pause", keyId],
      ["webhook.resume", keyId],
    ]);
    const update = JSON.parse(rows[1]!.changes) as { fields: string[]; values: object };
    expect(update).toEqual({ fields: ["host"], values: { host: "audit.example.com" } });
    expect(JSON.stringify(rows)).not.toContain("s3cr3t");
  });
});
