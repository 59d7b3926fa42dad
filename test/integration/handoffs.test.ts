// The handoff API: create, read, auth, cancel, long-poll, WebSocket, confirm=pc; and resolving
// a handoff link (POST /v1/resolve): once only, expiry, the redeem window, forged links, alarms.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { type HandoffRecord, PURGE_GRACE_MS } from "../../src/core/handoff";
import { sha256Hex } from "../../src/core/hash";
import type { Env } from "../../src/env";
import { Awaiting, ResolvedLink } from "../../src/routes/resolve";
import { expectMatches } from "./contract-helpers";
import {
  type Created,
  createHandoff,
  eventually,
  hopsOf,
  resolve,
  scan,
  signedToken,
  status,
  tokenOf,
} from "./handoffs-helpers";
import { ADMIN_KEY, call, mintKey, mintSecretKey } from "./helpers";

const E = env as unknown as Env;
const stubOf = (id: string) => E.HANDOFF.get(E.HANDOFF.idFromName(id));
const stored = (id: string) =>
  runInDurableObject(stubOf(id), (_o, state) => state.storage.kv.get<HandoffRecord>("handoff"));

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
          stubOf(h.id),
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

describe('confirm: "pc"', () => {
  it("approve: the app waits (202), the PC approves, the claimant redeems once", async () => {
    const h = await createHandoff(await mintSecretKey(), { confirm: "pc", payload: { user: 7 } });
    const first = await resolve(h.url);
    expect(first.status).toBe(202);
    // The 202 is the documented AwaitingConfirmation, field for field.
    const waiting = expectMatches(Awaiting, await first.json());
    expect(waiting.status).toBe("awaiting_confirmation");
    expect(waiting.claim!.length).toBeGreaterThanOrEqual(22);
    expect((await resolve(h.url, { claim: waiting.claim })).status).toBe(202);
    // Someone else with the link cannot jump in.
    expect((await resolve(h.url)).status).toBe(409);
    expect(await status(h)).toMatchObject({
      status: "awaiting_confirmation",
      device: { platform: "android" },
    });
    const ok = await call(`/v1/handoffs/${h.id}/approve`, {
      method: "POST",
      json: { watch: h.watch },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "approved" });
    expect((await resolve(h.url)).status).toBe(409);
    const done = await resolve(h.url, { claim: waiting.claim });
    expect(done.status).toBe(200);
    expect(expectMatches(ResolvedLink, await done.json())).toMatchObject({
      kind: "handoff",
      id: h.id,
      payload: { user: 7 },
    });
    const again = await resolve(h.url, { claim: waiting.claim });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toBe("already_redeemed");
    expect(await hopsOf(h.id, 4)).toEqual(
      expect.arrayContaining(["created", "scanned", "approved", "redeemed"]),
    );
  });

  it("deny: the app gets 403 and the handoff is over", async () => {
    const key = await mintSecretKey();
    const h = await createHandoff(key, { confirm: "pc", payload: { user: 7 } });
    const claim = "app-chosen-claim-0123456789";
    expect((await resolve(h.url, { claim })).status).toBe(202);
    const no = await call(`/v1/handoffs/${h.id}/deny`, { method: "POST", key });
    expect(no.status).toBe(200);
    expect(await no.json()).toMatchObject({ status: "denied" });
    const after = await resolve(h.url, { claim });
    expect(after.status).toBe(403);
    expect(await after.text()).not.toContain("user");
    expect(
      (await call(`/v1/handoffs/${h.id}/approve?watch=${h.watch}`, { method: "POST" })).status,
    ).toBe(403);
  });

  it("approve needs a scan first, the right secret, and confirm: pc", async () => {
    const h = await createHandoff(await mintSecretKey(), { confirm: "pc" });
    expect(
      (await call(`/v1/handoffs/${h.id}/approve?watch=${h.watch}`, { method: "POST" })).status,
    ).toBe(409);
    expect((await call(`/v1/handoffs/${h.id}/approve?watch=x`, { method: "POST" })).status).toBe(
      403,
    );
    expect((await call(`/v1/handoffs/${h.id}/approve`, { method: "POST" })).status).toBe(401);
    const plain = await createHandoff(await mintSecretKey());
    await scan(plain);
    expect(
      (await call(`/v1/handoffs/${plain.id}/approve?watch=${plain.watch}`, { method: "POST" }))
        .status,
    ).toBe(409);
  });
});

