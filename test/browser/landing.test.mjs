// The landing page of a scanned handoff link under phone, in-app and desktop browsers.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fetchRetrying } from "../../bench/lib.mjs";
import { decodeQrPng, saveScreenshot, USER_AGENTS } from "./lib.mjs";

/** App settings the Worker runs with in these tests (see run.mjs). */
export const APP_VARS = {
  QB_APP_NAME: "Demo App",
  QB_APP_SCHEME: "qrbridge-demo",
  QB_IOS_APP_IDS: "ABCDE12345.com.example.qrbridge",
  QB_APP_STORE_URL: "https://apps.apple.com/app/id000000000",
  QB_ANDROID_PACKAGE: "com.example.qrbridge",
  QB_PLAY_STORE_URL: "https://play.google.com/store/apps/details?id=com.example.qrbridge",
};

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string> }} ctx
 */
export function landingTests(ctx) {
  let secret;
  async function newHandoff() {
    const { url, mintKey } = ctx();
    secret ??= await mintKey({ name: "landing tests", kind: "secret", scopes: ["handoffs:write"] });
    const res = await fetchRetrying(`${url}/v1/handoffs`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ path: "/cart/7", metadata: { title: "Your cart" } }),
    });
    assert.equal(res.status, 201);
    return res.json();
  }

  /** Open a fresh handoff's link as the given browser; returns the page. */
  async function openAs(agent, viewport, options = {}) {
    const handoff = await newHandoff();
    const context = await ctx().browser.newContext({
      userAgent: USER_AGENTS[agent],
      viewport,
      ...options,
    });
    const page = await context.newPage();
    const res = await page.goto(handoff.url);
    assert.equal(res.status(), 200);
    return { page, handoff, context };
  }

  const phone = { width: 390, height: 844 };
  const actions = (page) =>
    page
      .locator("a[data-action]")
      .evaluateAll((as) =>
        as.map((a) => ({ action: a.dataset.action, href: a.getAttribute("href") })),
      );

  describe("landing page of a handoff link", () => {
    it("iPhone: 'Open in Demo App' through the custom scheme, then the App Store", async () => {
      const { page, context } = await openAs("iphone", phone, { isMobile: true, hasTouch: true });
      const list = await actions(page);
      assert.equal(list[0].action, "scheme");
      assert.match(list[0].href, /^qrbridge-demo:\/\/\/?cart\/7\?qb_link=HTTP/);
      assert.ok(list.some((a) => a.action === "app_store"));
      assert.ok(!list.some((a) => a.action === "intent" || a.action === "play_store"));
      assert.match(await page.locator("a[data-action=scheme]").textContent(), /Demo App/);
      assert.equal(await page.locator("[data-mode=open-in-browser]").count(), 0);
      saveScreenshot("landing-iphone", await page.screenshot({ fullPage: true }));
      await context.close();
    });

    it("Android: an intent: URL for the package, then Google Play", async () => {
      const { page, context } = await openAs("android", phone, { isMobile: true, hasTouch: true });
      const list = await actions(page);
      assert.equal(list[0].action, "intent");
      assert.match(list[0].href, /^intent:\/\/.*package=com\.example\.qrbridge/);
      assert.ok(list.some((a) => a.action === "play_store"));
      assert.ok(!list.some((a) => a.action === "app_store"));
      saveScreenshot("landing-android", await page.screenshot({ fullPage: true }));
      await context.close();
    });

    it("Android: the Google Play link carries a signed referrer that redeems the handoff", async () => {
      const { page, handoff, context } = await openAs("android", phone, {
        isMobile: true,
        hasTouch: true,
      });
      const play = new URL(await page.locator("a[data-action=play_store]").getAttribute("href"));
      assert.equal(play.hostname, "play.google.com");
      const referrer = play.searchParams.get("referrer");
      assert.match(referrer, /^qb_ref=H[0-9A-Z]{42}$/);
      // The intent's fallback, where Chrome goes without the app, is the same Play link.
      const intent = await page.locator("a[data-action=intent]").getAttribute("href");
      const fallback = decodeURIComponent(/S\.browser_fallback_url=([^;]*);/.exec(intent)[1]);
      assert.equal(fallback, play.toString());
      // After installing, the app hands the referrer over exactly as Google Play returns it.
      const resolve = () =>
        fetchRetrying(`${ctx().url}/v1/resolve`, {
          method: "POST",
          headers: { "content-type": "application/json", "user-agent": "okhttp/4.12.0" },
          body: JSON.stringify({ referrer }),
        });
      const first = await resolve();
      assert.equal(first.status, 200);
      const body = await first.json();
      assert.equal(body.id, handoff.id);
      assert.equal(body.path, "/cart/7");
      assert.equal((await resolve()).status, 409);
      await context.close();
    });

    it("iPhone: the Smart App Banner tag with the app id and the bridge link", async () => {
      const { page, handoff, context } = await openAs("iphone", phone, {
        isMobile: true,
        hasTouch: true,
      });
      const content = await page.locator('meta[name="apple-itunes-app"]').getAttribute("content");
      const [appId, argument] = content.split(", ");
      assert.equal(appId, "app-id=000000000");
      assert.equal(argument, `app-argument=${handoff.url}?qb_via=smart_banner`);
      await context.close();
    });

    it("WeChat: the open-in-browser guide and copy link, no app button that would fail", async () => {
      const { page, context } = await openAs("wechat", phone, { isMobile: true, hasTouch: true });
      const guide = page.locator("[data-mode=open-in-browser]");
      assert.equal(await guide.isVisible(), true);
      const list = await actions(page);
      assert.ok(
        !list.some((a) => ["scheme", "intent", "universal"].includes(a.action)),
        JSON.stringify(list),
      );
      assert.equal(await page.locator("button[data-copy]").isVisible(), true);
      saveScreenshot("landing-wechat", await page.screenshot({ fullPage: true }));
      await context.close();
    });

    it("logs nothing to the console: no unknown Permissions-Policy feature, no favicon 404", async () => {
      const handoff = await newHandoff();
      const context = await ctx().browser.newContext({ userAgent: USER_AGENTS.android });
      const page = await context.newPage();
      const logged = [];
      page.on("console", (m) => {
        if (m.type() === "warning" || m.type() === "error") logged.push(`${m.type()}: ${m.text()}`);
      });
      // The browser fetches the favicon itself, out of the page's sight: only CDP sees it.
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      const favicon = new Promise((resolve) =>
        cdp.on("Network.responseReceived", ({ response }) => {
          if (new URL(response.url).pathname === "/favicon.ico") resolve(response.status);
        }),
      );
      assert.equal((await page.goto(handoff.url)).status(), 200);
      assert.equal(await favicon, 204);
      assert.deepEqual(logged, []);
      await context.close();
    });

    it("desktop: the QR to scan with the phone, decoding to the same link", async () => {
      const { page, handoff, context } = await openAs("desktop", { width: 1280, height: 900 });
      const img = page.locator("img.qr");
      assert.equal(await img.isVisible(), true);
      await page.waitForFunction(() => document.querySelector("img.qr").complete);
      assert.equal(decodeQrPng(await img.screenshot()), handoff.url);
      // The phone actions exist only for touch devices that look like a Mac (iPad): hidden here.
      assert.equal(await page.locator("[data-touch-only]").isVisible(), false);
      saveScreenshot("landing-desktop", await page.screenshot({ fullPage: true }));
      await context.close();
    });
  });
}
