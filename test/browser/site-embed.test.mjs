// <qr-bridge> as a customer's site gets it: on another origin than the bridge, under a strict
// Content-Security-Policy (no 'unsafe-inline', a nonce, the bridge named in script-src), with a
// publishable key pinned to the site's origin. The shop (shop-server.mjs) has a checkout page
// and a login page whose backend exchanges the ticket with a secret key; the "phone" is the app
// client (qrbridge/client) or plain requests, as docs/app-integration.md has an app make them.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fetchRetrying } from "../../bench/lib.mjs";
import { decodeQrPng, saveScreenshot, USER_AGENTS } from "./lib.mjs";
import { startShop } from "./shop-server.mjs";

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
    { until = () => window.events.some((e) => e.type === "shown"), clock, ...options } = {},
  ) {
    const context = await ctx().browser.newContext({
      viewport: { width: 1000, height: 700 },
      userAgent: USER_AGENTS.desktop,
      ...options,
    });
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

    it("renews an unscanned code before it expires, and after the last renewal shows expired (page clock)", async () => {
      const { page, close } = await open("/checkout?ttl=15&max-renewals=1", { clock: true });
      const first = await page.evaluate(() => document.getElementById("qr0").handoff.id);
      // Renewed 10 s before the end: a new code, shown.
      await page.clock.fastForward(6_000);
      await page.waitForFunction((id) => document.getElementById("qr0").handoff?.id !== id, first);
      await page.waitForFunction(
        () => window.events.filter((e) => e.type === "shown").length === 2,
      );
      // No renewal left: the code runs out.
      await page.clock.fastForward(16_000);
      await page.waitForFunction(() => document.getElementById("qr0").status === "expired");
      assert.equal((await events(page, "expired")).length, 1);
      assert.equal(await statusText(page), "This code has expired.");
      const retry = page.locator("#qr0 button.r");
      await retry.focus();
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.getElementById("qr0").status === "pending");
      await close();
    });

    it("a wrong key, a key of another origin, the bridge down: clear text, a retry, qrbridge:error", async () => {
      const cases = [
        ["qb_pk_notarealkey0000000000000000000", "unauthorized"],
        [otherOriginKey, "forbidden"],
      ];
      for (const [key, code] of cases) {
        const { page, close } = await open(`/checkout?publishable-key=${key}`, {
          until: () => window.events.some((e) => e.type === "error"),
        });
        const [error] = await events(page, "error");
        assert.equal(error.code, code);
        assert.equal(await statusText(page), `Could not create a code (${code}).`);
        assert.equal(await page.locator("#qr0 button.r").isVisible(), true);
        if (code === "forbidden") assert.match(error.message, /may not be used from this origin/);
        await close();
      }

      // The bridge's API unreachable after the page loaded: "network", then the retry works.
      const context = await ctx().browser.newContext({ userAgent: USER_AGENTS.desktop });
      const page = await context.newPage();
      await page.route(`${ctx().url}/v1/**`, (route) => route.abort("connectionrefused"));
      await page.goto(`${shop.url}/checkout`);
      await page.waitForFunction(() => window.events.some((e) => e.type === "error"));
      assert.equal((await events(page, "error"))[0].code, "network");
      assert.equal(await statusText(page), "Could not create a code (network).");
      await page.unroute(`${ctx().url}/v1/**`);
      await page.locator("#qr0 button.r").click();
      await page.waitForFunction(() => window.events.some((e) => e.type === "shown"));

      // The script itself unreachable: the content inside the element stays, the only thing shown.
      const down = await context.newPage();
      await down.route(`${ctx().url}/sdk/**`, (route) => route.abort("connectionrefused"));
      await down.goto(`${shop.url}/checkout`);
      await down.locator(".fallback").waitFor({ state: "visible" });
      saveScreenshot("site-bridge-down", await down.screenshot());
      await context.close();
    });

    it("a CSP without the bridge in img-src: no broken image, but an error the page hears", async () => {
      const { page, errors, close } = await open("/checkout?csp=noimg", {
        until: () => window.events.some((e) => e.type === "error"),
      });
      const [error] = await events(page, "error");
      assert.equal(error.code, "image");
      assert.equal(await statusText(page), "Could not show the code.");
      assert.equal(await page.locator("#qr0 button.r").isVisible(), true);
      assert.ok(errors.some((e) => /img-src/.test(e)));
      await close();
    });

    it("a phone visiting the checkout is offered the code's link, not only a QR to scan", async () => {
      const { page, close } = await open("/checkout", {
        viewport: { width: 390, height: 800 },
        userAgent: USER_AGENTS.iphone,
        isMobile: true,
        hasTouch: true,
      });
      const handoff = await page.evaluate(() => document.getElementById("qr0").handoff);
      const link = page.locator("#qr0 a[part=open]");
      assert.equal(await link.isVisible(), true);
      assert.equal(await link.textContent(), "Open in the app");
      assert.equal(await link.getAttribute("href"), handoff.url);
      assert.equal(await statusText(page), "On this phone? Open the app:");
      saveScreenshot("site-checkout-phone", await page.screenshot());
      // Tapped: the code's landing page, which opens the app (or offers the store).
      await link.click();
      await page.waitForURL(/\/h\//i);
      assert.match(await page.locator("body").textContent(), /Demo App/);
      await close();

      const desktop = await open("/checkout");
      assert.equal(await desktop.page.locator("#qr0 a[part=open]").isVisible(), false);
      await desktop.close();
    });

    it("a dark theme's colours: the QR is drawn black on white and still decodes", async () => {
      const { page, errors, close } = await open("/checkout?theme=dark");
      const handoff = await page.evaluate(() => document.getElementById("qr0").handoff);
      const shot = await page.locator("#qr0 img").screenshot({ animations: "disabled" });
      assert.equal(decodeQrPng(shot), handoff.url);
      saveScreenshot("site-checkout-dark", await page.screenshot());
      assert.deepEqual(errors, []);
      await close();
    });

    it("several widgets on a page; one removed stops its socket; lang=zh and its alt text", async () => {
      const { page, sockets, close } = await open("/checkout?widgets=2&lang=zh", {
        until: () => window.events.filter((e) => e.type === "shown").length === 2,
      });
      const [a, b] = await page.evaluate(() =>
        ["qr0", "qr1"].map((id) => document.getElementById(id).handoff),
      );
      assert.notEqual(a.id, b.id);
      assert.equal(
        await page.locator("#qr1 img").getAttribute("alt"),
        "二维码：用手机扫描，在应用中继续",
      );
      assert.equal(await page.locator("#qr1 [role=status]").getAttribute("aria-live"), "polite");
      assert.match(await statusText(page, "qr1"), /请用手机相机扫码/);
      await page.evaluate(() => document.getElementById("qr0").remove());
      const socketOf = (id) => sockets.find((ws) => ws.url().includes(`/handoffs/${id}/`));
      const removed = socketOf(a.id);
      if (!removed.isClosed()) await removed.waitForEvent("close");
      assert.equal(socketOf(b.id).isClosed(), false);
      await redeem(b.url);
      await page.waitForFunction(() => document.getElementById("qr1").status === "redeemed");
      const redeemed = await events(page, "redeemed");
      assert.deepEqual(
        redeemed.map((d) => d.id),
        [b.id],
      );
      await close();
    });
  });
}
