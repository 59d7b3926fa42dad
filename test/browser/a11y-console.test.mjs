// Accessibility of the console's pages (sign-in, funnel, stores, a store, posters, a poster, keys,
// webhooks, audit log, import), light and dark, checked by axe-core (a11y-check.mjs) in real
// Chromium; the keyboard test makes a store and mints a key with Tab, typing and Enter alone.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ADMIN_KEY } from "../../bench/lib.mjs";
import { expectClean, v1Caller } from "./a11y-check.mjs";
import { consoleSession } from "./console-helpers.mjs";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, app: any, mintKey: (body: object) => Promise<string> }} ctx
 */
export function a11yConsoleTests(ctx) {
  const v1 = v1Caller(ctx);

  describe("accessibility (axe, WCAG 2.1 A and AA): the console", () => {
    const { signIn, consolePage } = consoleSession(ctx);
    it("sign-in, funnel, stores, a store, posters, a poster, keys, webhooks, audit log, import", async () => {
      const { page, errors } = await consolePage();
      await page.goto(`${ctx().url}/dashboard`);
      await expectClean(page, "console sign-in");
      const store = await v1("POST", "/v1/stores", { name: "Opéra", ref: "A11Y-1" });
      const poster = await v1("POST", "/v1/posters", {
        name: "Window",
        path: "/menu",
        store_id: store.id,
        campaign: "Spring",
      });
      await signIn(page, ADMIN_KEY);
      for (const path of [
        "",
        "/stores",
        `/stores/${store.id}`,
        "/campaigns",
        "/posters",
        `/posters/${poster.id}`,
        "/keys",
        "/webhooks",
        "/dead-letters",
        "/audit-log",
        "/import",
      ]) {
        await page.goto(`${ctx().url}/dashboard${path}`);
        await page.waitForLoadState("networkidle");
        await expectClean(page, `console ${path || "/"}`);
        await page.emulateMedia({ colorScheme: "dark" });
        await expectClean(page, `console ${path || "/"} dark`);
        await page.emulateMedia({ colorScheme: "light" });
      }
      // Between the phone's cards and a wide screen a table scrolls sideways: its box then takes
      // the focus (arrow keys scroll it), named after its section.
      await page.setViewportSize({ width: 700, height: 900 });
      await page.goto(`${ctx().url}/dashboard/keys`);
      await page.waitForLoadState("networkidle");
      const wraps = await page.locator(".table-wrap").evaluateAll((ws) =>
        ws.map((w) => ({
          scrolls: w.scrollWidth > w.clientWidth,
          tabIndex: w.tabIndex,
          name: w.getAttribute("aria-label"),
        })),
      );
      assert.ok(
        wraps.some((w) => w.scrolls),
        JSON.stringify(wraps),
      );
      for (const w of wraps.filter((w) => w.scrolls)) {
        assert.equal(w.tabIndex, 0);
        assert.ok(w.name, JSON.stringify(w));
      }
      await expectClean(page, "console /keys at 700 px");
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("keyboard: a store made and a key minted with Tab, typing and Enter alone", async () => {
      const { page, errors } = await consolePage();
      await signIn(page, ADMIN_KEY);
      /** Tab on from where the focus is until `selector` has it; false if never. */
      const tabTo = async (selector) => {
        for (let i = 0; i < 60; i++) {
          await page.keyboard.press("Tab");
          if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector))
            return true;
        }
        return false;
      };
      // The skip link comes first.
      await page.goto(`${ctx().url}/dashboard/stores`);
      await page.waitForLoadState("networkidle");
      await page.keyboard.press("Tab");
      assert.equal(
        await page.evaluate(() => document.activeElement.classList.contains("skip")),
        true,
      );
      assert.ok(await tabTo('form input[name="name"]'), "the new store's name is reached");
      const name = `Keyboard ${Date.now().toString(36)}`;
      await page.keyboard.type(name);
      await page.keyboard.press("Enter");
      await page.getByRole("link", { name }).waitFor();
      // The announcement reaches a screen reader through the page's live region.
      await page.waitForFunction(
        (n) => [...document.querySelectorAll("[aria-live]")].some((r) => r.textContent.includes(n)),
        name,
      );

      await page.goto(`${ctx().url}/dashboard/keys`);
      await page.waitForLoadState("networkidle");
      assert.ok(await tabTo('form input[name="name"]'), "the new key's name is reached");
      await page.keyboard.type("keyboard key");
      assert.ok(await tabTo('input[name="scopes"]'), "a scope is reached");
      await page.keyboard.press("Space");
      assert.ok(await tabTo('form button[type="submit"]'), "the mint button is reached");
      await page.keyboard.press("Enter");
      // The new key is shown once, and the focus is on its copy button.
      // Wait for the shown-once panel itself: the keys table already lists "qb_sk_…" prefixes,
      // so text alone can match while the mint is still in flight (its button disabled).
      await page.waitForFunction(() =>
        /^qb_sk_\w+$/.test(document.querySelector(".once .secret code")?.textContent ?? ""),
      );
      assert.equal(
        await page.evaluate(
          () => document.activeElement === document.querySelector(".once button"),
        ),
        true,
        "the focus is on the new key's copy button",
      );
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
