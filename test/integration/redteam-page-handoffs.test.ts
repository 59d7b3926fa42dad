// Red team: a publishable key is public (it sits in the company's page), and `Origin` is a
// header any script sets. With it an attacker makes handoffs of its own — its session as the
// payload, the company's branding on the landing page — and sends the QR to a victim, whose app
// would sign in to the attacker's account (session fixation into the app). The bridge cannot
// refuse such a handoff (the page's own handoffs are made the same way), so the app must be able
// to tell: every redeemed handoff says who made it, and only a server's is `server`.
import { beforeAll, describe, expect, it } from "vitest";
import { createAppClient } from "../../src/client/app";
import { ANDROID_APP_UA, createHandoff, resolve } from "./handoffs-helpers";
import { ADMIN_KEY, call, mintKey, mintSecretKey } from "./helpers";

const SHOP = "https://shop.example";
let pk: string;
let server: string;
beforeAll(async () => {
  [pk, server] = await Promise.all([
    mintKey("publishable", ["handoffs:write"], [SHOP]),
    mintSecretKey(),
  ]);
});

/** The attacker's script: the company's publishable key, a forged Origin, its own payload. */
async function attackerCreates(): Promise<{ url: string }> {
  const res = await call("/v1/handoffs", {
    method: "POST",
    key: pk,
    headers: { origin: SHOP, "user-agent": "curl/8.5.0" },
    json: {
      path: "/account",
      payload: { session: "attacker-session" },
      metadata: { title: "Continue your order" },
    },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { url: string };
}

describe("who made a handoff is part of what the app gets", () => {
  it("a handoff made with the publishable key says created_by: page", async () => {
    const h = await attackerCreates();
    const res = await resolve(h.url);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      payload: { session: "attacker-session" },
      created_by: "page",
    });
  });

  it("one made by the company's server (secret key, or the admin key) says created_by: server", async () => {
    for (const key of [server, ADMIN_KEY]) {
      const h = await createHandoff(key, { payload: { session: "real" } });
      const res = await resolve(h.url);
      expect(await res.json()).toMatchObject({
        payload: { session: "real" },
        created_by: "server",
      });
    }
  });

  it("the app client hands it on, so the app can refuse a page's payload as a session", async () => {
    const client = createAppClient({
      baseUrl: "https://qr.test",
      fetch: (url, init) => call(String(url), init),
      headers: { "user-agent": ANDROID_APP_UA },
    });
    const forged = await client.resolve((await attackerCreates()).url);
    expect(forged).toMatchObject({ kind: "handoff", created_by: "page" });
    const real = await client.resolve((await createHandoff(server, { payload: 1 })).url);
    expect(real).toMatchObject({ kind: "handoff", created_by: "server" });
  });
});
