// <qr-bridge> on a customer's site, continued (site-embed.test.mjs opens the shop): a code
// renewed and run out, what the page hears when something is wrong (a bad key, the bridge
// down, an image the CSP refuses), a phone offered the link, a dark theme, several widgets.
import assert from "node:assert/strict";
import { it } from "node:test";
import { decodeQrPng, saveScreenshot, USER_AGENTS } from "./lib.mjs";

/**
 * Register the tests inside site-embed's describe, after its shop has started.
 * @param {() => { url: string, browser: import("playwright-core").Browser }} ctx
 * @param {{ open: Function, events: Function, statusText: Function, redeem: Function, shopUrl: () => string, otherOriginKey: () => string }} s
 */
export function siteEmbedEdgeTests(
  ctx,
  { open, events, statusText, redeem, shopUrl, otherOriginKey },
) {
  it("renews an unscanned code before it expires, and after the last renewal shows expired (page clock)", async () => {
    const { page, close } = await open("/checkout?ttl=15&max-renewals=1", { clock: true });
    const first = await page.evaluate(() => document.getElementById("qr0").handoff.id);
    // Renewed 10 s before the end: a new code, shown.
    await page.clock.fastForward(6_000);
    await page.waitForFunction((id) => document.getElementById("qr0").handoff?.id !== id, first);
    await page.waitForFunction(() => window.events.filter((e) => e.type === "shown").length === 2);
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

  it("a wrong key, a key of another origin, the script down: clear text, a retry, qrbridge:error", async () => {
    const cases = [
      ["qb_pk_notarealkey0000000000000000000", "unauthorized"],
      [otherOriginKey(), "forbidden"],
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

    // The bridge's API unreachable: site-embed-lifecycle.test.mjs (tried again on its own).
    const context = await ctx().browser.newContext({ userAgent: USER_AGENTS.desktop });
    // The script itself unreachable: the content inside the element stays, the only thing shown.
    const down = await context.newPage();
    await down.route(`${ctx().url}/sdk/**`, (route) => route.abort("connectionrefused"));
    await down.goto(`${shopUrl()}/checkout`);
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
    // The code's own link, marked as a tap on this phone (not a scan): the token is untouched.
    const href = new URL(await link.getAttribute("href"));
    assert.equal(href.pathname, new URL(handoff.url).pathname);
    assert.equal(href.search, "?qb_via=same_device");
    assert.equal(await statusText(page), "On this phone? Open the app:");
    saveScreenshot("site-checkout-phone", await page.screenshot());
    // Tapped: the code's landing page, which opens the app (or offers the store).
    await link.click();
    await page.waitForURL(/\/h\/\w+\?qb_via=same_device$/i);
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
}
