// <qr-bridge> as a customer's site gets it: on another origin than the bridge, under a strict
// Content-Security-Policy (no 'unsafe-inline', a nonce, the bridge named in script-src), with a
// publishable key pinned to the site's origin. The shop (shop-server.mjs) has a checkout page
// and a login page whose backend exchanges the ticket with a secret key; the "phone" is the app
// client (qrbridge/client) or plain requests, as docs/app-integration.md has an app make them.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fetchRetrying } from "../../bench/lib.mjs";
import { decodeQrPng, saveScreenshot, USER_AGENTS } from "./lib.mjs";
import { redteamLangsEmbedTests } from "./redteam-langs-embed.test.mjs";
import { startShop } from "./shop-server.mjs";
import { siteEmbedEdgeTests } from "./site-embed-edges.test.mjs";
import { siteEmbedLangTests } from "./site-embed-langs.test.mjs";
import { siteEmbedLifecycleTests } from "./site-embed-lifecycle.test.mjs";

/** An app's own HTTP stack (iOS URLSession): a person, not a bot. */
const APP_UA = "Acme/1 CFNetwork/1494.0.7 Darwin/23.4.0";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, app: any, mintKey: (body: object) => Promise<string> }} ctx
 */
export function siteEmbedTests(ctx) {
  const keys = {};
  let shop;
  let otherOriginKey;

  /**
   * Open a shop page; resolves once `until` holds in it. Collects console errors (a CSP
   * violation is one) and the bridge's WebSockets.
   */
  async function open(
    path,
    { until = () => window.events.some((e) => e.type === "shown"), clock, setup, ...options } = {},
  ) {
    const context = await ctx().browser.newContext({
      viewport: { width: 1000, height: 700 },
      userAgent: USER_AGENTS.desktop,
      ...options,
    });
    // Routes a test puts in front of the bridge before the page loads (a held or forged answer).
    if (setup) await setup(context);
    const page = await context.newPage();
    const errors = [];
    const sockets = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("websocket", (ws) => {
      sockets.push(ws);
    });
    if (clock) await page.clock.install();
    await page.goto(shop.url + path);
    if (until) await page.waitForFunction(until);
    return { page, errors, sockets, close: () => context.close() };
  }

  const events = (page, type) =>
    page.evaluate((t) => window.events.filter((e) => e.type === t).map((e) => e.detail), type);
  const statusText = (page, id = "qr0") => page.locator(`#${id}`).locator(".s").textContent();
  const redeem = (url) =>
    ctx()
      .app.createAppClient({ baseUrl: ctx().url, headers: { "user-agent": APP_UA } })
      .resolve(url);

  describe("<qr-bridge> on a customer's site (another origin, strict CSP)", () => {
    before(async () => {
      const { url, mintKey } = ctx();
      shop = await startShop({ bridge: url, keys });
      const scopes = ["handoffs:write", "logins:write"];
      [keys.publishable, keys.secret, otherOriginKey] = await Promise.all([
        mintKey({ name: "shop page", kind: "publishable", scopes, origins: [shop.url] }),
        mintKey({ name: "shop backend", kind: "secret", scopes }),
        mintKey({
          name: "another site",
          kind: "publishable",
          scopes,
          origins: ["https://other.example"],
        }),
      ]);
    });
    after(() => shop?.stop());

    it("checkout: the QR renders under the CSP, the phone redeems it, the page hears it over the WebSocket", async () => {
      const { page, errors, sockets, close } = await open("/checkout");
      const handoff = await page.evaluate(() => document.getElementById("qr0").handoff);
      const shot = await page.locator("#qr0 img").screenshot({ animations: "disabled" });
      assert.equal(decodeQrPng(shot), handoff.url);
      assert.equal(await page.locator(".fallback").isVisible(), false);
      assert.match(await statusText(page), /Scan with your phone camera/);
      // The page's own origin is what the key was pinned to: the bridge saw it.
      assert.equal(sockets.length, 1);
      assert.match(sockets[0].url(), new RegExp(`/v1/handoffs/${handoff.id}/events\\?watch=`));
      saveScreenshot("site-checkout", await page.screenshot());

      const r = await redeem(handoff.url);
      assert.equal(r.kind, "handoff");
      assert.equal(r.path, "/cart/42");
      assert.equal(r.created_by, "page");
      await page.waitForFunction(() => document.getElementById("qr0").status === "redeemed");
      const [done] = await events(page, "redeemed");
      assert.equal(done.id, handoff.id);
      assert.equal(done.device.platform, "ios");
      assert.equal(await statusText(page), "Done: opened in the app.");
      assert.equal(await page.locator("#outcome").textContent(), "Continued in the app.");
      assert.deepEqual(errors, []);
      await close();
    });

    it("a CSP whose connect-src names only https (no wss) still works: the watch long-polls", async () => {
      const { page, errors, close } = await open("/checkout?csp=nows");
      const handoff = await page.evaluate(() => document.getElementById("qr0").handoff);
      await redeem(handoff.url);
      await page.waitForFunction(() => document.getElementById("qr0").status === "redeemed");
      // The browser says why the socket was refused, so the site's developer can fix the CSP.
      assert.ok(errors.some((e) => /violates the following Content Security Policy/.test(e)));
      await close();
    });

    it('confirm="pc" across origins: Allow on the shop page lets the waiting phone redeem', async () => {
      const { page, errors, close } = await open("/checkout?confirm=pc");
      const handoff = await page.evaluate(() => document.getElementById("qr0").handoff);
      const phone = ctx().app.createAppClient({
        baseUrl: ctx().url,
        headers: { "user-agent": APP_UA },
      });
      const first = await phone.resolve(handoff.url);
      assert.equal(first.kind, "awaiting_confirmation");
      const allow = page.locator("#qr0 button[data-a=approve]");
      await allow.waitFor({ state: "visible" });
      await allow.click();
      await page.waitForFunction(() => document.getElementById("qr0").status === "approved");
      const done = await phone.resolve(handoff.url, { claim: first.claim });
      assert.equal(done.kind, "handoff");
      await page.waitForFunction(() => document.getElementById("qr0").status === "redeemed");
      assert.deepEqual(errors, []);
      await close();
    });

    it('confirm="pc": a double click on Allow, and an Allow whose answer was lost, show no error', async () => {
      let approves = 0;
      let lose = false;
      const { page, errors, close } = await open("/checkout?confirm=pc", {
        // The first approve of the second handoff reaches the bridge, its answer does not (a 504).
        setup: (context) =>
          context.route("**/v1/handoffs/*/approve", async (route) => {
            approves++;
            if (!lose) return route.continue();
            lose = false;
            // Sent from here, not through the browser (route.fetch would pass this route again).
            const req = route.request();
            const res = await fetch(req.url(), {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: req.postData(),
            });
            assert.equal(res.status, 200);
            // What a proxy answers when the bridge's answer does not reach it in time.
            await route.fulfill({
              status: 504,
              headers: { "access-control-allow-origin": "*" },
              body: "upstream timed out",
            });
          }),
      });
      const phone = ctx().app.createAppClient({
        baseUrl: ctx().url,
        headers: { "user-agent": APP_UA },
      });
      const ask = async () => {
        const handoff = await page.evaluate(() => document.getElementById("qr0").handoff);
        const first = await phone.resolve(handoff.url);
        assert.equal(first.kind, "awaiting_confirmation");
        await page.locator("#qr0 button[data-a=approve]").waitFor({ state: "visible" });
        return { handoff, first };
      };
      // Two clicks before the page hears the approval: two approves, both 200.
      const a = await ask();
      await page.evaluate(() => {
        const b = document.getElementById("qr0").shadowRoot.querySelector("button[data-a=approve]");
        b.click();
        b.click();
      });
      await page.waitForFunction(() => document.getElementById("qr0").status === "approved");
      assert.equal((await phone.resolve(a.handoff.url, { claim: a.first.claim })).kind, "handoff");
      await page.waitForFunction(() => document.getElementById("qr0").status === "redeemed");
      await page.waitForFunction(() => window.events.filter((e) => e.type === "redeemed").length);
      assert.equal(approves, 2);
      // A new code; its approval's answer is lost, the widget sends it again and is answered 200.
      await page.evaluate(() => document.getElementById("qr0").refresh());
      await page.waitForFunction(
        (id) => document.getElementById("qr0").handoff?.id !== id,
        a.handoff.id,
      );
      const b = await ask();
      lose = true;
      await page.locator("#qr0 button[data-a=approve]").click();
      await page.waitForFunction(() => document.getElementById("qr0").status === "approved");
      assert.equal((await phone.resolve(b.handoff.url, { claim: b.first.claim })).kind, "handoff");
      await page.waitForFunction(() => document.getElementById("qr0").status === "redeemed");
      assert.equal(approves, 4);
      assert.deepEqual(await events(page, "error"), []);
      // The browser's own line for the 504, and nothing else.
      assert.equal(errors.length, 1);
      assert.match(errors[0], /status of 504/);
      await close();
    });

    it("create-endpoint: the shop's backend makes the handoff, the page watches it at the bridge", async () => {
      const { page, errors, sockets, close } = await open(
        "/checkout?create-endpoint=/api/qr-handoff",
      );
      const handoff = await page.evaluate(() => document.getElementById("qr0").handoff);
      assert.match(sockets[0].url(), new RegExp(`/v1/handoffs/${handoff.id}/events`));
      const r = await redeem(handoff.url);
      assert.equal(r.created_by, "server");
      assert.deepEqual(r.payload, { cart: "c_from_session" });
      await page.waitForFunction(() => document.getElementById("qr0").status === "redeemed");
      assert.deepEqual(errors, []);
      await close();
    });

    it("login: scan, approve → qrbridge:approved → the shop's backend exchanges the ticket → signed in", async () => {
      const { page, errors, close } = await open("/login");
      const login = await page.evaluate(() => document.getElementById("login").handoff);
      const phone = ctx().app.createAppClient({
        baseUrl: ctx().url,
        headers: { "user-agent": APP_UA },
      });
      const scan = await phone.scanLogin(login.url);
      assert.equal(scan.requester.origin, shop.url);
      await page.waitForFunction(() => document.getElementById("login").status === "scanned");
      assert.match(await statusText(page, "login"), /Confirm on your phone/);
      const approve = await fetchRetrying(`${ctx().url}/v1/logins/${scan.id}/approve`, {
        method: "POST",
        headers: { authorization: `Bearer ${keys.secret}`, "content-type": "application/json" },
        body: JSON.stringify({ scan: scan.scan, subject: "customer-7" }),
      });
      assert.equal(approve.status, 200);
      await page.waitForFunction(() => document.body.dataset.user === "customer-7");
      const [approved] = await events(page, "approved");
      assert.match(approved.ticket, /\S{20,}/);
      assert.match(approved.code_verifier, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(shop.exchanges.at(-1).status, 200);
      assert.equal(await page.locator("#outcome").textContent(), "Signed in as customer-7.");
      saveScreenshot("site-login-signed-in", await page.screenshot());
      assert.deepEqual(errors, []);
      await close();
    });

    it("login: a denial on the phone fires qrbridge:denied and offers a new code", async () => {
      const { page, close } = await open("/login");
      const login = await page.evaluate(() => document.getElementById("login").handoff);
      const phone = ctx().app.createAppClient({
        baseUrl: ctx().url,
        headers: { "user-agent": APP_UA },
      });
      const scan = await phone.scanLogin(login.url);
      await phone.denyLogin(scan.id, scan.scan);
      await page.waitForFunction(() => document.getElementById("login").status === "denied");
      assert.equal((await events(page, "denied")).length, 1);
      assert.equal(await statusText(page, "login"), "The login was declined on the phone.");
      await page.locator("#login button.r").click();
      await page.waitForFunction(
        (id) =>
          document.getElementById("login").handoff?.id !== id &&
          document.getElementById("login").status === "pending",
        login.id,
      );
      await close();
    });

    siteEmbedEdgeTests(ctx, {
      open,
      events,
      statusText,
      redeem,
      shopUrl: () => shop.url,
      otherOriginKey: () => otherOriginKey,
    });
    siteEmbedLangTests(ctx, { open, statusText, redeem });
    redteamLangsEmbedTests({ open });
    siteEmbedLifecycleTests(ctx, {
      events,
      statusText,
      shopUrl: () => shop.url,
      otherOriginKey: () => otherOriginKey,
    });
  });
}
