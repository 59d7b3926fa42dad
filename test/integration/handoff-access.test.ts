// Who may act on an existing handoff. The attack: everything a visitor of the PC page has — the
// publishable key (it is in the page), any `Origin` (a header curl sets), and the handoff id
// (the first 20 characters of the token in the QR) — must not let a phone approve itself.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { createHandoff, resolve, tokenOf } from "./handoffs-helpers";
import { ADMIN_KEY, call } from "./helpers";

const E = env as unknown as Env;
const SHOP = "https://shop.test";

/** A publishable key for handoffs from SHOP, with its id (the id the handoff records). */
async function publishableKey(): Promise<{ key: string; id: string }> {
  const res = await call("/v1/keys", {
    method: "POST",
    key: ADMIN_KEY,
    json: { name: "page", kind: "publishable", scopes: ["handoffs:write"], origins: [SHOP] },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { key: string; id: string };
}

/** What the PC page does: create a confirm:"pc" handoff with the publishable key. */
async function pageCreates(pk: string) {
  const res = await call("/v1/handoffs", {
    method: "POST",
    key: pk,
    headers: { origin: SHOP },
    json: { confirm: "pc", payload: { session: "pc-session-secret" } },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Awaited<ReturnType<typeof createHandoff>>;
}

const error = async (res: Response) => ((await res.json()) as { error: string }).error;

describe("a publishable key only creates", () => {
  it('the scanner cannot approve a confirm:"pc" handoff with the page\'s publishable key', async () => {
    const { key: pk } = await publishableKey();
    const h = await pageCreates(pk);
    // The attacker's phone scans the QR: it knows the URL, hence the id.
    const id = tokenOf(h).slice(0, 20);
    const claimed = await resolve(h.url);
    expect(claimed.status).toBe(202);
    const { status, claim } = (await claimed.json()) as { status: string; claim: string };
    expect(status).toBe("awaiting_confirmation");
    expect(claim).toBeTruthy();

    // The attack: approve with the public key and a forged allowed Origin.
    const approve = await call(`/v1/handoffs/${id}/approve`, {
      method: "POST",
      key: pk,
      headers: { origin: SHOP },
    });
    expect(approve.status).toBe(403);
    expect(await error(approve)).toBe("forbidden");
    // Nothing moved: the claimant still waits, the payload stays on the server.
    const still = await resolve(h.url, { claim });
    expect(still.status).toBe(202);
    expect(await still.text()).not.toContain("pc-session-secret");

    // The PC page approves with its watch secret: the claimant gets the payload exactly once.
    const ok = await call(`/v1/handoffs/${id}/approve`, {
      method: "POST",
      json: { watch: h.watch },
    });
    expect(ok.status).toBe(200);
    const done = await resolve(h.url, { claim });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ payload: { session: "pc-session-secret" } });
    const again = await resolve(h.url, { claim });
    expect(again.status).toBe(409);
    expect(await error(again)).toBe("already_redeemed");
  });

  it("deny, status, long-poll, cancel and the WebSocket refuse the publishable key (403)", async () => {
    const { key: pk } = await publishableKey();
    const h = await pageCreates(pk);
    const id = tokenOf(h).slice(0, 20);
    const asPage = { key: pk, headers: { origin: SHOP } };
    expect((await resolve(h.url)).status).toBe(202);
    const attempts: [string, RequestInit & { key: string }][] = [
      [`/v1/handoffs/${id}/deny`, { ...asPage, method: "POST" }],
      [`/v1/handoffs/${id}`, asPage],
      [`/v1/handoffs/${id}?wait=1`, asPage],
      [`/v1/handoffs/${id}`, { ...asPage, method: "DELETE" }],
      [`/v1/handoffs/${id}/events`, { key: pk, headers: { origin: SHOP, upgrade: "websocket" } }],
    ];
    for (const [path, init] of attempts) {
      const res = await call(path, init);
      expect(res.status, `${init.method ?? "GET"} ${path}`).toBe(403);
      expect(await error(res)).toBe("forbidden");
    }
    // The handoff is untouched, and its watch secret still works.
    const seen = await call(`/v1/handoffs/${id}?watch=${h.watch}`);
    expect(seen.status).toBe(200);
    expect(await seen.json()).toMatchObject({ status: "awaiting_confirmation" });
    const ws = await call(`/v1/handoffs/${id}/events?watch=${h.watch}`, {
      headers: { upgrade: "websocket" },
    });
    expect(ws.status).toBe(101);
    ws.webSocket!.accept();
    ws.webSocket!.close();
  });

  it("the object itself refuses a publishable key's id, even if a caller passed it on", async () => {
    const { key: pk, id: keyId } = await publishableKey();
    const h = await pageCreates(pk);
    expect((await resolve(h.url)).status).toBe(202);
    const stub = E.HANDOFF.get(E.HANDOFF.idFromName(h.id));
    for (const access of [{ keyId }, { keyId, keyKind: "publishable" as const }]) {
      expect(await stub.approve(access)).toMatchObject({ ok: false, error: "forbidden" });
      expect(await stub.get(access)).toMatchObject({ ok: false, error: "forbidden" });
      expect(await stub.cancel(access)).toMatchObject({ ok: false, error: "forbidden" });
    }
    expect(await stub.get({ keyId, keyKind: "secret" })).toMatchObject({ ok: true });
  });

  it("a publishable key still creates, and a secret key still watches what it created", async () => {
    const { key: pk } = await publishableKey();
    const h = await pageCreates(pk);
    expect(h.status).toBe("pending");
    const sk = await call("/v1/keys", {
      method: "POST",
      key: ADMIN_KEY,
      json: { name: "server", kind: "secret", scopes: ["handoffs:write"] },
    });
    const secret = ((await sk.json()) as { key: string }).key;
    const mine = await createHandoff(secret, { confirm: "pc" });
    expect((await call(`/v1/handoffs/${mine.id}`, { key: secret })).status).toBe(200);
    // A secret key never opens a handoff some other key created.
    expect((await call(`/v1/handoffs/${h.id}`, { key: secret })).status).toBe(403);
  });
});
