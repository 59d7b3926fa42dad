// The demo page's checkout in real Chromium against `wrangler dev`: its <qr-bridge> gets its
// code from the demo backend (`create-endpoint="/demo/handoffs"`, a secret key), so a phone that
// scans the code sees the cart's title and subtitle on the landing page, in the page's language.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkoutHandoff, openDemoPage } from "./demo-page.mjs";
import { saveScreenshot, USER_AGENTS } from "./lib.mjs";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser }} ctx
 */
export function demoHandoffTests(ctx) {
  describe("demo page's checkout through the demo backend (create-endpoint)", () => {
    for (const [lang, title, subtitle] of [
      ["en", "Your cart", "2 items · €154.00"],
      ["zh", "购物车", "2 件商品 · €154.00"],
    ]) {
      it(`gets its code from the demo backend; a phone scanning it sees the cart's heading (${lang})`, async () => {
        let created;
        const { page } = await openDemoPage(ctx(), `/?lang=${lang}`, undefined, (p) => {
          created = p.waitForRequest((r) => new URL(r.url()).pathname === "/demo/handoffs");
          created.catch(() => {});
        });
        const request = await created;
        assert.equal(request.method(), "POST");
        assert.equal(new URL(request.url()).searchParams.get("lang"), lang);
        // The page sends no words and no payload: the backend has them.
        assert.deepEqual(JSON.parse(request.postData()), { ttl: 60 });
        const handoff = await checkoutHandoff(page);
        const phone = await ctx().browser.newContext({
          userAgent: USER_AGENTS.iphone,
          viewport: { width: 390, height: 844 },
          isMobile: true,
          hasTouch: true,
        });
        const landing = await phone.newPage();
        const res = await landing.goto(handoff.url);
        assert.equal(res.status(), 200);
        assert.equal(await landing.locator("h1").textContent(), title);
        assert.equal(await landing.locator("p.sub").textContent(), subtitle);
        saveScreenshot(`demo-landing-${lang}`, await landing.screenshot({ fullPage: true }));
        await phone.close();
        await page.close();
      });
    }
  });
}
