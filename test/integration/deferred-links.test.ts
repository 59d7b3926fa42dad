// Into the app when it is not installed yet: the Play install referrer on the landing page's
// Google Play links resolves like the link it stands for; the iOS Smart App Banner (and App
// Clip) tags; how the app was reached on `app_open`, and the funnel grouped by it.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createBridge } from "../../src/bridge";
import { signToken } from "../../src/core/token";
import type { Env } from "../../src/env";
import { optionsFromEnv } from "../../src/env-options";
import { waitForFunnel } from "./funnel-helpers";
import { createHandoff, tokenOf } from "./handoffs-helpers";
import { BASE, call, mintSecretKey, testKeyring } from "./helpers";
import { waitForHops } from "./hop-helpers";
import { IPHONE, makePoster, scan } from "./poster-helpers";

const ANDROID =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
const ANDROID_APP = "okhttp/4.12.0 AcmeApp/3.1 (Linux; Android 14; Pixel 8)";
const IOS_APP = "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0";
const ring = await testKeyring();

const resolve = (json: Record<string, unknown>, ua = ANDROID_APP) =>
  call("/v1/resolve", { method: "POST", json, headers: { "user-agent": ua } });
const fromHtml = (s: string) => s.replace(/&amp;/g, "&");

/** The hrefs of a page's Google Play button and of its `intent:` fallback. */
function playLinks(html: string): { button: string; fallback: string } {
  const button = /href="([^"]*)" data-action="play_store"/.exec(html)?.[1];
  const intent = /href="(intent:[^"]*)"/.exec(html)?.[1];
  if (!button || !intent) throw new Error("no Google Play button or intent link on the page");
  const fallback = /S\.browser_fallback_url=([^;]*);/.exec(fromHtml(intent))![1]!;
  return { button: fromHtml(button), fallback: decodeURIComponent(fallback) };
}

/** The referrer string Google Play hands the app: the Play URL's `referrer`, decoded once. */
function referrerOf(playUrl: string): string {
  const url = new URL(playUrl);
  expect(url.hostname).toBe("play.google.com");
  expect(url.searchParams.get("id")).toBe("com.example.qrbridge");
  return url.searchParams.get("referrer")!;
}

const detailVia = (h: { detail: Record<string, unknown> | null }) => h.detail?.via;

describe("Play install referrer: handoffs", () => {
  it("the landing page's Play links carry a referrer that redeems the handoff once", async () => {
    const key = await mintSecretKey();
    const h = await createHandoff(key, { path: "/cart/9", payload: { cart: 9 } });
    const page = await call(`/h/${tokenOf(h)}`, { headers: { "user-agent": ANDROID } });
    expect(page.status).toBe(200);
    const { button, fallback } = playLinks(await page.text());
    // The intent's fallback (the app is missing) is Google Play with the same referrer.
    expect(fallback).toBe(button);
    const referrer = referrerOf(button);
    // The handoff's own token: the referrer resolves exactly as the link.
    expect(referrer).toBe(`qb_ref=H${tokenOf(h)}`);

    const first = await resolve({ referrer });
    expect(first.status).toBe(200);
    const answer = (await first.json()) as { session: string };
    expect(answer).toMatchObject({
      kind: "handoff",
      id: h.id,
      path: "/cart/9",
      payload: { cart: 9 },
    });
    // Still only once: the referrer again, or the link itself.
    const again = await resolve({ referrer });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toBe("already_redeemed");
    expect((await resolve({ url: h.url })).status).toBe(409);

    // The referrer alone reports nothing (it is the link, which the PC's screen showed); the
    // credential the referrer's resolve answered does: the open counts as install_referrer.
    const report = (json: Record<string, unknown>) =>
      call("/v1/events", { method: "POST", json, headers: { "user-agent": ANDROID_APP } });
    expect((await report({ referrer, type: "app_open" })).status).toBe(403);
    const open = await report({ session: answer.session, type: "app_open" });
    expect(open.status).toBe(202);
    const [redeemed] = await waitForHops({ subject_id: h.id, hop: "redeemed" }, 1);
    const [opened] = await waitForHops({ subject_id: h.id, hop: "app_open" }, 1);
    expect(detailVia(redeemed!)).toBe("install_referrer");
    expect(detailVia(opened!)).toBe("install_referrer");
    expect(opened!.platform).toBe("android");
  });

  it("a referrer keeps any referrer the configured Play URL already had", async () => {
    const bridge = createBridge((e) => ({
      ...optionsFromEnv(e),
      apps: {
        ...optionsFromEnv(e).apps,
        playStoreUrl:
          "https://play.google.com/store/apps/details?id=com.example.qrbridge&referrer=utm_source%3Dposter",
      },
    }));
    const h = await createHandoff(await mintSecretKey());
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as never;
    const res = await bridge.fetch(
      new Request(`${BASE}/h/${tokenOf(h)}`, { headers: { "user-agent": ANDROID } }),
      env as Env,
      ctx,
    );
    const referrer = referrerOf(playLinks(await res.text()).button);
    expect(referrer).toMatch(/^utm_source=poster&qb_ref=H[0-9A-Z]{42}$/);
    // The whole string, exactly as the Install Referrer API returns it, resolves.
    expect((await resolve({ referrer })).status).toBe(200);
  });
});

