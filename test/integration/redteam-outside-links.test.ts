// Red team from outside: with QB_PUBLIC_URL set, no link the bridge builds comes from the request.
// A request may reach the Worker at another of its hosts (its workers.dev name, a second route)
// and carry any Host-like header; the QR payloads, deep links, app banners, WebSocket URLs and
// redirects must all name the configured public URL, never what the request says.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createBridge } from "../../src/bridge";
import { s256Challenge } from "../../src/core/login-ticket";
import type { Env } from "../../src/env";
import { optionsFromEnv } from "../../src/env-options";
import { DESKTOP_UA, IPHONE_UA } from "./handoffs-helpers";
import { mintSecretKey } from "./helpers";
import { newVerifier } from "./logins-helpers";

const PUBLIC = "https://qr.example.com";
/** The host the request arrives at, and the one its headers claim. */
const SERVED = "https://qrbridge-attacker.workers.dev";
const CLAIMED = "evil.example";
const FORGED = {
  "x-forwarded-host": CLAIMED,
  "x-forwarded-proto": "http",
  forwarded: `host=${CLAIMED};proto=http`,
  "x-original-url": `http://${CLAIMED}/`,
  "x-host": CLAIMED,
};

const bridge = createBridge((e) => ({ ...optionsFromEnv(e), publicUrl: PUBLIC }));

async function send(path: string, init: RequestInit & { key?: string; json?: unknown } = {}) {
  const headers = new Headers({ ...FORGED, ...(init.headers as Record<string, string>) });
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  const ctx = createExecutionContext();
  const res = await bridge.fetch(
    new Request(`${SERVED}${path}`, { ...init, headers, body }),
    env as unknown as Env,
    ctx,
  );
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { res, text, headers: [...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n") };
}

/** Neither the serving host nor the claimed one appears anywhere in the answer. */
function expectOnlyPublic(what: string, r: { text: string; headers: string }) {
  const all = `${r.headers}\n${r.text}`.toLowerCase();
  expect(all, what).not.toContain("qrbridge-attacker");
  expect(all, what).not.toContain(CLAIMED);
}

describe("links with QB_PUBLIC_URL set, requested at another host with forged host headers", () => {
  it("handoffs, logins and posters: the API's links, QR images and WebSocket URLs", async () => {
    const key = await mintSecretKey();
    const handoff = await send("/v1/handoffs", { method: "POST", key, json: { path: "/cart/1" } });
    expect(handoff.res.status).toBe(201);
    expectOnlyPublic("POST /v1/handoffs", handoff);
    const h = JSON.parse(handoff.text);
    expect(h.url.startsWith("HTTPS://QR.EXAMPLE.COM/H/")).toBe(true);
    expect(h.qr.svg.startsWith(`${PUBLIC}/qr/h/`)).toBe(true);
    expect(h.events_url.startsWith("wss://qr.example.com/")).toBe(true);

    const challenge = await s256Challenge(newVerifier());
    const login = await send("/v1/logins", {
      method: "POST",
      key,
      json: { code_challenge: challenge },
    });
    expect(login.res.status).toBe(201);
    expectOnlyPublic("POST /v1/logins", login);
    const l = JSON.parse(login.text);
    expect(l.url.startsWith("HTTPS://QR.EXAMPLE.COM/L/")).toBe(true);
    expect(l.events_url.startsWith("wss://qr.example.com/")).toBe(true);

    const poster = await send("/v1/posters", {
      method: "POST",
      key,
      json: { name: "Links", path: "/menu" },
    });
    expect(poster.res.status).toBe(201);
    expectOnlyPublic("POST /v1/posters", poster);
    const p = JSON.parse(poster.text);
    expect(p.url.startsWith("HTTPS://QR.EXAMPLE.COM/P/")).toBe(true);
    expectOnlyPublic("GET /v1/posters/:id", await send(`/v1/posters/${p.id}`, { key }));
    expectOnlyPublic("print card", await send(`/v1/posters/${p.id}/print.svg`, { key }));

    // The pages a phone opens: deep links, the universal link, the smart banner, the copy box.
    for (const ua of [IPHONE_UA, DESKTOP_UA]) {
      for (const path of [
        `/p/${p.code}`,
        `/h/${h.url.split("/").pop()}`,
        `/l/${l.url.split("/").pop()}`,
      ]) {
        const page = await send(path, { headers: { "user-agent": ua } });
        expect(page.res.status, path).toBe(200);
        expectOnlyPublic(`${path} (${ua.slice(13, 19)})`, page);
      }
    }
    // The manual-entry redirect is a path on this origin; the app association names no host.
    const manual = await send(`/c?code=${p.code}`, { headers: { "user-agent": IPHONE_UA } });
    expect(manual.res.status).toBe(303);
    expect(manual.res.headers.get("location")?.startsWith("/")).toBe(true);
    expectOnlyPublic("/c", manual);
    expectOnlyPublic("AASA", await send("/.well-known/apple-app-site-association"));
  });
});
