// The console in Chromium, for the admin's records: the audit log shows a change the admin just
// made, newest first, and pages through more than one page with the API's cursor; a stats-only
// session has no entry for it and is told why at its URL. Screenshots:
// test-results/screenshots/console-audit*.png.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { ADMIN_KEY, api } from "../../bench/lib.mjs";
import { consoleSession } from "./console-helpers.mjs";
import { saveScreenshot } from "./lib.mjs";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string> }} ctx
 */
export function consoleAuditTests(ctx) {
  const { signIn, consolePage } = consoleSession(ctx);

  describe("console: audit log", () => {
    it("shows the admin's own change first, and pages through a key's 30 changes", async () => {
      const { url } = ctx();
      const tag = randomUUID().slice(0, 8);
      // 30 changes by one key (an integration's), to page through: the page shows 25.
      const writer = await api(url, ADMIN_KEY, "POST", "/v1/keys", {
        name: `Audit writer ${tag}`,
        kind: "secret",
        scopes: ["posters:write"],
      });
      for (let i = 1; i <= 30; i++)
        await api(url, writer.key, "POST", "/v1/stores", { name: `Audit ${tag} #${i}` });

      const { page, errors } = await consolePage();
      await signIn(page, ADMIN_KEY);
      // A change the admin makes in the console now.
      await page.getByRole("link", { name: "Stores" }).click();
      await page.getByLabel("Name", { exact: true }).fill(`Console ${tag}`);
      await page.getByRole("button", { name: "Create store" }).click();
      await page.locator("#live", { hasText: `Store Console ${tag} created.` }).waitFor();

      await page.getByRole("link", { name: "Audit log" }).click();
      await page.waitForURL(/\/dashboard\/audit-log$/);
      const rows = page.locator("#view tbody tr");
      const first = rows.first();
      await first.locator("td", { hasText: `name: Console ${tag}` }).waitFor();
      assert.match(await first.textContent(), /Admin key · console/);
      assert.match(await first.textContent(), /Store st_\w+Created/);
      assert.equal(await first.getAttribute("data-action"), "store.create");
      // The store is a link to its page.
      assert.match(await first.locator("a").getAttribute("href"), /\/dashboard\/stores\/st_\w+$/);
      saveScreenshot("console-audit", await page.screenshot({ fullPage: true }));

      // The writer's changes only: 25, then 5 more, newest first, and back.
      const names = async () =>
        (await rows.locator("td:nth-child(5)").allTextContents()).map(
          (t) => /name: (Audit \S+ #\d+)/.exec(t)?.[1],
        );
      await page.getByLabel("Key", { exact: true }).selectOption(writer.id);
      await page.getByRole("button", { name: "Apply" }).click();
      // The unfiltered page held most of these rows too: wait for the admin's to be gone.
      await page
        .locator("#view tbody tr", { hasText: `Console ${tag}` })
        .waitFor({ state: "detached" });
      const expected = Array.from({ length: 30 }, (_, i) => `Audit ${tag} #${30 - i}`);
      assert.deepEqual(await names(), expected.slice(0, 25));
      assert.match(await first.textContent(), new RegExp(`Audit writer ${tag} · API`));
      const next = page.getByRole("button", { name: "Next page" });
      const prev = page.getByRole("button", { name: "Previous page" });
      assert.equal(await prev.isDisabled(), true);
      await next.click();
      await page.locator("#view tbody tr td", { hasText: `Audit ${tag} #5` }).waitFor();
      assert.deepEqual(await names(), expected.slice(25));
      assert.equal(await next.isDisabled(), true, "the last page has no next");
      await prev.click();
      await page.locator("#view tbody tr td", { hasText: `Audit ${tag} #30` }).waitFor();
      assert.equal((await names()).length, 25);

      // An id without its kind: the API's refusal is said, the table is not every item's.
      await page.getByLabel("Item id").fill("st_nothing");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.locator("#view .paged [role=status]", { hasText: "subject_type" }).waitFor();
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("a stats-only session has no audit log entry, and its URL says why", async () => {
      const reader = await ctx().mintKey({
        name: "audit reader",
        kind: "secret",
        scopes: ["stats:read"],
      });
      const { page, errors } = await consolePage();
      await signIn(page, reader);
      await page.locator("nav").waitFor();
      assert.equal(await page.getByRole("link", { name: "Audit log" }).count(), 0);
      await page.goto(`${ctx().url}/dashboard/audit-log`);
      const notice = page.getByRole("alert");
      assert.match(await notice.textContent(), /Only a session opened with the admin key/);
      assert.equal(await page.locator("#view table").count(), 0);
      saveScreenshot("console-audit-refused", await page.screenshot());
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
