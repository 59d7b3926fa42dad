// Red team: who may see or steer a handoff. An attacker holds what leaks easily — another
// tenant's secret key, the watch secret of a handoff of their own, the QR's URL (hence the id),
// a key pasted into a query string — and tries every owner route with it. Each attempt must be
// refused and leave the victim's handoff exactly as it was; nothing an owner reads or is pushed
// may carry the payload.
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Created,
  createHandoff,
  eventually,
  resolve,
  scan,
  status,
  tokenOf,
} from "./handoffs-helpers";
import { ADMIN_KEY, call, mintKey, mintSecretKey } from "./helpers";

const SECRET = { session: "victim-session-secret" };
let victimKey: string;
let attackerKey: string;
beforeAll(async () => {
  [victimKey, attackerKey] = await Promise.all([mintSecretKey(), mintSecretKey()]);
});

const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

/** Every owner route of handoff `id`, with `auth` as query (watch) or bearer key. */
function ownerRoutes(id: string, auth: { watch?: string; key?: string }) {
  const q = auth.watch ? `?watch=${encodeURIComponent(auth.watch)}` : "";
  const key = auth.key;
  return [
    ["status", () => call(`/v1/handoffs/${id}${q}`, { key })],
    ["long-poll", () => call(`/v1/handoffs/${id}${q}${q ? "&" : "?"}wait=1`, { key })],
    ["cancel", () => call(`/v1/handoffs/${id}${q}`, { method: "DELETE", key })],
    ["approve", () => call(`/v1/handoffs/${id}/approve${q}`, { method: "POST", key })],
    [
      "approve (body)",
      () =>
        call(`/v1/handoffs/${id}/approve`, {
          method: "POST",
          key,
          json: auth.watch ? { watch: auth.watch } : {},
        }),
    ],
    ["deny", () => call(`/v1/handoffs/${id}/deny${q}`, { method: "POST", key })],
    [
      "events",
      () => call(`/v1/handoffs/${id}/events${q}`, { key, headers: { upgrade: "websocket" } }),
    ],
  ] as const;
}

/** A confirm:"pc" handoff of the victim with a phone waiting for the PC's decision. */
async function victimAwaiting(): Promise<{ h: Created; claim: string }> {
  const h = await createHandoff(victimKey, { payload: SECRET, confirm: "pc" });
  const res = await resolve(h.url);
  expect(res.status).toBe(202);
  return { h, claim: ((await res.json()) as { claim: string }).claim };
}

describe("another tenant's credentials open nothing", () => {
  it("another secret key holding handoffs:write: 403 on every owner route, nothing changes", async () => {
    const { h, claim } = await victimAwaiting();
    for (const [name, send] of ownerRoutes(h.id, { key: attackerKey })) {
      const res = await send();
      expect(res.status, name).toBe(403);
      expect(await errorOf(res), name).toBe("forbidden");
    }
    expect((await status(h)).status).toBe("awaiting_confirmation");
    expect((await resolve(h.url, { claim })).status).toBe(202);
  });

  it("the watch secret of the attacker's own handoff: 403 on every route of the victim's", async () => {
    const { h, claim } = await victimAwaiting();
    const own = await createHandoff(attackerKey, { confirm: "pc" });
    for (const [name, send] of ownerRoutes(h.id, { watch: own.watch })) {
      const res = await send();
      expect(res.status, name).toBe(403);
    }
    expect((await status(h)).status).toBe("awaiting_confirmation");
    expect((await resolve(h.url, { claim })).status).toBe(202);
  });

  it("a key without handoffs:write, even the creating tenant's, is 403; none at all is 401", async () => {
    const { h } = await victimAwaiting();
    const statsOnly = await mintKey("secret", ["stats:read"]);
    for (const [name, send] of ownerRoutes(h.id, { key: statsOnly })) {
      expect((await send()).status, name).toBe(403);
    }
    for (const [name, send] of ownerRoutes(h.id, {})) {
      expect((await send()).status, name).toBe(401);
    }
    expect((await status(h)).status).toBe("awaiting_confirmation");
  });

  it("the scanner, who knows the link and so the id, cannot decide for the PC", async () => {
    const { h, claim } = await victimAwaiting();
    const token = tokenOf(h);
    for (const watch of [token, h.id, claim, h.url]) {
      const res = await call(`/v1/handoffs/${h.id}/approve`, { method: "POST", json: { watch } });
      expect(res.status, watch).toBe(403);
    }
    expect((await resolve(h.url, { claim })).status).toBe(202);
  });
});

