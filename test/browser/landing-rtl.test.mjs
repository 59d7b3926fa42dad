// The scan pages right to left (Arabic, Hebrew) in real Chromium: the texts start at the right,
// nothing overflows, a Latin name keeps its place, and what must read left to right (the copied
// link, the typed code) does; the open-in-browser arrow stays by the in-app browser's menu.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fetchRetrying } from "../../bench/lib.mjs";
import { saveScreenshot, USER_AGENTS } from "./lib.mjs";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string> }} ctx
 */
export function landingRtlTests(ctx) {
  let secret;
  async function newHandoff() {
    const { url, mintKey } = ctx();
    secret ??= await mintKey({ name: "rtl tests", kind: "secret", scopes: ["handoffs:write"] });
    const res = await fetchRetrying(`${url}/v1/handoffs`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ path: "/cart/7", metadata: { title: "Your cart" } }),
    });
    assert.equal(res.status, 201);
    return res.json();
  }

  const phone = { width: 390, height: 844 };

  async function open(agent, language, path) {
    const context = await ctx().browser.newContext({
      userAgent: USER_AGENTS[agent],
      viewport: phone,
      isMobile: true,
      hasTouch: true,
      extraHTTPHeaders: { "accept-language": language },
    });
    const page = await context.newPage();
    const res = await page.goto(path ?? (await newHandoff()).url);
    assert.equal(res.status(), 200);
    return { page, context };
  }

  /** Where an element's text starts and ends on screen, and its card's edges. */
  const textBox = (page, selector) =>
    page.evaluate((sel) => {
      const el = document.querySelector(sel);
      const range = document.createRange();
      range.selectNodeContents(el);
      const text = range.getBoundingClientRect();
      const card = el.closest(".card").getBoundingClientRect();
      return { textLeft: text.left, textRight: text.right, left: card.left, right: card.right };
    }, selector);

  describe("scan pages right to left", () => {
    it("Arabic on an iPhone: the texts start at the right, the app's name in its button, no overflow", async () => {
      const { page, context } = await open("iphone", "ar");
      assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
      const h1 = await textBox(page, "h1");
      assert.ok(h1.right - h1.textRight < 30, JSON.stringify(h1)); // the card's padding
      assert.ok(h1.textLeft - h1.left > 60, JSON.stringify(h1));
      const button = page.locator("a[data-action=scheme]");
      assert.match(await button.textContent(), /^افتح في Demo App$/);
      // One flex item: the name's <bdi> does not open a gap of its own.
      assert.equal(await button.evaluate((a) => a.children.length), 1);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `overflows by ${overflow}px`);
      saveScreenshot("landing-iphone-ar", await page.screenshot({ fullPage: true }));
      await context.close();
    });

    it("Arabic in WeChat: the copied link reads left to right, the arrow stays by the menu", async () => {
      const { page, context } = await open("wechat", "ar");
      assert.equal(await page.locator("[data-mode=open-in-browser]").isVisible(), true);
      const box = page.locator("#copy-box");
      assert.equal(await box.evaluate((el) => getComputedStyle(el).direction), "ltr");
      const link = await textBox(page, "#copy-box");
      assert.ok(link.textLeft - link.left < 40, JSON.stringify(link)); // starts at the left
      const arrow = await page
        .locator("svg.arrow")
        .evaluate((el) => innerWidth - el.getBoundingClientRect().right);
      assert.ok(arrow < 30, `arrow ${arrow}px from the right edge`);
      saveScreenshot("landing-wechat-ar", await page.screenshot({ fullPage: true }));
      await context.close();
    });

    it("Hebrew manual entry: the code is typed left to right", async () => {
      const { page, context } = await open("android", "he", `${ctx().url}/c`);
      assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
      const input = page.locator("#code");
      assert.equal(await input.evaluate((el) => getComputedStyle(el).direction), "ltr");
      await input.fill("7k2m9-qx4ab");
      assert.equal(await input.inputValue(), "7k2m9-qx4ab");
      const label = await textBox(page, "label[for=code]");
      assert.ok(label.right - label.textRight < 30, JSON.stringify(label));
      saveScreenshot("manual-entry-he", await page.screenshot({ fullPage: true }));
      await context.close();
    });
  });
}
