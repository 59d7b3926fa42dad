// The console in Chromium, for the admin's records: the audit log shows a change the admin just
// made, newest first, and pages through more than one page with the API's cursor; a stats-only
// session has no entry for it and is told why at its URL. The keys page finds a store by typing
// part of its name among hundreds (past the API's largest page), by keyboard, and mints a key
// held to it. Screenshots: test-results/screenshots/console-audit*.png.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { ADMIN_KEY, api, fetchRetrying } from "../../bench/lib.mjs";
import { consoleSession } from "./console-helpers.mjs";
import { saveScreenshot } from "./lib.mjs";

/** More stores than one page of `GET /v1/stores` (200): the old form loaded them all. */
const MANY_STORES = 230;

/** Run `fn(i)` for 0…n-1, `width` at a time. */
async function inParallel(n, width, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string> }} ctx
 */
export function consoleAuditTests(ctx) {
  const { signIn, consolePage } = consoleSession(ctx);

  describe("console: audit log and the store search", () => {
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

    it("finds a store among hundreds by typing part of its name, and mints a key held to it", async () => {
      const { url } = ctx();
      const tag = randomUUID().slice(0, 8);
      // The one sought is made first: newest first, it is past the first page of 200.
      const sought = await api(url, ADMIN_KEY, "POST", "/v1/stores", {
        name: `Harbour Needle ${tag}`,
        ref: "HN-7",
      });
      await inParallel(MANY_STORES, 8, (i) =>
        api(url, ADMIN_KEY, "POST", "/v1/stores", { name: `Harbour ${tag} ${i}` }),
      );
      const { page, errors } = await consolePage();
      await signIn(page, ADMIN_KEY);
      await page.getByRole("link", { name: "API keys" }).click();
      await page.getByLabel("Name", { exact: true }).fill(`Needle till ${tag}`);
      const store = page.getByRole("combobox", { name: "Store", exact: true });
      // Part of the name, by keyboard only: the list opens, the arrow reaches the store.
      await store.focus();
      await page.keyboard.type(`needle ${tag}`);
      const option = page.getByRole("option", { name: `Harbour Needle ${tag} (HN-7)` });
      await option.waitFor();
      assert.equal(await store.getAttribute("aria-expanded"), "true");
      await page.locator("[role=status]", { hasText: "Stores found: 1." }).waitFor();
      await page.keyboard.press("ArrowDown"); // "All stores"
      await page.keyboard.press("ArrowDown");
      assert.equal(await option.getAttribute("aria-selected"), "true");
      assert.equal(
        await store.getAttribute("aria-activedescendant"),
        await option.getAttribute("id"),
      );
      saveScreenshot("console-audit-store-search", await page.screenshot({ fullPage: true }));
      await page.keyboard.press("Enter");
      assert.equal(await store.inputValue(), `Harbour Needle ${tag} (HN-7)`);
      assert.equal(await store.getAttribute("aria-expanded"), "false");
      assert.ok(await page.getByLabel("Kind", { exact: true }).isDisabled());
      // A broader search shows its first page only and says there is more.
      await store.fill(`Harbour ${tag}`);
      await page.locator("[role=status]", { hasText: "The first 20 stores" }).waitFor();
      const listbox = page.getByRole("listbox");
      assert.equal(await listbox.getByRole("option").count(), 21); // "All stores" and 20
      // Typing dropped the pick: the form is open again, and text that names no store is refused.
      assert.equal(await page.getByLabel("Kind", { exact: true }).isDisabled(), false);
      await store.press("Escape");
      await page.getByRole("button", { name: "Mint key" }).click();
      await page
        .locator('[data-field="store_id"] .field-error', { hasText: "Choose a store" })
        .waitFor();
      assert.equal(await page.locator(".once code").count(), 0);

      await store.fill(`Needle ${tag}`);
      await option.click();
      await page.getByRole("button", { name: "Mint key" }).click();
      const shown = page.locator(".once code");
      await shown.waitFor();
      const minted = await shown.textContent();
      const listed = (await api(url, ADMIN_KEY, "GET", "/v1/keys")).keys.find(
        (k) => k.name === `Needle till ${tag}`,
      );
      assert.deepEqual(
        [listed.kind, listed.scopes, listed.store_id],
        ["secret", ["stats:read"], sought.id],
      );
      const own = await fetchRetrying(`${url}/v1/stats/funnel?store_id=${sought.id}`, {
        headers: { authorization: `Bearer ${minted}` },
      });
      assert.equal(own.status, 200);
      const all = await fetchRetrying(`${url}/v1/stats/funnel`, {
        headers: { authorization: `Bearer ${minted}` },
      });
      assert.equal((await all.json()).freshness, null, "held to its store");
      assert.equal(await store.inputValue(), "", "the form is back to all stores");
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
