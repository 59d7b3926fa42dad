// The demo page and the <qr-bridge> element in real Chromium against `wrangler dev` (the
// handoff element, whose code the demo backend makes through create-endpoint, and what a phone
// scanning it sees: demo-handoff.test.mjs; the page's login element, mode="login", has its own
// test: login.test.mjs).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fetchRetrying } from "../../bench/lib.mjs";
import { checkoutHandoff, openDemoPage } from "./demo-page.mjs";
import { decodeQrPng, saveScreenshot } from "./lib.mjs";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, app: any, mintKey: (body: object) => Promise<string> }} ctx
 */
export function demoTests(ctx) {
  /**
   * Swap the demo's checkout <qr-bridge> for a new one with the same attributes and `extra`
   * ones (a `null` value removes that attribute).
   */
  function replaceElement(page, id, extra) {
    return page.evaluate(
      ([newId, attrs]) => {
        const old = document.querySelector("qr-bridge");
        const el = document.createElement("qr-bridge");
        for (const a of old.getAttributeNames()) el.setAttribute(a, old.getAttribute(a));
        for (const [k, v] of Object.entries(attrs)) {
          if (v === null) el.removeAttribute(k);
          else el.setAttribute(k, v);
        }
        el.id = newId;
        old.replaceWith(el);
      },
      [id, extra],
    );
  }

  const openDemo = (path, init, beforeLoad) => openDemoPage(ctx(), path, init, beforeLoad);

  const handoffOf = checkoutHandoff;

  describe("demo page at / with <qr-bridge>", () => {
    it("shows a QR whose pixels decode to the handoff's bridge URL", async () => {
      const { page, errors } = await openDemo();
      const handoff = await handoffOf(page);
      const shot = await page
        .locator("qr-bridge:not([mode=login]) img")
        .screenshot({ animations: "disabled" });
      saveScreenshot("demo-qr-element", shot);
      saveScreenshot("demo-page", await page.screenshot({ fullPage: true }));
      const decoded = decodeQrPng(shot);
      assert.equal(decoded, handoff.url);
      assert.match(decoded, /^HTTP:\/\/127\.0\.0\.1:\d+\/H\/[0-9A-Z]{30,}$/);
      // The served PNG of the same link decodes to the same URL.
      const png = Buffer.from(await (await fetchRetrying(handoff.qr.png)).arrayBuffer());
      assert.equal(decodeQrPng(png), handoff.url);
      // Accessible: alt text, a polite live region with the status, a visible countdown.
      assert.equal(
        await page.locator("qr-bridge:not([mode=login]) img").getAttribute("alt"),
        "QR code: scan with your phone to continue in the app",
      );
      const status = page.locator("qr-bridge:not([mode=login]) [role=status]");
      assert.equal(await status.getAttribute("aria-live"), "polite");
      assert.match(await status.textContent(), /Scan with your phone camera/);
      assert.match(
        await page.locator("qr-bridge:not([mode=login]) .c").textContent(),
        /^Expires in [01]:\d\d$/,
      );
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("shows success once the app resolves the link, without a reload", async () => {
      let watching;
      const { page } = await openDemo("/", undefined, (p) => {
        watching = new Promise((resolve) =>
          p.on("websocket", (ws) => {
            if (ws.url().includes("/v1/handoffs/")) ws.once("framereceived", resolve);
          }),
        );
      });
      // The app resolves once the page watches (the socket's first frame is the current status):
      // `scanned` is pushed only to a page already listening, else it sees `redeemed` alone.
      await watching;
      await page.evaluate(() => {
        window.__sameDocument = true;
      });
      const handoff = await handoffOf(page);
      const client = ctx().app.createAppClient({ baseUrl: ctx().url });
      const result = await client.resolve(handoff.url);
      assert.equal(result.kind, "handoff");
      assert.equal(result.path, "/cart/demo-42");
      assert.deepEqual(result.payload, { cart_id: "demo-42", items: 2, total: "€154.00" });
      // Made by the demo backend with its secret key: the app may trust the payload.
      assert.equal(result.created_by, "server");
      // Pushed to the page. No time limit of its own (Playwright's default only catches a hang):
      // how fast the push comes is the notify latency bench/handoff.mjs measures.
      await page.waitForFunction(() =>
        document.getElementById("outcome").classList.contains("done"),
      );
      assert.equal(await page.evaluate(() => window.__sameDocument), true);
      const events = await page.evaluate(() => window.__events.map((e) => e.type));
      assert.ok(events.includes("scanned"), `events: ${events}`);
      assert.ok(events.includes("redeemed"), `events: ${events}`);
      const redeemed = await page.evaluate(() =>
        window.__events.find((e) => e.type === "redeemed"),
      );
      assert.equal(redeemed.id, handoff.id);
      assert.equal(redeemed.status, "redeemed");
      assert.match(
        await page.locator("qr-bridge:not([mode=login]) [role=status]").textContent(),
        /Done: opened in the app/,
      );
      saveScreenshot("demo-redeemed", await page.screenshot({ fullPage: true }));
      // A second resolve of the same link is refused: one-time.
      await assert.rejects(client.resolve(handoff.url), { code: "already_redeemed", status: 409 });
      await page.close();
    });

    it("falls back to long-polling when WebSockets are blocked, and still updates live", async () => {
      let longPoll;
      const { page } = await openDemo(
        "/",
        () => {
          // A network that kills every WebSocket before it opens.
          window.WebSocket = class {
            constructor() {
              setTimeout(() => this.onclose?.({ code: 1006 }), 10);
            }
            close() {}
          };
        },
        (p) => {
          // The handoff element's first long-poll (`?wait=25&since=pending`), made once it gave
          // up on sockets, a few seconds after it started (the page's login element polls too).
          longPoll = p.waitForRequest((r) => {
            const { pathname, searchParams } = new URL(r.url());
            return pathname.startsWith("/v1/handoffs/") && searchParams.has("wait");
          });
          // Awaited below; handled here so that a test failing earlier reports its own error.
          longPoll.catch(() => {});
        },
      );
      const handoff = await handoffOf(page);
      // The app resolves while that poll is held open: the status must arrive through it.
      const poll = new URL((await longPoll).url());
      assert.equal(poll.pathname, `/v1/handoffs/${handoff.id}`);
      assert.equal(poll.searchParams.get("since"), "pending");
      await ctx().app.createAppClient({ baseUrl: ctx().url }).resolve(handoff.url);
      await page.waitForFunction(() =>
        document.getElementById("outcome").classList.contains("done"),
      );
      await page.close();
    });

    it("renews the code before it expires (ttl 15 s → a new handoff ~10 s before expiry)", async () => {
      const { page } = await openDemo();
      // The page's clock stands still unless the test moves it: the expiry timer cannot overtake
      // the renewal on a slow machine, and "before it expired" is read on the page's own clock.
      await page.clock.install();
      await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
      await replaceElement(page, "short", { ttl: "15" });
      await page.clock.runFor(100); // the element starts on a zero-delay timer
      const handoffOf = () => page.evaluate(() => document.getElementById("short").handoff);
      await page.waitForFunction(() => document.getElementById("short").handoff, null, {
        polling: 100,
      });
      const first = await handoffOf();
      // To half a second past the renewal point (10 s before the end), and no further.
      const renewAt = first.expires_at - 10_000 + 500;
      await page.clock.runFor(renewAt - (await page.evaluate(() => Date.now())));
      await page.waitForFunction(
        (id) => document.getElementById("short").handoff?.id !== id,
        first.id,
        { polling: 100 },
      );
      assert.ok(
        (await page.evaluate(() => Date.now())) < first.expires_at,
        "renewed before the old code expired",
      );
      assert.equal(await page.evaluate(() => document.getElementById("short").status), "pending");
      const expired = await page.evaluate(() => window.__events.some((e) => e.type === "expired"));
      assert.equal(expired, false);
      await page.close();
    });

    it('confirm="pc": the page asks, Allow lets the waiting app redeem', async () => {
      const { page } = await openDemo();
      // The demo backend decides its handoffs (no `confirm`): this one is the page's own, made
      // with the publishable key the login panel holds.
      const key = await page.evaluate(() =>
        document.getElementById("login-qr").getAttribute("publishable-key"),
      );
      await replaceElement(page, "confirm", {
        confirm: "pc",
        "create-endpoint": null,
        "publishable-key": key,
        path: "/cart/demo-42",
      });
      await page.waitForFunction(() => document.getElementById("confirm").status === "pending");
      const handoff = await page.evaluate(() => document.getElementById("confirm").handoff);
      assert.equal(handoff.confirm, "pc");
      const client = ctx().app.createAppClient({ baseUrl: ctx().url });
      const first = await client.resolve(handoff.url);
      assert.equal(first.kind, "awaiting_confirmation");
      const allow = page.locator("#confirm button[data-a=approve]");
      await allow.waitFor({ state: "visible" });
      assert.match(
        await page.locator("#confirm [role=status]").textContent(),
        /^Allow .+ to continue in the app\?$/,
      );
      saveScreenshot("demo-confirm", await page.locator("#confirm").screenshot());
      await allow.click();
      await page.waitForFunction(() => document.getElementById("confirm").status === "approved");
      const done = await client.resolve(handoff.url, { claim: first.claim });
      assert.equal(done.kind, "handoff");
      await page.waitForFunction(() => document.getElementById("confirm").status === "redeemed");
      await page.close();
    });

    it("speaks Simplified Chinese with lang=zh", async () => {
      const { page } = await openDemo("/?lang=zh");
      assert.equal(
        await page.locator("qr-bridge:not([mode=login]) img").getAttribute("alt"),
        "二维码：用手机扫描，在应用中继续",
      );
      assert.match(
        await page.locator("qr-bridge:not([mode=login]) [role=status]").textContent(),
        /请用手机相机扫码/,
      );
      assert.match(await page.locator("qr-bridge:not([mode=login]) .c").textContent(), /后过期$/);
      saveScreenshot("demo-zh", await page.screenshot());
      await page.close();
    });

    it("creates through the site's own backend with create-endpoint (no key in the page)", async () => {
      const { url, browser, mintKey } = ctx();
      const secret = await mintKey({
        name: "shop backend",
        kind: "secret",
        scopes: ["handoffs:write"],
      });
      // bypassCSP: the host page (/docs) allows only its own nonce scripts; a real site would
      // list the bridge in its CSP instead.
      const page = await browser.newPage({ bypassCSP: true });
      const seen = [];
      // The "site backend": receives the element's body, creates the handoff with its secret key.
      await page.route("**/my-backend/qr-handoff", async (route) => {
        const body = JSON.parse(route.request().postData());
        seen.push(body);
        const res = await fetchRetrying(`${url}/v1/handoffs`, {
          method: "POST",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
          body: JSON.stringify({ ...body, payload: { user: "u_1" } }),
        });
        await route.fulfill({ status: res.status, json: await res.json() });
      });
      await page.goto(`${url}/docs`); // any page of the origin; the element is added below
      await page.evaluate(async (base) => {
        await import(`${base}/sdk/qrbridge.js`);
        const el = document.createElement("qr-bridge");
        el.setAttribute("create-endpoint", "/my-backend/qr-handoff");
        el.setAttribute("path", "/orders/7");
        el.id = "backend";
        document.body.prepend(el);
      }, url);
      await page.waitForFunction(() => document.getElementById("backend").status === "pending");
      assert.deepEqual(seen, [{ path: "/orders/7" }]);
      const handoff = await page.evaluate(() => document.getElementById("backend").handoff);
      const r = await ctx().app.createAppClient({ baseUrl: url }).resolve(handoff.url);
      assert.deepEqual(r.payload, { user: "u_1" });
      await page.waitForFunction(() => document.getElementById("backend").status === "redeemed");
      await page.close();
    });
  });
}