// POST /v1/resolve for handoff links: once only, expiry, the redeem window, forged links, alarms.
describe("resolving a handoff link", () => {
  const E = env as unknown as Env;
  const stubOf = (id: string) => E.HANDOFF.get(E.HANDOFF.idFromName(id));
  /**
   * Change the stored record, as time passing would. The object keeps its record in memory (it is
   * the only writer), so after a change made behind its back a fresh instance must read it.
   */
  async function edit(id: string, change: (r: HandoffRecord) => void): Promise<void> {
    await runInDurableObject(stubOf(id), (_object, state) => {
      const rec = state.storage.kv.get<HandoffRecord>("handoff")!;
      change(rec);
      state.storage.kv.put("handoff", rec);
    });
    await evictDurableObject(stubOf(id));
  }
  const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

  describe("POST /v1/resolve (handoff)", () => {
    it("full flow: create → scan → resolve returns the payload once", async () => {
      const h = await createHandoff(await mintSecretKey(), {
        payload: { cart: "c_42", items: [1, 2] },
        path: "/cart/42",
        metadata: { title: "Your cart" },
      });
      expect((await scan(h)).status).toBe(200);
      const res = await resolve(h.url);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      // The answer is the documented handoff variant of the 200 union, field for field.
      expect(expectMatches(ResolvedLink, await res.json())).toEqual({
        kind: "handoff",
        id: h.id,
        path: "/cart/42",
        payload: { cart: "c_42", items: [1, 2] },
        metadata: { title: "Your cart" },
        attribution: null,
      });
      const again = await resolve(h.url);
      expect(again.status).toBe(409);
      expect(await errorOf(again)).toBe("already_redeemed");
      expect((await status(h)).status).toBe("redeemed");
      expect(await hopsOf(h.id, 4)).toEqual(
        expect.arrayContaining(["created", "scanned", "landing", "redeemed"]),
      );
    });

    it("without a page view, resolve records the scan itself", async () => {
      const h = await createHandoff(await mintSecretKey());
      expect((await resolve(h.url)).status).toBe(200);
      const s = await status(h);
      expect(s).toMatchObject({ status: "redeemed", device: { platform: "android" } });
      expect(await hopsOf(h.id, 3)).toEqual(
        expect.arrayContaining(["created", "scanned", "redeemed"]),
      );
    });

    it("100 concurrent resolves: exactly one 200, the rest 409", async () => {
      const h = await createHandoff(await mintSecretKey(), { payload: { n: 1 } });
      const results = await Promise.all(Array.from({ length: 100 }, () => resolve(h.url)));
      const codes = results.map((r) => r.status);
      expect(codes.filter((c) => c === 200)).toHaveLength(1);
      expect(codes.filter((c) => c === 409)).toHaveLength(99);
      const hops = await hopsOf(h.id, 3);
      expect(hops.filter((x) => x === "redeemed")).toHaveLength(1);
    });

    it("accepts the link in lowercase, and inside the app's custom-scheme URL", async () => {
      const a = await createHandoff(await mintSecretKey());
      expect((await resolve(a.url.toLowerCase())).status).toBe(200);
      const b = await createHandoff(await mintSecretKey());
      const schemeUrl = `acme:///cart/42?qb_link=${encodeURIComponent(b.url)}`;
      expect((await resolve(schemeUrl)).status).toBe(200);
    });

    it("forged → 400 invalid_token; other hosts and paths → 400 invalid_url", async () => {
      const h = await createHandoff(await mintSecretKey());
      const token = tokenOf(h);
      const forged = `https://qr.test/h/${token.slice(0, -2)}${token.endsWith("00") ? "11" : "00"}`;
      const res = await resolve(forged);
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toBe("invalid_token");
      // A broken percent-escape is just a bad token, never a 500.
      const broken = await resolve("https://qr.test/h/%E0%A4%A");
      expect(broken.status).toBe(400);
      expect(await errorOf(broken)).toBe("invalid_token");
      for (const url of [
        `https://evil.test/h/${token}`,
        `https://qr.test/x/${token}`,
        "not a url",
        "javascript:alert(1)",
      ]) {
        const r = await resolve(url);
        expect(r.status, url).toBe(400);
        expect(await errorOf(r)).toBe("invalid_url");
      }
      expect((await status(h)).status).toBe("pending");
    });

    it("an expired, unscanned handoff → 410", async () => {
      const h = await createHandoff(await mintSecretKey());
      // Long past any redeem window: answered at the edge.
      const old = await signedToken(Math.floor(Date.now() / 1000) - 86_400, h.id);
      const r1 = await resolve(`https://qr.test/h/${old}`);
      expect(r1.status).toBe(410);
      expect(await errorOf(r1)).toBe("expired");
      // Just expired: the object decides, and it was never scanned.
      await edit(h.id, (r) => {
        r.expires_at = Date.now() - 1000;
      });
      const recent = await signedToken(Math.floor(Date.now() / 1000) - 1, h.id);
      const r2 = await resolve(`https://qr.test/h/${recent}`);
      expect(r2.status).toBe(410);
      expect((await status(h)).status).toBe("expired");
      expect(await hopsOf(h.id, 2)).toEqual(expect.arrayContaining(["created", "expired"]));
    });

    it("a scanned handoff stays redeemable for the redeem window after the QR expired", async () => {
      const h = await createHandoff(await mintSecretKey(), { ttl: 15, payload: { ok: true } });
      await scan(h);
      // The user went to install the app: the QR's ttl has passed, the window has not.
      await edit(h.id, (r) => {
        r.expires_at = Date.now() - 60_000;
        r.scanned_at = Date.now() - 120_000;
      });
      const token = await signedToken(Math.floor(Date.now() / 1000) - 60, h.id);
      const res = await resolve(`https://qr.test/h/${token}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ payload: { ok: true } });
    });

    it("the alarm expires a handoff, then deletes it after the grace period", async () => {
      const h = await createHandoff(await mintSecretKey());
      const stub = stubOf(h.id);
      // Not due yet: the alarm re-arms and nothing changes.
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      expect((await status(h)).status).toBe("pending");
      await edit(h.id, (r) => {
        r.expires_at = Date.now() - 1;
      });
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      expect(await status(h)).toMatchObject({ status: "expired", redeemable_until: null });
      expect((await resolve(h.url)).status).toBe(410);
      expect(await hopsOf(h.id, 2)).toEqual(["created", "expired"]);
      await edit(h.id, (r) => {
        r.ended_at = Date.now() - PURGE_GRACE_MS - 1;
      });
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      const left = await runInDurableObject(stub, async (_o, state) => ({
        record: state.storage.kv.get("handoff"),
        alarm: await state.storage.getAlarm(),
      }));
      expect(left).toEqual({ record: undefined, alarm: null });
      const gone = await resolve(h.url);
      expect(gone.status).toBe(404);
    });

    it("arms the alarm at the expiry, and at scan time + redeem window after a scan", async () => {
      const h = await createHandoff(await mintSecretKey(), { ttl: 60 });
      const alarm = () => runInDurableObject(stubOf(h.id), (_o, state) => state.storage.getAlarm());
      expect(await alarm()).toBe(h.expires_at);
      await scan(h);
      const { scanned_at } = await status(h);
      expect(await alarm()).toBe((scanned_at as number) + 900_000);
    });
  });
});
