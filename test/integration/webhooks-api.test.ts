// Webhook endpoints through the API: registering one (its secret shown once, never stored), the
// URLs and events refused, the scope it needs, and paging through its delivery log.
import { describe, expect, it } from "vitest";
import { call, mintKey } from "./helpers";
import { testEnv } from "./hop-helpers";
import { receiver, registerWebhook, webhookKeyForFile } from "./webhooks-helpers";

const key = webhookKeyForFile();

const register = (events: string[], url?: string) => registerWebhook(key(), events, url);

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
    const list = await call("/v1/webhooks", { key: key() });
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
      const res = await call("/v1/webhooks", { method: "POST", key: key(), json });
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

describe("GET /v1/webhooks/:id/deliveries", () => {
  it("pages with next_cursor and refuses a cursor it did not issue, naming the field", async () => {
    const hook = await register(["conversion"]);
    receiver(200);
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ping = await call(`/v1/webhooks/${hook.id}/test`, { method: "POST", key: key() });
      expect(ping.status).toBe(202);
      made.push(((await ping.json()) as { delivery_id: string }).delivery_id);
    }
    // Delivery ids are longer than poster or store ids: their cursors must still decode.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(
        `/v1/webhooks/${hook.id}/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        { key: key() },
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
        { key: key() },
      );
      expect(res.status, bad).toBe(400);
      expect(await res.json()).toMatchObject({
        error: "validation_failed",
        details: { field: "cursor" },
      });
    }
  });
});
