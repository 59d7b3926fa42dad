// The console in Chromium, a store's time zone: the stores page creates a store in a chosen zone
// (the browser's own list of IANA zones, "Default (UTC)" first), the store's page shows it and
// changes it, and "Default" sets it back to the deployment's (null through the API). The form
// passes axe. The list offers each zone once, under the name the API reads back: Kolkata and
// Kyiv, where Chromium's own list says Calcutta and Kiev.
// Screenshot: test-results/screenshots/console-store-zone.png.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { ADMIN_KEY, api } from "../../bench/lib.mjs";
import { axeViolations } from "./a11y-check.mjs";
import { consoleSession } from "./console-helpers.mjs";
import { saveScreenshot } from "./lib.mjs";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser }} ctx
 */
export function consoleStoreZoneTests(ctx) {
  const { signIn, consolePage } = consoleSession(ctx);
  const store = async (id) => api(ctx().url, ADMIN_KEY, "GET", `/v1/stores/${id}`);

  describe("console: a store's time zone", () => {
    it("creates a store in Los Angeles's zone, moves it to Tokyo's, then back to the default", async () => {
      const { page, errors } = await consolePage();
      await signIn(page, ADMIN_KEY);
      await page.goto(`${ctx().url}/dashboard/stores`);
      const name = `Venice ${randomUUID().slice(0, 8)}`;
      const zone = page.getByLabel("Time zone");
      assert.equal(await zone.inputValue(), "", "the deployment's, unless chosen");
      assert.equal(await zone.locator("option").first().textContent(), "Default (UTC)");
      await page.getByLabel("Name", { exact: true }).fill(name);
      await zone.selectOption("America/Los_Angeles");
      const { failing } = await axeViolations(page);
      assert.deepEqual(
        failing.map((v) => `${v.rule} [${v.impact}] ${v.target}: ${v.summary}`),
        [],
      );
      saveScreenshot("console-store-zone", await page.screenshot({ fullPage: true }));
      await page.getByRole("button", { name: "Create store" }).click();
      await page.getByRole("link", { name }).click();
      const id = new URL(page.url()).pathname.split("/").pop();
      assert.equal((await store(id)).time_zone, "America/Los_Angeles");

      const edit = page.getByLabel("Time zone");
      assert.equal(await edit.inputValue(), "America/Los_Angeles");
      await edit.selectOption("Asia/Tokyo");
      await page.getByRole("button", { name: "Save" }).click();
      await page.waitForFunction(() => document.getElementById("live").textContent !== "");
      assert.equal((await store(id)).time_zone, "Asia/Tokyo");

      await page.reload();
      assert.equal(await page.getByLabel("Time zone").inputValue(), "Asia/Tokyo");
      await page.getByLabel("Time zone").selectOption("");
      await page.getByRole("button", { name: "Save" }).click();
      await page.waitForFunction(() => document.getElementById("live").textContent !== "");
      assert.equal((await store(id)).time_zone, null);
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("offers Kolkata and Kyiv once, by the names the API reads back, and shows them after a save", async () => {
      const { page, errors } = await consolePage();
      await signIn(page, ADMIN_KEY);
      // This Chromium spells them the old way itself: the console must not pass that on.
      const listed = await page.evaluate(() => Intl.supportedValuesOf("timeZone"));
      assert.ok(
        listed.includes("Asia/Calcutta") && listed.includes("Europe/Kiev"),
        "old spellings",
      );
      await page.goto(`${ctx().url}/dashboard/stores`);
      const zone = page.getByLabel("Time zone");
      const offered = async () =>
        zone.locator("option").evaluateAll((os) => os.map((o) => o.value));
      const spelled = (zones) => zones.filter((z) => /Calcutta|Kolkata|Kiev|Kyiv/.test(z));
      assert.deepEqual(spelled(await offered()), ["Asia/Kolkata", "Europe/Kyiv"]);
      const name = `Mumbai ${randomUUID().slice(0, 8)}`;
      await page.getByLabel("Name", { exact: true }).fill(name);
      await zone.selectOption("Asia/Kolkata");
      await page.getByRole("button", { name: "Create store" }).click();
      await page.getByRole("link", { name }).click();
      const id = new URL(page.url()).pathname.split("/").pop();
      assert.equal((await store(id)).time_zone, "Asia/Kolkata");

      // The store's page: its zone selected, listed once, and so after a change is saved.
      assert.equal(await zone.inputValue(), "Asia/Kolkata");
      assert.deepEqual(spelled(await offered()), ["Asia/Kolkata", "Europe/Kyiv"]);
      await zone.selectOption("Europe/Kyiv");
      await page.getByRole("button", { name: "Save" }).click();
      await page.waitForFunction(() => document.getElementById("live").textContent !== "");
      assert.equal((await store(id)).time_zone, "Europe/Kyiv");
      assert.equal(await zone.inputValue(), "Europe/Kyiv");
      await page.reload();
      assert.equal(await zone.inputValue(), "Europe/Kyiv");
      assert.deepEqual(spelled(await offered()), ["Asia/Kolkata", "Europe/Kyiv"]);
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
