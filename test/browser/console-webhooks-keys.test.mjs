// The console in Chromium, for integrations: a webhook is registered (secret shown once) and its
// test delivery shows in the log; the admin mints and revokes a key and sees the dead letters.
// Screenshots: test-results/screenshots/console-*.png.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { describe, it } from "node:test";
import { ADMIN_KEY, api, fetchRetrying } from "../../bench/lib.mjs";
import { consoleSession, webhookReceiver } from "./console-helpers.mjs";
import { saveScreenshot } from "./lib.mjs";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string> }} ctx
 */
export function consoleWebhookKeyTests(ctx) {
  const { signIn, consolePage } = consoleSession(ctx);

  describe("console: webhooks and API keys", () => {
    it("registers a webhook, shows its secret once and its test delivery in the log", async () => {
      const receiver = await webhookReceiver("/hook");
      const { received, url: hookUrl } = receiver;
      try {
        const hookKey = await ctx().mintKey({
          name: "console webhooks",
          kind: "secret",
          scopes: ["stats:read", "webhooks:write"],
        });
        const { page, errors } = await consolePage();
        await signIn(page, hookKey);
        await page.getByRole("link", { name: "Webhooks" }).click();
        await page.getByLabel("Endpoint URL").fill(hookUrl);
        await page.getByRole("button", { name: "Register" }).click();
        // No event chosen: the API's error sits next to the events.
        await page.locator('[data-field="events"] .field-error:not(:empty)').waitFor();
        await page.getByLabel("poster.scanned").check();
        await page.getByRole("button", { name: "Register" }).click();
        const secret = page.locator(".once code");
        await secret.waitFor();
        assert.match(await secret.textContent(), /^whsec_/);
        saveScreenshot("console-webhooks", await page.screenshot({ fullPage: true }));
        await page.locator("table a", { hasText: hookUrl }).click();
        await page.waitForURL(/\/dashboard\/webhooks\/whe_/);
        assert.equal(await page.locator(".once").count(), 0, "the secret is never shown again");
        await page.getByRole("button", { name: "Send a test event" }).click();
        const delivered = page.locator("tbody tr .badge.delivered");
        for (let i = 0; !(await delivered.count()); i++) {
          assert.ok(i < 30, "the test delivery shows as delivered");
          await page.waitForTimeout(500);
          await page.getByRole("button", { name: "Refresh" }).click();
        }
        assert.equal(received.length, 1);
        assert.ok(received[0].headers["qb-signature"], "the delivery is signed");
        await page.getByRole("button", { name: "Attempts" }).first().click();
        await page.locator(".attempts li", { hasText: "HTTP 204" }).waitFor();
        saveScreenshot("console-webhook-log", await page.screenshot({ fullPage: true }));
        await page.getByRole("button", { name: "Remove endpoint" }).click();
        await page.waitForURL(/\/dashboard\/webhooks$/);
        await page.locator("td", { hasText: "No webhook endpoints yet." }).waitFor();
        assert.deepEqual(errors, []);
        await page.close();
      } finally {
        receiver.close();
      }
    });

    it("says when a failing delivery is tried next and lets it be retried now", async () => {
      const down = createServer((_req, res) => res.writeHead(503).end());
      await new Promise((r) => down.listen(0, "127.0.0.1", r));
      try {
        const hookKey = await ctx().mintKey({
          name: "console webhook retries",
          kind: "secret",
          scopes: ["stats:read", "webhooks:write"],
        });
        const { page, errors } = await consolePage();
        await signIn(page, hookKey);
        await page.getByRole("link", { name: "Webhooks" }).click();
        await page.getByLabel("Endpoint URL").fill(`http://127.0.0.1:${down.address().port}/down`);
        await page.getByLabel("conversion", { exact: true }).check();
        await page.getByRole("button", { name: "Register" }).click();
        await page.locator(".once code").waitFor();
        await page.locator("table a", { hasText: "/down" }).click();
        await page.waitForURL(/\/dashboard\/webhooks\/whe_/);
        await page.getByRole("button", { name: "Send a test event" }).click();
        const retrying = page.locator("tbody tr", { has: page.locator(".badge.retrying") });
        for (let i = 0; !(await retrying.count()); i++) {
          assert.ok(i < 30, "the failed test delivery shows as retrying");
          await page.waitForTimeout(500);
          await page.getByRole("button", { name: "Refresh" }).click();
        }
        // One try made, 30 s of backoff: the log says when the next comes and what is left.
        assert.match(
          await retrying.locator(".retry-note").textContent(),
          /^next try in \d+ sec · 8 tries left$/,
        );
        saveScreenshot("console-webhook-retrying", await page.screenshot({ fullPage: true }));
        await retrying.getByRole("button", { name: "Retry", exact: true }).click();
        await page.locator("#live", { hasText: "Sent again." }).waitFor();
        await page.getByRole("button", { name: "Remove endpoint" }).click();
        await page.waitForURL(/\/dashboard\/webhooks$/);
        assert.deepEqual(errors, []);
        await page.close();
      } finally {
        down.close();
      }
    });

    it("lets the admin mint a key (shown once) and revoke it; dead letters are listed", async () => {
      const { url } = ctx();
      const { page, errors } = await consolePage();
      await signIn(page, ADMIN_KEY);
      await page.getByRole("link", { name: "API keys" }).click();
      await page.getByLabel("Name").fill("Till 3");
      await page.getByLabel("stats:read").check();
      await page.getByRole("button", { name: "Mint key" }).click();
      const shown = page.locator(".once code");
      await shown.waitFor();
      const minted = await shown.textContent();
      assert.match(minted, /^qb_sk_/);
      const works = await fetchRetrying(`${url}/v1/stats/funnel`, {
        headers: { authorization: `Bearer ${minted}` },
      });
      assert.equal(works.status, 200);
      // That call was the key's first use: the list says when (it was "Not used yet" before).
      const row = page.getByRole("row", { name: /Till 3/ });
      assert.match(await row.textContent(), /Not used yet/);
      // The write runs after that answer (waitUntil): reload until the list has it.
      let text = "";
      for (let i = 0; i < 5 && (text === "" || /Not used yet/.test(text)); i++) {
        await page.reload();
        text = (await page.getByRole("row", { name: /Till 3/ }).textContent()) ?? "";
      }
      assert.doesNotMatch(text, /Not used yet/);
      saveScreenshot("console-keys", await page.screenshot({ fullPage: true }));
      await page.getByRole("button", { name: "Revoke the key Till 3" }).click();
      await page.locator("#live", { hasText: "Till 3 revoked" }).waitFor();
      await page.getByRole("link", { name: "Dead letters" }).click();
      await page.getByRole("button", { name: "Replay selected" }).waitFor();
      saveScreenshot("console-dead-letters", await page.screenshot({ fullPage: true }));
      assert.deepEqual(errors, []);
      await page.close();
    });
    it("mints a store key from the form: secret and stats:read only, listed with its store", async () => {
      const { url } = ctx();
      const tag = randomUUID().slice(0, 8);
      const kept = await api(url, ADMIN_KEY, "POST", "/v1/stores", {
        name: `Picker ${tag}`,
        ref: "PK-1",
      });
      const gone = await api(url, ADMIN_KEY, "POST", "/v1/stores", { name: `Gone ${tag}` });
      const { page, errors } = await consolePage();
      await signIn(page, ADMIN_KEY);
      await page.getByRole("link", { name: "API keys" }).click();
      const store = page.getByRole("combobox", { name: "Store", exact: true });
      await store.waitFor();
      await page.getByLabel("Name", { exact: true }).fill(`Till ${tag}`);
      await page.getByLabel("webhooks:write").check();
      await store.fill(`Gone ${tag}`);
      await page.getByRole("option", { name: `Gone ${tag}` }).click();
      // Deleted after the search found it: the API's refusal shows under the store choice.
      await api(url, ADMIN_KEY, "DELETE", `/v1/stores/${gone.id}`);
      // A store key is a secret stats:read key: the form shows that and holds the other choices.
      const kind = page.getByLabel("Kind", { exact: true });
      assert.equal(await kind.inputValue(), "secret");
      assert.ok(await kind.isDisabled());
      assert.ok(await page.getByLabel("stats:read").isChecked());
      assert.ok(await page.getByLabel("stats:read").isDisabled());
      assert.equal(await page.getByLabel("webhooks:write").isChecked(), false);
      assert.ok(await page.getByLabel("webhooks:write").isDisabled());
      await page.getByRole("button", { name: "Mint key" }).click();
      const storeError = page.locator('[data-field="store_id"] .field-error');
      await storeError.filter({ hasText: `no store ${gone.id}` }).waitFor();
      assert.equal(await store.getAttribute("aria-invalid"), "true");
      assert.equal(await page.locator(".once code").count(), 0);

      await store.fill(`Picker ${tag}`);
      await page.getByRole("option", { name: `Picker ${tag} (PK-1)` }).click();
      await page.getByRole("button", { name: "Mint key" }).click();
      const shown = page.locator(".once code");
      await shown.waitFor();
      const minted = await shown.textContent();
      assert.match(minted, /^qb_sk_/);
      const row = page.getByRole("row", { name: new RegExp(`Till ${tag}`) });
      assert.match(await row.textContent(), new RegExp(`stats:read · Store: Picker ${tag}`));
      const listed = (await api(url, ADMIN_KEY, "GET", "/v1/keys")).keys.find(
        (k) => k.name === `Till ${tag}`,
      );
      assert.deepEqual(
        [listed.kind, listed.scopes, listed.store_id],
        ["secret", ["stats:read"], kept.id],
      );
      // The key reads its store and does nothing else (webhooks:write was checked before the store was).
      const own = await fetchRetrying(`${url}/v1/stats/funnel?store_id=${kept.id}`, {
        headers: { authorization: `Bearer ${minted}` },
      });
      assert.equal(own.status, 200);
      const hooks = await fetchRetrying(`${url}/v1/webhooks`, {
        headers: { authorization: `Bearer ${minted}` },
      });
      assert.equal(hooks.status, 403);
      // The form is back to "All stores" with every choice open again.
      assert.equal(await store.inputValue(), "");
      assert.equal(await kind.isDisabled(), false);
      assert.equal(await page.getByLabel("stats:read").isDisabled(), false);
      saveScreenshot("console-keys-store", await page.screenshot({ fullPage: true }));
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
