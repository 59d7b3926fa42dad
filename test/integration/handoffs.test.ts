// The handoff API: create, read, auth, cancel, long-poll, WebSocket (confirm=pc and resolving a
// link: handoffs-resolve.test.ts).
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { sha256Hex } from "../../src/core/hash";
import {
  type Created,
  createHandoff,
  eventually,
  handoffStub,
  hopsOf,
  resolve,
  scan,
  status,
  storedHandoff,
} from "./handoffs-helpers";
import { ADMIN_KEY, call, mintKey, mintSecretKey } from "./helpers";

const stored = storedHandoff;

describe("POST /v1/handoffs", () => {
  it("creates a pending handoff with an uppercase link, QR URLs and a watch secret stored as a hash", async () => {
    const key = await mintSecretKey();
    const now = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now });
    const h = await createHandoff(key, {
      payload: { cart: "c_42" },
      path: "/cart/42",
      ttl: 60,
      metadata: { title: "Your cart" },
    }).finally(() => vi.useRealTimers());
    expect(h.id).toMatch(/^[0-9A-Z]{20}$/);
    expect(h.url).toMatch(new RegExp(`^HTTPS://QR\\.TEST/H/${h.id}[0-9A-Z]{22}$`));
    const token = h.url.slice("HTTPS://QR.TEST/H/".length);
    expect(h.qr).toEqual({
      svg: `https://qr.test/qr/h/${token}.svg`,
      png: `https://qr.test/qr/h/${token}.png`,
    });
    expect(h.watch.length).toBeGreaterThanOrEqual(22);
    expect(h.events_url).toBe(`wss://qr.test/v1/handoffs/${h.id}/events?watch=${h.watch}`);
    expect(h.status).toBe("pending");
    expect(h.expires_at).toBe(Math.floor(now / 1000) * 1000 + 60_000); // whole seconds

    const rec = await stored(h.id);
    expect(rec?.watch_hash).toBe(await sha256Hex(h.watch));
    expect(JSON.stringify(rec)).not.toContain(h.watch);
    expect(rec).toMatchObject({ status: "pending", path: "/cart/42", payload: '{"cart":"c_42"}' });
    expect(await hopsOf(h.id)).toEqual(["created"]);
  });

  it("validates ttl, path, metadata and payload size", async () => {
    const key = await mintSecretKey();
    const post = (json: unknown) => call("/v1/handoffs", { method: "POST", key, json });
    for (const ttl of [14, 901]) {
      const res = await post({ ttl });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/^ttl/);
    }
    expect((await post({ ttl: 15 })).status).toBe(201);
    expect((await post({ ttl: 900 })).status).toBe(201);
    for (const path of ["//evil.example", "https://evil.example", "cart", "/\\evil"]) {
      expect((await post({ path })).status, path).toBe(400);
    }
    expect((await post({ metadata: { title: 3 } })).status).toBe(400);
    expect((await post({ metadata: { "bad key": "x" } })).status).toBe(400);
    // A "__proto__" key (which zod would drop without a word) is refused, not lost.
    const proto = await call("/v1/handoffs", {
      method: "POST",
      key,
      headers: { "content-type": "application/json" },
      body: '{"metadata":{"__proto__":"x","title":"t"}}',
    });
    expect(proto.status).toBe(400);
    expect(((await proto.json()) as { message: string }).message).toMatch(/^metadata\.__proto__/);
    expect((await post({ confirm: "sms" })).status).toBe(400);
    const big = await post({ payload: { blob: "x".repeat(4096) } });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toBe("payload_too_large");
    expect((await post({ payload: { blob: "x".repeat(4000) } })).status).toBe(201);
  });

  it("needs a key with handoffs:write; a publishable key only from its origin", async () => {
    expect((await call("/v1/handoffs", { method: "POST", json: {} })).status).toBe(401);
    const posters = await mintKey("secret", ["posters:write"]);
    expect((await call("/v1/handoffs", { method: "POST", key: posters, json: {} })).status).toBe(
      403,
    );
    const pk = await mintKey("publishable", ["handoffs:write"], ["https://shop.test"]);
    const wrong = await call("/v1/handoffs", {
      method: "POST",
      key: pk,
      json: {},
      headers: { origin: "https://evil.test" },
    });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: string }).error).toBe("forbidden");
    const right = await call("/v1/handoffs", {
      method: "POST",
      key: pk,
      json: {},
      headers: { origin: "https://shop.test" },
    });
    expect(right.status).toBe(201);
  });
});