describe("Play install referrer: posters", () => {
  it("resolves to the poster with the attribution of the landing page's visit", async () => {
    const p = await makePoster({ path: "/menu/lunch", campaign: "Referrer campaign" });
    const html = await (await scan(`/p/${p.code}`, ANDROID)).text();
    const session = /[?&]s=([0-9A-Z]{42})/.exec(html)![1]!;
    const referrer = referrerOf(playLinks(html).button);
    expect(referrer).toBe(`qb_ref=S${session}`);

    for (let i = 0; i < 2; i++) {
      const res = await resolve({ referrer });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        kind: "poster",
        id: p.id,
        path: "/menu/lunch",
        params: {},
        attribution: {
          poster_id: p.id,
          store_id: null,
          store_name: null,
          campaign_id: p.campaign_id,
          session,
          session_expires_at: expect.any(Number),
        },
      });
    }
    // One scan, one landing, one app open (however often it resolves), reached by the referrer.
    const f = await waitForFunnel(p.id, (t) => t.app_open >= 1, "via");
    expect(f.totals.scanned).toBe(1);
    expect(f.totals.app_open).toBe(1);
    const byVia = Object.fromEntries(f.rows.map((r) => [r.group, r.app_open]));
    expect(byVia.install_referrer).toBe(1);
  });
});

describe("Play install referrer: refused", () => {
  it("a forged referrer is a 400 naming the field, and redeems nothing", async () => {
    const now = Math.floor(Date.now() / 1000);
    const h = await createHandoff(await mintSecretKey());
    const good = `qb_ref=H${tokenOf(h)}`;
    const last = good.at(-1) === "0" ? "1" : "0";
    const session = (await signToken(ring, "s", { expiresAt: now + 600 })).token;
    const login = (await signToken(ring, "l", { expiresAt: now + 600 })).token;
    const forged = [
      good.slice(0, -1) + last, // one character of the MAC changed
      `qb_ref=S${tokenOf(h)}`, // the handoff's token passed off as a poster visit's session
      `qb_ref=H${session}`, // a session passed off as a handoff
      `qb_ref=H${login}`, // a QR login token
      "utm_source=google&utm_medium=cpc", // no referrer of ours
    ];
    for (const referrer of forged) {
      const res = await resolve({ referrer });
      expect(res.status, referrer).toBe(400);
      const body = (await res.json()) as { error: string; details: { field: string } };
      expect(body.error).toBe("invalid_token");
      expect(body.details.field).toBe("referrer");
    }
    // The real one still works: nothing above touched the handoff.
    expect((await resolve({ referrer: good })).status).toBe(200);
  });

  it("an expired referrer is a 410 expired, as its link would be", async () => {
    const now = Math.floor(Date.now() / 1000);
    // A handoff token past any redeem window, and a session past its 7 days.
    const handoff = (await signToken(ring, "h", { expiresAt: now - 86_400 })).token;
    const session = (await signToken(ring, "s", { expiresAt: now - 1 })).token;
    for (const referrer of [`qb_ref=H${handoff}`, `qb_ref=S${session}`]) {
      const res = await resolve({ referrer });
      expect(res.status, referrer).toBe(410);
      expect(((await res.json()) as { error: string }).error).toBe("expired");
    }
  });

  it("url and referrer together, or neither, is a 400", async () => {
    const h = await createHandoff(await mintSecretKey());
    for (const json of [{ url: h.url, referrer: `qb_ref=H${tokenOf(h)}` }, {}]) {
      const res = await resolve(json);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe("validation_failed");
    }
  });
});

