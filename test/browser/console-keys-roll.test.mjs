// The console in Chromium, rolling and editing a key: the admin rolls a key with a grace of an
// hour, sees the new key once (never again after a reload), both keys work during the grace and
// the list says when the old one ends; then renames the new key and moves a publishable key to
// another origin. Screenshots: test-results/screenshots/console-keys-roll*.png.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { ADMIN_KEY, api, fetchRetrying } from "../../bench/lib.mjs";
import { consoleSession } from "./console-helpers.mjs";
import { saveScreenshot } from "./lib.mjs";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string> }} ctx
 */
export function consoleKeyRollTests(ctx) {
  const { signIn, consolePage } = consoleSession(ctx);
  const funnelWith = (key) =>
    fetchRetrying(`${ctx().url}/v1/stats/funnel`, { headers: { authorization: `Bearer ${key}` } });

  describe("console: rolling and editing a key", () => {
    it("rolls a key, shows the new one once, and keeps the old one for the grace chosen", async () => {
      const { url } = ctx();
      const name = `Roll ${randomUUID().slice(0, 8)}`;
      const old = await ctx().mintKey({ name, kind: "secret", scopes: ["stats:read"] });
      const { page, errors } = await consolePage();
      await signIn(page, ADMIN_KEY);
      await page.getByRole("link", { name: "API keys" }).click();
      await page.getByRole("button", { name: `Roll the key ${name}` }).click();
      const grace = page.getByLabel("The old key keeps working");
      assert.equal(await grace.inputValue(), "86400", "a day unless chosen");
      await grace.selectOption({ label: "For 1 hour" });
      await page.getByRole("button", { name: "Roll key" }).click();
      const shown = page.locator(".once code");
      await shown.waitFor();
      const rolled = await shown.textContent();
      assert.match(rolled, /^qb_sk_[0-9A-Za-z]{32}$/);
      assert.notEqual(rolled, old);
      await page.locator("#live", { hasText: `Key ${name} rolled` }).waitFor();
      saveScreenshot("console-keys-roll", await page.screenshot({ fullPage: true }));

      assert.equal((await funnelWith(rolled)).status, 200);
      assert.equal((await funnelWith(old)).status, 200, "the old key works through its grace");
      const oldRow = page.getByRole("row", { name: new RegExp(`${name}.*Rolled`) });
      assert.match(await oldRow.textContent(), /Rolled · expires in (59|60) min/);
      assert.equal(await oldRow.getByRole("button", { name: /^Roll|^Edit/ }).count(), 0);
      const keys = (await api(url, ADMIN_KEY, "GET", "/v1/keys")).keys.filter(
        (k) => k.name === name,
      );
      assert.equal(keys.length, 2);
      const previous = keys.find((k) => k.rolled_to);
      assert.equal(previous.rolled_to, keys.find((k) => !k.rolled_to).id);

      await page.reload();
      await page.getByRole("row", { name: new RegExp(`${name}.*Rolled`) }).waitFor();
      assert.equal(await page.locator(".once").count(), 0, "the new key is never shown again");
      assert.equal((await page.content()).includes(rolled), false);

      // The new key is the one that can be edited: renamed here.
      await page.getByRole("button", { name: `Edit the key ${name}` }).click();
      await page.getByLabel("Name", { exact: true }).last().fill(`${name} (2026)`);
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.locator("#live", { hasText: `Key ${name} (2026) saved.` }).waitFor();
      await page.getByRole("row", { name: new RegExp(`${name} \\(2026\\)`) }).waitFor();
      // The old key's grace ended early by revoking it: no end left to announce.
      await page.getByRole("button", { name: `Revoke the key ${name}`, exact: true }).click();
      await page.locator("#live", { hasText: `Key ${name} revoked.` }).waitFor();
      const revoked = page.getByRole("row", { name: new RegExp(`^${name} Secret.*Revoked`) });
      await revoked.waitFor();
      assert.doesNotMatch(await revoked.textContent(), /expires in|Rolled/);
      assert.equal((await funnelWith(old)).status, 401);
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("moves a publishable key to another origin; a bad origin is named under the field", async () => {
      const name = `Pages ${randomUUID().slice(0, 8)}`;
      const pk = await ctx().mintKey({
        name,
        kind: "publishable",
        scopes: ["handoffs:write"],
        origins: ["https://shop.example"],
      });
      const create = (origin) =>
        fetchRetrying(`${ctx().url}/v1/handoffs`, {
          method: "POST",
          headers: { authorization: `Bearer ${pk}`, origin, "content-type": "application/json" },
          body: "{}",
        });
      const { page, errors } = await consolePage();
      await signIn(page, ADMIN_KEY);
      await page.getByRole("link", { name: "API keys" }).click();
      await page.getByRole("button", { name: `Edit the key ${name}` }).click();
      const origins = page.locator(".key-panel textarea[name=origins]");
      assert.equal(await origins.inputValue(), "https://shop.example");
      await origins.fill("https://m.shop.example/cart");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.locator('.key-panel [data-field="origins"] .field-error:not(:empty)').waitFor();
      await origins.fill("https://m.shop.example");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.locator("#live", { hasText: `Key ${name} saved.` }).waitFor();
      await page.getByRole("row", { name: new RegExp(`${name}.*m\\.shop\\.example`) }).waitFor();
      // The isolate that answered the edit forgot the key: the next request reads the new origins.
      assert.equal((await create("https://m.shop.example")).status, 201);
      assert.equal((await create("https://shop.example")).status, 403);
      saveScreenshot("console-keys-edit", await page.screenshot({ fullPage: true }));
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