describe("GET /v1/handoffs/:id", () => {
  it("is readable by the creating key, admin and the watch secret, never showing the payload", async () => {
    const key = await mintSecretKey();
    const other = await mintSecretKey();
    const h = await createHandoff(key, { payload: { secret: "s3cr3t" } });
    for (const init of [{ key }, { key: ADMIN_KEY }]) {
      const res = await call(`/v1/handoffs/${h.id}`, init);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ id: h.id, status: "pending", confirm: "none" });
      expect(text).not.toContain("s3cr3t");
    }
    expect((await status(h)).status).toBe("pending");
    expect(res(await call(`/v1/handoffs/${h.id}`))).toBe(401);
    expect(res(await call(`/v1/handoffs/${h.id}?watch=nope`))).toBe(403);
    expect(res(await call(`/v1/handoffs/${h.id}`, { key: other }))).toBe(403);
    expect(res(await call(`/v1/handoffs/${h.id.toLowerCase()}?watch=${h.watch}`))).toBe(200);
    expect(res(await call(`/v1/handoffs/0000000000000000000U?watch=${h.watch}`))).toBe(404);
  });

  it("long-poll returns as soon as the status changes", async () => {
    const h = await createHandoff(await mintSecretKey());
    const waiting = status(h, "&wait=20");
    // Scan only once the poll is waiting in the object.
    await eventually(
      () =>
        runInDurableObject(
          handoffStub(h.id),
          (o) =>
            (o as unknown as { watchers: { waiters: Set<unknown> } }).watchers.waiters.size > 0,
        ),
      "the long-poll to reach the object",
    );
    expect((await scan(h)).status).toBe(200);
    const body = await waiting;
    expect(body).toMatchObject({ status: "scanned", changed: true });
    expect(body.device).toMatchObject({ platform: "ios", browser: "Safari" });
  });

  it("long-poll times out cleanly with the unchanged status", async () => {
    const h = await createHandoff(await mintSecretKey());
    const res = await call(`/v1/handoffs/${h.id}?watch=${h.watch}&wait=1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "pending", changed: false });
  });

  it("long-poll with ?since= answers at once when the status already moved on", async () => {
    const h = await createHandoff(await mintSecretKey());
    await scan(h);
    expect(await status(h, "&wait=30&since=pending")).toMatchObject({
      status: "scanned",
      changed: true,
    });
    expect(res(await call(`/v1/handoffs/${h.id}?watch=${h.watch}&wait=31`))).toBe(400);
  });
});

function res(r: Response): number {
  return r.status;
}

describe("DELETE /v1/handoffs/:id", () => {
  it("cancels: the link stops working and the app gets 410", async () => {
    const key = await mintSecretKey();
    const h = await createHandoff(key, { payload: { a: 1 } });
    const del = await call(`/v1/handoffs/${h.id}?watch=${h.watch}`, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect(await del.json()).toMatchObject({ status: "cancelled" });
    expect((await call(`/v1/handoffs/${h.id}`, { method: "DELETE", key })).status).toBe(200);
    expect((await resolve(h.url)).status).toBe(410);
    expect((await scan(h)).status).toBe(410);
    expect(await hopsOf(h.id, 2)).toEqual(["created", "cancelled"]);
  });

  it("cannot cancel a redeemed handoff", async () => {
    const h = await createHandoff(await mintSecretKey());
    expect((await resolve(h.url)).status).toBe(200);
    const del = await call(`/v1/handoffs/${h.id}?watch=${h.watch}`, { method: "DELETE" });
    expect(del.status).toBe(409);
    expect(((await del.json()) as { error: string }).error).toBe("already_redeemed");
  });
});

describe("GET /v1/handoffs/:id/events (WebSocket)", () => {
  async function open(h: Created): Promise<{ ws: WebSocket; messages: Record<string, unknown>[] }> {
    const res = await call(`/v1/handoffs/${h.id}/events?watch=${h.watch}`, {
      headers: { upgrade: "websocket" },
    });
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    const messages: Record<string, unknown>[] = [];
    ws.addEventListener("message", (e) => {
      messages.push(JSON.parse(String(e.data)));
    });
    ws.accept();
    await eventually(() => messages.length > 0, "the first message");
    return { ws, messages };
  }

  it("pushes the current status, then scanned, then redeemed, and closes", async () => {
    const h = await createHandoff(await mintSecretKey());
    const { ws, messages } = await open(h);
    let closed = false;
    ws.addEventListener("close", () => {
      closed = true;
    });
    expect(messages[0]).toMatchObject({ type: "status", status: "pending" });
    expect((await scan(h)).status).toBe(200);
    await eventually(() => messages.length >= 2, "scanned");
    expect((await resolve(h.url)).status).toBe(200);
    await eventually(() => messages.length >= 3, "redeemed");
    expect(messages.map((m) => m.status)).toEqual(["pending", "scanned", "redeemed"]);
    expect(messages[1]).toMatchObject({ device: { platform: "ios", browser: "Safari" } });
    expect(typeof messages[2]!.at).toBe("number");
    await eventually(() => closed, "the close");
  });

  it("pushes scanned and redeemed when the app resolves without a page view", async () => {
    const h = await createHandoff(await mintSecretKey());
    const { messages } = await open(h);
    expect((await resolve(h.url)).status).toBe(200);
    await eventually(() => messages.length >= 3, "two pushes");
    expect(messages.map((m) => m.status)).toEqual(["pending", "scanned", "redeemed"]);
    expect(messages[1]!.device).toMatchObject({ platform: "android" });
  });

  it("refuses without a credential or without the upgrade", async () => {
    const h = await createHandoff(await mintSecretKey());
    const bad = await call(`/v1/handoffs/${h.id}/events?watch=wrong`, {
      headers: { upgrade: "websocket" },
    });
    expect(bad.status).toBe(403);
    expect((await call(`/v1/handoffs/${h.id}/events?watch=${h.watch}`)).status).toBe(426);
  });
});
