// Red team: no secret of a handoff reaches a hop row (the hop log, its export, the webhooks fed
// from it), even when every Referer and every URL an attacker can shape carries them — the
// counterpart of the login's in redteam-login-xdevice.test.ts. A confirm: "pc" handoff walks
// through create, QR image, landing page, claim, the PC's watch and approval, and redemption.
import { describe, expect, it } from "vitest";
import { ANDROID_APP_UA, DESKTOP_UA, IPHONE_UA } from "./handoffs-helpers";
import { BASE, hopCapturingWorker, mintSecretKey } from "./helpers";

describe("no secret of a handoff reaches a hop row", () => {
  it("token, watch, claim and payload: through every step, with every Referer carrying them", async () => {
    const backend = await mintSecretKey();
    const { send, rows } = hopCapturingWorker();
    const req = (path: string, init: { json?: unknown; headers?: Record<string, string> }) =>
      send(
        new Request(`${BASE}${path}`, {
          method: init.json === undefined ? "GET" : "POST",
          headers: {
            ...(init.json === undefined ? {} : { "content-type": "application/json" }),
            ...init.headers,
          },
          body: init.json === undefined ? undefined : JSON.stringify(init.json),
        }),
      );
    const payload = { session_secret: "payload-secret-7f3a9c" };
    const created = await req("/v1/handoffs", {
      json: { confirm: "pc", payload },
      headers: {
        authorization: `Bearer ${backend}`,
        "user-agent": DESKTOP_UA,
        referer: "https://shop.example/cart?coupon=x",
      },
    });
    expect(created.status).toBe(201);
    const h = (await created.json()) as { id: string; url: string; watch: string };
    const token = h.url.slice(h.url.lastIndexOf("/") + 1);
    const leaky = `https://shop.example/pc?watch=${h.watch}&token=${token}`;
    expect((await req(`/qr/h/${token}.svg`, { headers: { referer: leaky } })).status).toBe(200);
    // The page a phone's browser opens, with the link in its own URL and a Referer.
    const page = await req(`/h/${token}?watch=${h.watch}`, {
      headers: { "user-agent": IPHONE_UA, referer: leaky },
    });
    expect(page.status).toBe(200);
    const claimed = await req("/v1/resolve", {
      json: { url: `${h.url}?watch=${h.watch}` },
      headers: { "user-agent": ANDROID_APP_UA, referer: leaky },
    });
    expect(claimed.status).toBe(202);
    const { claim } = (await claimed.json()) as { claim: string };
    const watched = await req(`/v1/handoffs/${h.id}?watch=${h.watch}`, {
      headers: { referer: `https://shop.example/pc?claim=${claim}` },
    });
    expect(watched.status).toBe(200);
    const approved = await req(`/v1/handoffs/${h.id}/approve`, {
      json: { watch: h.watch },
      headers: { referer: leaky },
    });
    expect(approved.status).toBe(200);
    const redeemed = await req("/v1/resolve", {
      json: { url: h.url, claim },
      headers: { "user-agent": ANDROID_APP_UA, referer: `https://x.example/?claim=${claim}` },
    });
    expect(redeemed.status).toBe(200);
    expect(await redeemed.json()).toMatchObject({ payload });

    const hops = rows.filter((r) => r.subject_id === h.id).map((r) => r.hop);
    expect(hops).toEqual(expect.arrayContaining(["created", "scanned", "approved", "redeemed"]));
    const text = JSON.stringify(rows);
    // The token's MAC (its last 13 characters) is what makes it a capability; the id is public.
    for (const [name, secret] of Object.entries({
      token: token.slice(-13),
      watch: h.watch,
      claim,
      payload: payload.session_secret,
    })) {
      expect(text.includes(secret), name).toBe(false);
    }
    // What a Referer leaves is its host.
    expect(text).toContain("shop.example");
  });
});
