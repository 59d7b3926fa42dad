// The console in Chromium, a key's end and its scopes: the admin mints a temporary key (in 7
// days, then until a chosen last day) and the list shows when each ends; narrows a key's scopes
// (never widens: only the key's own are offered) and the API then refuses the dropped one; an
// expired key at the sign-in is told it expired and when. The keys page with a store key, a
// publishable and a rolled key listed passes axe in light and dark, in Hebrew (right to left),
// and a temporary key is minted by keyboard alone.
// Screenshots: test-results/screenshots/console-keys-end*.png.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { ADMIN_KEY, api, fetchRetrying } from "../../bench/lib.mjs";
import { axeViolations } from "./a11y-check.mjs";
import { consoleSession } from "./console-helpers.mjs";
import { saveScreenshot } from "./lib.mjs";

const DAY = 86_400_000;

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string>, d1: (sql: string) => any[] }} ctx
 */
export function consoleKeyEndTests(ctx) {
  const { signIn, consolePage } = consoleSession(ctx);
  const tag = () => randomUUID().slice(0, 8);
  const listed = async (name) =>
    (await api(ctx().url, ADMIN_KEY, "GET", "/v1/keys")).keys.find((k) => k.name === name);
  const withKey = (key, path) =>
    fetchRetrying(`${ctx().url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  /** The day `days` from now as the page's date field writes it (the browser's time zone). */
  const pageDay = (page, days) =>
    page.evaluate((d) => {
      const t = new Date(Date.now() + d * 86_400_000);
      const pad = (n) => String(n).padStart(2, "0");
      return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
    }, days);
  async function expectClean(page, name) {
    const { failing } = await axeViolations(page);
    assert.deepEqual(
      failing.map((v) => `${v.rule} [${v.impact}] ${v.target}: ${v.summary}`),
      [],
      name,
    );
  }

  describe("console: a key's end and its scopes", () => {
    it("mints a key for 7 days, then one until a chosen day; the list shows each end", async () => {
      const { page, errors } = await consolePage();
      await signIn(page, ADMIN_KEY);
      await page.getByRole("link", { name: "API keys" }).click();
      const ends = page.getByLabel("Stops working");
      assert.equal(await ends.inputValue(), "", "never, unless chosen");
      assert.equal(await page.getByLabel("Last day it works").isVisible(), false);

      const week = `Contractor ${tag()}`;
      await page.getByLabel("Name", { exact: true }).fill(week);
      await page.getByLabel("stats:read").check();
      await ends.selectOption({ label: "In 7 days" });
      const before = Date.now();
      await page.getByRole("button", { name: "Mint key" }).click();
      await page.locator(".once code").waitFor();
      const after = Date.now();
      await page.locator("#live", { hasText: `Key ${week} minted` }).waitFor();
      assert.match(await page.locator("#live").textContent(), /It stops working on \d/);
      const weekKey = await listed(week);
      assert.ok(weekKey.expires_at >= before + 7 * DAY && weekKey.expires_at <= after + 7 * DAY);
      const weekRow = page.getByRole("row", { name: new RegExp(week) });
      assert.match(await weekRow.textContent(), /expires in (6|7) days · \d+\/\d+\/\d{4}/);
      assert.equal(await ends.inputValue(), "", "back to never after a mint");

      // A last day: the field appears with the choice, starts at today, and refuses a day gone.
      const event = `Fair ${tag()}`;
      await page.getByLabel("Name", { exact: true }).fill(event);
      await page.getByLabel("stats:read").check();
      await ends.selectOption({ label: "After a day you choose…" });
      const day = page.getByLabel("Last day it works");
      await day.waitFor();
      assert.equal(await day.getAttribute("min"), await pageDay(page, 0));
      await day.fill(await pageDay(page, -1));
      await page.getByRole("button", { name: "Mint key" }).click();
      await page
        .locator('[data-field="expires_on"] .field-error', { hasText: "That day is over" })
        .waitFor();
      assert.equal(await day.getAttribute("aria-invalid"), "true");
      assert.equal(await listed(event), undefined, "nothing minted");

      const lastDay = await pageDay(page, 10);
      await day.fill(lastDay);
      await page.getByRole("button", { name: "Mint key" }).click();
      await page.locator("#live", { hasText: `Key ${event} minted` }).waitFor();
      const eventKey = await listed(event);
      // It works through the whole last day, in the browser's time zone, and stops at its end.
      const [inDay, atEnd] = await page.evaluate((at) => {
        const d = (ms) => {
          const t = new Date(ms);
          return [t.getFullYear(), t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes()];
        };
        return [d(at - 1), d(at)];
      }, eventKey.expires_at);
      assert.deepEqual(inDay.slice(0, 3), lastDay.split("-").map(Number));
      assert.deepEqual(atEnd.slice(3), [0, 0]);
      const eventRow = page.getByRole("row", { name: new RegExp(event) });
      assert.match(await eventRow.textContent(), /expires in (10|11) days · /);
      assert.equal(await day.isVisible(), false, "the day field goes with the choice");
      const minted = await page.locator(".once code").textContent();
      assert.equal((await withKey(minted, "/v1/stats/funnel")).status, 200);
      saveScreenshot("console-keys-end", await page.screenshot({ fullPage: true }));
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("narrows a key's scopes, never widens them; the API then refuses the dropped scope", async () => {
      const name = `Narrow ${tag()}`;
      const key = await ctx().mintKey({
        name,
        kind: "secret",
        scopes: ["stats:read", "posters:write", "webhooks:write"],
      });
      assert.equal((await withKey(key, "/v1/stores?limit=1")).status, 200);
      const { page, errors } = await consolePage();
      await signIn(page, ADMIN_KEY);
      await page.getByRole("link", { name: "API keys" }).click();
      await page.getByRole("button", { name: `Edit the key ${name}` }).click();
      const panel = page.locator(".key-panel");
      const boxes = panel.locator('input[name="scopes"]');
      // Only the key's own scopes, each ticked: no way to add one, and the hint says why.
      assert.deepEqual(await boxes.evaluateAll((bs) => bs.map((b) => [b.value, b.checked])), [
        ["stats:read", true],
        ["posters:write", true],
        ["webhooks:write", true],
      ]);
      const fieldset = panel.getByRole("group", { name: "Scopes" });
      assert.match(
        await fieldset
          .getAttribute("aria-describedby")
          .then((id) => page.locator(`#${id}`).textContent()),
        /only be taken away, never added.*mint a new key/,
      );

      // Every scope unticked: refused in the page, nothing sent.
      for (const s of ["stats:read", "posters:write", "webhooks:write"])
        await panel.getByLabel(s).uncheck();
      await panel.getByRole("button", { name: "Save", exact: true }).click();
      await panel
        .locator('[data-field="scopes"] .field-error', { hasText: "Keep at least one scope" })
        .waitFor();
      assert.equal((await listed(name)).scopes.length, 3);

      await panel.getByLabel("stats:read").check();
      await panel.getByLabel("webhooks:write").check();
      await panel.getByRole("button", { name: "Save", exact: true }).click();
      await page.locator("#live", { hasText: `Key ${name} saved.` }).waitFor();
      const row = page.getByRole("row", { name: new RegExp(name) });
      await page
        .getByRole("row", { name: new RegExp(`${name}.*stats:read, webhooks:write`) })
        .waitFor();
      assert.doesNotMatch(await row.textContent(), /posters:write/);
      assert.deepEqual((await listed(name)).scopes, ["stats:read", "webhooks:write"]);
      const refused = await withKey(key, "/v1/stores?limit=1");
      assert.equal(refused.status, 403);
      assert.equal((await refused.json()).error, "forbidden");
      assert.equal((await withKey(key, "/v1/stats/funnel")).status, 200, "the kept scope works");
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("tells an expired key at the sign-in that it expired and when; a wrong key learns nothing", async () => {
      const name = `Expired ${tag()}`;
      const key = await ctx().mintKey({ name, kind: "secret", scopes: ["stats:read"] });
      // Ended at a fixed time (never looked up yet, so no isolate holds it otherwise).
      const ended = Date.UTC(2026, 10, 30, 9, 30);
      ctx().d1(`UPDATE api_keys SET expires_at = ${ended} WHERE name = '${name}'`);
      const { page, errors } = await consolePage();
      const tryKey = async (text) => {
        await page.goto(`${ctx().url}/dashboard`);
        await page.fill("#key", text);
        await Promise.all([page.waitForLoadState("load"), page.press("#key", "Enter")]);
        return page.getByRole("alert").filter({ hasText: /\S/ }).textContent();
      };
      assert.equal(
        await tryKey(key),
        "That key expired on November 30, 2026 at 09:30 AM UTC: it no longer opens anything. Ask whoever manages your keys for a new one.",
      );
      saveScreenshot("console-keys-end-signin", await page.screenshot({ fullPage: true }));
      await expectClean(page, "sign-in with the expired message");
      const near = key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");
      assert.equal(await tryKey(near), "That key is not valid or has been revoked.");
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("the keys page with store, publishable and rolled keys: axe in light, dark and Hebrew; minted by keyboard", async () => {
      const { url } = ctx();
      const t = tag();
      const store = await api(url, ADMIN_KEY, "POST", "/v1/stores", { name: `A11y ${t}` });
      await ctx().mintKey({
        name: `Store ${t}`,
        kind: "secret",
        scopes: ["stats:read"],
        store_id: store.id,
      });
      await ctx().mintKey({
        name: `Site ${t}`,
        kind: "publishable",
        scopes: ["handoffs:write"],
        origins: ["https://shop.example"],
      });
      await ctx().mintKey({ name: `Old ${t}`, kind: "secret", scopes: ["stats:read"] });
      const old = await listed(`Old ${t}`);
      await api(url, ADMIN_KEY, "POST", `/v1/keys/${old.id}/roll`, { expires_in: 3600 });

      const { page, errors } = await consolePage();
      await signIn(page, ADMIN_KEY);
      await page.goto(`${url}/dashboard/keys`);
      await page.getByRole("row", { name: new RegExp(`Old ${t}.*Rolled`) }).waitFor();
      // The date field shown, a one-scope key's edit open (its box held, the hint saying why).
      await page.getByLabel("Stops working").selectOption("date");
      await page.getByRole("button", { name: `Edit the key Site ${t}` }).click();
      const only = page.locator(".key-panel").getByLabel("handoffs:write");
      assert.ok(await only.isChecked());
      assert.ok(await only.isDisabled());
      await expectClean(page, "keys, light");
      await page.emulateMedia({ colorScheme: "dark" });
      await expectClean(page, "keys, dark");
      saveScreenshot("console-keys-end-dark", await page.screenshot({ fullPage: true }));
      await page.emulateMedia({ colorScheme: "light" });

      await page.locator("select[data-set-lang]").selectOption("he");
      await page.locator('html[lang="he"][dir="rtl"]').waitFor({ state: "attached" });
      await page
        .getByRole("row", { name: new RegExp(`Old ${t}`) })
        .first()
        .waitFor();
      await page.getByLabel("מפסיק לעבוד").selectOption("date");
      // Its second action is Edit (Roll first), named in Hebrew.
      await page
        .getByRole("row", { name: new RegExp(`Site ${t}`) })
        .locator("button")
        .nth(1)
        .click();
      await page.locator(".key-panel fieldset").waitFor();
      await expectClean(page, "keys, Hebrew");
      saveScreenshot("console-keys-end-he", await page.screenshot({ fullPage: true }));
      await page.locator("select[data-set-lang]").selectOption("en");
      await page.locator('html[lang="en"]').waitFor({ state: "attached" });

      // By keyboard alone: name, a scope, the end "a day you choose", the day, Enter.
      await page.goto(`${url}/dashboard/keys`);
      await page.waitForLoadState("networkidle");
      const tabTo = async (selector) => {
        for (let i = 0; i < 60; i++) {
          await page.keyboard.press("Tab");
          if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return true;
        }
        return false;
      };
      const name = `Keys by keyboard ${t}`;
      assert.ok(await tabTo('form input[name="name"]'));
      await page.keyboard.type(name);
      assert.ok(await tabTo('input[name="scopes"][value="stats:read"]'));
      await page.keyboard.press("Space");
      assert.ok(await tabTo('select[name="expires_at"]'));
      await page.keyboard.press("End");
      assert.equal(await page.evaluate(() => document.activeElement.value), "date");
      assert.ok(await tabTo('input[name="expires_on"]'), "the day field is next");
      const lastDay = await pageDay(page, 3);
      const [y, m, d] = lastDay.split("-");
      // Chromium's date field takes its parts as typed, in the page's (en-US) order.
      await page.keyboard.type(`${m}${d}${y}`);
      await page.keyboard.press("Enter");
      await page.locator("#live", { hasText: `Key ${name} minted` }).waitFor();
      const minted = await listed(name);
      assert.ok(minted.expires_at > Date.now() + 2 * DAY);
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