describe("keys where they do not belong", () => {
  it("an API key in the query string authenticates nothing: 400 naming the parameter", async () => {
    const h = await createHandoff(victimKey);
    for (const name of ["key", "api_key", "access_token", "authorization"]) {
      const res = await call(`/v1/handoffs/${h.id}?${name}=${victimKey}`);
      expect(res.status, name).toBe(400);
      expect(await res.text(), name).toContain(name);
    }
  });

  it("a secret key or the admin key passed as the watch secret is just a wrong watch secret", async () => {
    const h = await createHandoff(victimKey);
    for (const watch of [victimKey, ADMIN_KEY]) {
      const res = await call(`/v1/handoffs/${h.id}?watch=${encodeURIComponent(watch)}`);
      expect(res.status).toBe(403);
    }
  });

  it("the revoked creating key opens its handoffs no more; the watch secret still does", async () => {
    const key = await mintSecretKey();
    const h = await createHandoff(key, { payload: SECRET });
    const keys = (await (await call("/v1/keys", { key: ADMIN_KEY })).json()) as {
      keys: { id: string; prefix: string }[];
    };
    const id = keys.keys.find((k) => key.startsWith(k.prefix))!.id;
    expect((await call(`/v1/keys/${id}`, { method: "DELETE", key: ADMIN_KEY })).status).toBe(200);
    for (const [name, send] of ownerRoutes(h.id, { key })) {
      expect((await send()).status, name).toBe(401);
    }
    expect((await call("/v1/handoffs", { method: "POST", key, json: {} })).status).toBe(401);
    expect((await status(h)).status).toBe("pending");
  });
});

describe("a token is the capability of one handoff only", () => {
  it("splicing another handoff's id into a token breaks its MAC: 400, and neither handoff moves", async () => {
    const a = await createHandoff(attackerKey, { payload: { mine: true } });
    const b = await createHandoff(victimKey, { payload: SECRET });
    const forged = b.id + tokenOf(a).slice(20);
    const res = await resolve(a.url.replace(tokenOf(a), forged));
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toBe("invalid_token");
    const page = await scan(forged);
    expect(page.status).toBe(404);
    expect((await status(b)).status).toBe("pending");
    expect((await status(a)).status).toBe("pending");
  });

  it("a redeemed or cancelled handoff's link is worth nothing afterwards", async () => {
    const done = await createHandoff(victimKey, { payload: SECRET });
    expect((await resolve(done.url)).status).toBe(200);
    const gone = await createHandoff(victimKey, { payload: SECRET });
    await call(`/v1/handoffs/${gone.id}?watch=${gone.watch}`, { method: "DELETE" });
    for (const [h, code] of [
      [done, 409],
      [gone, 410],
    ] as const) {
      const res = await resolve(h.url);
      expect(res.status).toBe(code);
      expect(await res.text()).not.toContain("victim-session-secret");
    }
  });
});

describe("GETs change nothing an attacker could use", () => {
  it("GET on approve, deny and resolve is 405 and the handoff stays where it was", async () => {
    const { h, claim } = await victimAwaiting();
    for (const path of [
      `/v1/handoffs/${h.id}/approve?watch=${h.watch}`,
      `/v1/handoffs/${h.id}/deny?watch=${h.watch}`,
      `/v1/resolve?url=${encodeURIComponent(h.url)}`,
    ]) {
      const res = await call(path);
      expect(res.status, path).toBe(405);
    }
    expect((await status(h)).status).toBe("awaiting_confirmation");
    expect((await resolve(h.url, { claim })).status).toBe(202);
  });
});

describe("what the owner reads and is pushed never carries the payload", () => {
  it("status, long-poll and every WebSocket message through claim, approve and redeem", async () => {
    const h = await createHandoff(victimKey, { payload: SECRET, confirm: "pc" });
    const ws = await call(`/v1/handoffs/${h.id}/events?watch=${h.watch}`, {
      headers: { upgrade: "websocket" },
    });
    expect(ws.status).toBe(101);
    const socket = ws.webSocket!;
    const texts: string[] = [];
    socket.addEventListener("message", (e) => {
      texts.push(String(e.data));
    });
    socket.accept();
    const claimed = await resolve(h.url);
    const { claim } = (await claimed.json()) as { claim: string };
    socket.send("status?");
    await eventually(() => texts.length >= 4, "pending, scanned, awaiting, asked");
    const reads = [
      await call(`/v1/handoffs/${h.id}?watch=${h.watch}`),
      await call(`/v1/handoffs/${h.id}?watch=${h.watch}&wait=1&since=scanned`),
      await call(`/v1/handoffs/${h.id}`, { key: victimKey }),
      await call(`/v1/handoffs/${h.id}/approve`, { method: "POST", json: { watch: h.watch } }),
    ];
    expect((await resolve(h.url, { claim })).status).toBe(200);
    await eventually(() => texts.some((t) => t.includes('"redeemed"')), "redeemed");
    const seen = [...texts, ...(await Promise.all(reads.map((r) => r.text())))];
    for (const text of seen) {
      expect(text).not.toContain("victim-session-secret");
      expect(text).not.toContain(claim);
      expect(text).not.toContain(h.watch);
    }
  });
});