describe("iOS: Smart App Banner and App Clip", () => {
  it("an iPhone's landing page names the app, the bridge link and the App Clip", async () => {
    const p = await makePoster();
    const html = await (await scan(`/p/${p.code}`, IPHONE)).text();
    const session = /[?&]s=([0-9A-Z]{42})/.exec(html)![1]!;
    const meta = /<meta name="apple-itunes-app" content="([^"]*)">/.exec(html)![1]!;
    expect(fromHtml(meta)).toBe(
      `app-id=1234567890, app-argument=${p.url}?s=${session}&qb_via=smart_banner, app-clip-bundle-id=com.example.qrbridge.Clip, app-clip-display=card`,
    );
    // Android gets no banner tag.
    expect(await (await scan(`/p/${p.code}`, ANDROID)).text()).not.toContain("apple-itunes-app");
  });

  it("no banner tag without an App Store id configured", async () => {
    const bridge = createBridge((e) => {
      const o = optionsFromEnv(e);
      return { ...o, apps: { ...o.apps, appStoreUrl: undefined } };
    });
    const p = await makePoster();
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as never;
    const res = await bridge.fetch(
      new Request(`${BASE}/p/${p.code}`, { headers: { "user-agent": IPHONE } }),
      env as Env,
      ctx,
    );
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain("apple-itunes-app");
  });

  it("the association file lists the App Clip in its appclips section", async () => {
    const res = await call("/.well-known/apple-app-site-association");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.appclips).toEqual({ apps: ["ABCDE12345.com.example.qrbridge.Clip"] });
    expect(Object.keys(body).sort()).toEqual(["appclips", "applinks"]);
  });
});

describe("how the app was reached", () => {
  it("app_open carries the path, and the funnel groups by it", async () => {
    const p = await makePoster();
    const visit = async () => {
      const html = await (await scan(`/p/${p.code}`, IPHONE)).text();
      return `${p.url}?s=${/[?&]s=([0-9A-Z]{42})/.exec(html)![1]!}`;
    };
    const paths: [Record<string, unknown>, string][] = [
      [{ url: `${await visit()}&qb_via=clipboard` }, "clipboard"],
      [{ url: `${await visit()}&qb_via=smart_banner` }, "smart_banner"],
      [{ url: `acme:///menu?qb_link=${encodeURIComponent(await visit())}` }, "scheme"],
      [{ url: await visit(), via: "app_clip" }, "app_clip"],
      [{ url: p.url, via: "manual_code" }, "manual_code"],
      [{ url: p.url }, "direct"],
      [{ url: await visit() }, "page"],
    ];
    for (const [json] of paths) expect((await resolve(json, IOS_APP)).status).toBe(200);
    const opens = await waitForHops({ poster_id: p.id, hop: "app_open" }, paths.length);
    expect(opens.map(detailVia).sort()).toEqual(paths.map(([, v]) => v).sort());
    const f = await waitForFunnel(p.id, (t) => t.app_open >= paths.length, "via");
    const byVia = Object.fromEntries(f.rows.map((r) => [r.group, r.app_open]));
    for (const [, v] of paths) expect(byVia[v], v).toBe(1);
  });

  it("a stated path outside the list is a 400", async () => {
    const p = await makePoster();
    const res = await resolve({ url: p.url, via: "fingerprint" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { details: { field: string } }).details.field).toBe("via");
  });
});
