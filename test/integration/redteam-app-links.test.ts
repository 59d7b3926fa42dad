// Red team, the links a landing page hands to the app: a handoff path carrying its own
// `#Intent;…` parameters, control characters, or a `qb_link` of the attacker's, so that the
// app opened by the custom-scheme or intent button resolves (or logs in to) the attacker's code.
import { describe, expect, it } from "vitest";
import { createHandoff, tokenOf } from "./handoffs-helpers";
import { BASE, call, hopCapturingWorker, mintKey, mintSecretKey } from "./helpers";
import { createLogin, scanLogin } from "./logins-helpers";

const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
const ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36";
const ANDROID_APP = "okhttp/4.12.0 AcmeApp/3.1 (Linux; Android 14; Pixel 8)";
const SHOP = "https://shop.test";

const fromHtml = (s: string) =>
  s
    .replace(/&amp;/g, "&")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"');
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => fromHtml(m[1]!));

/** The landing page's links for a handoff, as a phone's browser gets them. */
async function landingLinks(token: string, ua: string): Promise<string[]> {
  const res = await call(`/h/${token}`, { headers: { "user-agent": ua } });
  expect(res.status).toBe(200);
  return hrefs(await res.text());
}

/** A handoff made the way a stranger can: the shop's public publishable key, from its origin. */
async function publicHandoff(body: Record<string, unknown>): Promise<Response> {
  const key = await mintKey("publishable", ["handoffs:write"], [SHOP]);
  return call("/v1/handoffs", { method: "POST", key, json: body, headers: { origin: SHOP } });
}

describe("a handoff path on the landing page's app links", () => {
  it("a path with its own #Intent;… cannot add intent parameters or a fallback", async () => {
    const res = await publicHandoff({
      path: "/x#Intent;scheme=https;package=com.evil.app;S.browser_fallback_url=https%3A%2F%2Fevil.example;end",
    });
    expect(res.status).toBe(201);
    const token = tokenOf((await res.json()) as never);
    const links = await landingLinks(token, ANDROID);
    const intents = links.filter((l) => l.startsWith("intent:"));
    expect(intents.length).toBeGreaterThan(0);
    for (const intent of intents) {
      expect(intent.split("#Intent;").length).toBe(2);
      const params = intent.slice(intent.indexOf("#Intent;"));
      expect(params).toContain(";package=com.example.qrbridge;");
      expect(params).not.toContain("evil");
    }
    for (const l of links) expect(decodeURIComponent(l)).not.toMatch(/^(https?:)?\/\/evil/);
  });

  it("a path hiding a newline or a scheme is refused when the handoff is made", async () => {
    for (const path of [
      "/x%0aLocation:%20https://evil.example",
      "/x\n",
      "javascript:alert(1)",
      "//evil.example/x",
    ]) {
      const res = await publicHandoff({ path });
      expect(res.status).toBe(400);
    }
  });

  it("a qb_link smuggled in the path does not make the app redeem the attacker's handoff", async () => {
    const key = await mintSecretKey();
    // The attacker's own handoff, made by the shop's server for the attacker's account.
    const attacker = await createHandoff(key, {
      path: "/account",
      payload: { session: "attacker" },
    });
    // The victim's PC page continues "this page" in the app, and the page's URL came from the
    // attacker's link: its query carries a qb_link of the attacker's.
    const victim = await createHandoff(key, {
      path: `/product/1?qb_link=${encodeURIComponent(attacker.url)}`,
      payload: { session: "victim" },
    });
    const links = await landingLinks(tokenOf(victim), IPHONE);
    const scheme = links.find((l) => l.startsWith("qrbridge-demo:"));
    expect(scheme).toBeDefined();
    // The app hands over the URL the OS opened it with, exactly as documented.
    const res = await call("/v1/resolve", {
      method: "POST",
      json: { url: scheme },
      headers: { "user-agent": ANDROID_APP },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: victim.id, payload: { session: "victim" } });
    // The attacker's handoff is still there for the attacker.
    const own = await call("/v1/resolve", {
      method: "POST",
      json: { url: attacker.url },
      headers: { "user-agent": ANDROID_APP },
    });
    expect(own.status).toBe(200);
  });

  it("a QR login link smuggled in the path is not what the app scans to log in", async () => {
    const key = await mintSecretKey();
    const login = await createLogin(key);
    const victim = await createHandoff(key, {
      path: `/product/2?qb_link=${encodeURIComponent(login.url)}`,
    });
    const links = await landingLinks(tokenOf(victim), ANDROID);
    const intent = links.find((l) => l.startsWith("intent:"))!;
    // What Android hands the app: the intent's data URI, scheme restored.
    const data = `qrbridge-demo:${intent.slice("intent:".length, intent.indexOf("#Intent;"))}`;
    const res = await scanLogin(data);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_url");
  });

  it("a qb_via smuggled in the path does not relabel a custom-scheme open", async () => {
    const key = await mintSecretKey();
    const victim = await createHandoff(key, { path: "/product/3?qb_via=app_clip" });
    const links = await landingLinks(tokenOf(victim), IPHONE);
    const scheme = links.find((l) => l.startsWith("qrbridge-demo:"))!;
    const w = hopCapturingWorker();
    const res = await w.send(
      new Request(`${BASE}/v1/resolve`, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": ANDROID_APP },
        body: JSON.stringify({ url: scheme }),
      }),
    );
    expect(res.status).toBe(200);
    const [redeemed] = w.rows.filter((r) => r.hop === "redeemed");
    expect(JSON.parse(redeemed!.detail!)).toMatchObject({ via: "scheme" });
  });
});
