// The console in the shop's language, in Chromium: a person signed in in English switches the
// console to Japanese from the header's language list; the page, its posters and stores, and
// the funnel with real scans and orders speak Japanese and write dates the Japanese way; then to
// German, where money and dates take the German forms; in Hebrew and Arabic the page reads right
// to left. The choice lasts across pages.
// Screenshots: test-results/screenshots/console-langs-*.png.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { consoleSession } from "./console-helpers.mjs";
import { walkFixture } from "./console-walk-fixture.mjs";
import { saveScreenshot } from "./lib.mjs";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string> }} ctx
 */
export function consoleLangTests(ctx) {
  const { signIn, consolePage } = consoleSession(ctx);
  const w = walkFixture(ctx);
  // Names of its own beside the walk tests' fixture, made in the same millisecond.
  w.run = `${w.run}-langs`;

  /** Choose `lang` in the header's switch and wait for the page to come back in it. */
  async function switchTo(page, lang) {
    await page.locator("select[data-set-lang]").selectOption(lang);
    await page.locator(`html[lang="${lang}"]`).waitFor({ state: "attached" });
    await page.waitForLoadState("load");
  }

  /** The "created" cell of the store row named `name` on the stores page. */
  const createdCell = (page, name) => page.locator("tr", { hasText: name }).locator("td").nth(3);

  describe("console: languages", () => {
    it("switches to Japanese: posters, stores and the funnel in Japanese, dates as Japan writes them", async () => {
      await w.setUp();
      const { page, errors } = await consolePage({
        locale: "en-US",
        extraHTTPHeaders: { "accept-language": "en-US,en;q=0.9" },
      });
      await signIn(page, w.key);
      await page.goto(`${ctx().url}/dashboard/posters`);
      await page.getByRole("heading", { name: "Posters", level: 1 }).waitFor();
      // Every console language is offered, each by its own name.
      const offered = await page.locator("select[data-set-lang] option").allTextContents();
      for (const name of ["English", "日本語", "Español", "繁體中文", "Deutsch"])
        assert.ok(offered.includes(name), `${name} in ${offered.join(", ")}`);

      await switchTo(page, "ja");
      await page.getByRole("heading", { name: "ポスター", level: 1 }).waitFor();
      await page.locator("table a", { hasText: "Vitrine 1" }).first().waitFor();
      await page.getByRole("link", { name: "店舗" }).first().waitFor();
      assert.equal(await page.locator("select[data-set-lang]").inputValue(), "ja");
      saveScreenshot("console-langs-posters-ja", await page.screenshot({ fullPage: true }));

      // The choice lasts: the stores page is Japanese too, its dates as year/month/day.
      await page.goto(`${ctx().url}/dashboard/stores`);
      await page.getByRole("button", { name: "店舗を作成" }).waitFor();
      const created = (await createdCell(page, w.store.name).textContent()).trim();
      assert.match(created, /^\d{4}\/\d{1,2}\/\d{1,2} \d{1,2}:\d{2}:\d{2}$/);

      // The funnel of the campaign the fixture scanned and ordered from.
      await page.goto(`${ctx().url}/dashboard?campaign_id=${w.campaign}`);
      await page.locator('svg[aria-label="スキャンからコンバージョンまでのファネル"]').waitFor();
      await page.locator(".kpi span", { hasText: "コンバージョン" }).waitFor();
      await page.locator("#funnel text.rate").first().waitFor();
      const rates = await page.locator("#funnel text.rate").allTextContents();
      assert.ok(
        rates.some((r) => r.includes("アプリ起動と引き換えに対する割合")),
        rates.join(" | "),
      );
      assert.match(await page.locator("#k-conv-sub").textContent(), /^€25\.00 · スキャンの /);
      assert.equal(await page.locator("#k-conv").textContent(), "2");
      saveScreenshot("console-langs-funnel-ja", await page.screenshot({ fullPage: true }));
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("writes money and dates the German way in German, and goes back to English", async () => {
      const { page, errors } = await consolePage({ locale: "en-US" });
      await signIn(page, w.key);
      await page.goto(`${ctx().url}/dashboard?campaign_id=${w.campaign}`);
      await page.locator("#k-conv-sub", { hasText: "€25.00" }).waitFor();
      await switchTo(page, "de");
      await page.locator(".kpi span", { hasText: "Conversions" }).waitFor();
      // A comma for the decimals and the euro sign after the amount (Intl with the page's "de").
      await page.locator("#k-conv-sub", { hasText: /^25,00\s€ · / }).waitFor();
      await page.goto(`${ctx().url}/dashboard/stores`);
      await page.getByRole("button", { name: "Filiale anlegen" }).waitFor();
      const created = (await createdCell(page, w.store.name).textContent()).trim();
      assert.match(created, /^\d{1,2}\.\d{1,2}\.\d{4}, \d{2}:\d{2}:\d{2}$/);
      saveScreenshot("console-langs-stores-de", await page.screenshot({ fullPage: true }));
      await switchTo(page, "en");
      await page.getByRole("button", { name: "Create store" }).waitFor();
      assert.deepEqual(errors, []);
      await page.close();
    });
    it("reads right to left in Hebrew and Arabic, the charts still drawn as they are", async () => {
      const { page, errors } = await consolePage({ locale: "en-US" });
      await signIn(page, w.key);
      for (const [lang, stores, funnelLabel] of [
        ["he", "חנויות", "משפך מסריקה ועד המרה"],
        ["ar", "المتاجر", "مسار التحويل من المسح حتى التحويل"],
      ]) {
        await page.goto(`${ctx().url}/dashboard?campaign_id=${w.campaign}`);
        await switchTo(page, lang);
        assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
        await page.locator(`svg[aria-label="${funnelLabel}"]`).waitFor();
        await page.locator("#funnel text.count").first().waitFor();
        // The header mirrors: the brand at the right, the sign-out button at the left.
        const brand = await page.locator(".top .brand").boundingBox();
        const who = await page.locator(".top .who").boundingBox();
        assert.ok(brand.x > who.x, `${lang}: brand at ${brand.x}, switch and sign-out at ${who.x}`);
        // The funnel's counts stay inside their chart (its anchors are a left-to-right drawing).
        const inside = await page.locator("#funnel svg").evaluate((svg) => {
          const box = svg.viewBox.baseVal;
          return [...svg.querySelectorAll("text")].every((t) => {
            const b = t.getBBox();
            return b.x >= -1 && b.x + b.width <= box.width + 1;
          });
        });
        assert.ok(inside, `${lang}: a chart label outside its chart`);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 1280, `${lang}: no sideways scrolling (${width}px)`);
        saveScreenshot(`console-langs-funnel-${lang}`, await page.screenshot({ fullPage: true }));
        await page.goto(`${ctx().url}/dashboard/stores`);
        await page.getByRole("heading", { name: stores, level: 1 }).waitFor();
        await page.locator("table a", { hasText: w.store.name }).waitFor();
        saveScreenshot(`console-langs-stores-${lang}`, await page.screenshot({ fullPage: true }));
      }
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
