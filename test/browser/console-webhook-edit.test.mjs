// The console in Chromium, changing a webhook endpoint in place: a new signing secret is shown
// once (never again after a reload), the next delivery verifies with the old secret and with the
// new one, and a pause, a resume and an edit each say what they did; a paused endpoint's page says
// how many it holds, for how long, and how many a pause did not keep, linking to their hop export,
// and that the circuit breaker paused it when it did.
// Screenshots: test-results/screenshots/console-webhook-rotated.png, console-webhook-not-kept.png.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { consoleSession, webhookReceiver } from "./console-helpers.mjs";
import { saveScreenshot } from "./lib.mjs";

/** Whether QB-Signature `header` carries a v1 of `body` under `secret`. */
function signedWith(secret, body, header) {
  const parts = header.split(",").map((p) => p.split("="));
  const t = parts.find(([k]) => k === "t")?.[1];
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return parts.some(([k, v]) => k === "v1" && v === expected);
}

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string> }} ctx
 */
export function consoleWebhookEditTests(ctx) {
  const { signIn, consolePage } = consoleSession(ctx);

  describe("console: changing a webhook endpoint", () => {
    it("rotates its secret (shown once; both sign until the old one ends), pauses, resumes and edits it", async () => {
      const receiver = await webhookReceiver("/rotate");
      const { received, url: hookUrl } = receiver;
      try {
        const hookKey = await ctx().mintKey({
          name: "console webhook edit",
          kind: "secret",
          scopes: ["stats:read", "webhooks:write"],
        });
        const { page, errors } = await consolePage();
        await signIn(page, hookKey);
        await page.getByRole("link", { name: "Webhooks" }).click();
        await page.getByLabel("Endpoint URL").fill(hookUrl);
        await page.getByLabel("conversion", { exact: true }).check();
        await page.getByRole("button", { name: "Register" }).click();
        await page.locator(".once code").waitFor();
        const oldSecret = await page.locator(".once code").textContent();
        await page.locator("table a", { hasText: hookUrl }).click();
        await page.waitForURL(/\/dashboard\/webhooks\/whe_/);

        await page.getByRole("button", { name: "Make a new secret" }).click();
        const shown = page.locator(".once code");
        await shown.waitFor();
        const newSecret = await shown.textContent();
        assert.match(newSecret, /^whsec_[A-Za-z0-9+/]{43}=$/);
        assert.notEqual(newSecret, oldSecret);
        await page.locator("[data-webhook-status]", { hasText: "also signs until" }).waitFor();
        saveScreenshot("console-webhook-rotated", await page.screenshot({ fullPage: true }));

        await page.getByRole("button", { name: "Send a test event" }).click();
        for (let i = 0; received.length === 0; i++) {
          assert.ok(i < 60, "the test delivery arrives");
          await page.waitForTimeout(250);
        }
        const { headers, body } = received[0];
        assert.ok(signedWith(newSecret, body, headers["qb-signature"]), "signed with the new");
        assert.ok(signedWith(oldSecret, body, headers["qb-signature"]), "and with the old");
        assert.equal(headers["webhook-signature"].split(" ").length, 2);

        // Shown once: a reload shows the rotation's end, never the secret.
        await page.reload();
        await page.locator("[data-webhook-status]", { hasText: "also signs until" }).waitFor();
        assert.equal(await page.locator(".once").count(), 0, "the new secret is never shown again");
        assert.ok(!(await page.content()).includes(newSecret.slice(6, 30)));

        await page.getByRole("button", { name: "Pause deliveries" }).click();
        await page.locator("#live", { hasText: "Paused: events are held" }).waitFor();
        await page.locator("[data-webhook-status] .badge.paused").waitFor();
        await page.locator("[data-webhook-hold]", { hasText: "Held now: 0" }).waitFor();
        await page.locator("[data-webhook-hold]", { hasText: "up to 7 days" }).waitFor();
        // What the hourly cron counts when a pause outgrows its bounds (store/webhook-hold-expiry.ts).
        const from = Date.UTC(2026, 0, 5, 12);
        const to = Date.UTC(2026, 0, 9, 12);
        ctx().d1(
          `UPDATE webhook_endpoints SET hold_expired = 1204, hold_expired_from = ${from}, hold_expired_to = ${to} WHERE url = '${hookUrl}'`,
        );
        // As the circuit breaker's pause leaves it (store/webhook-breaker.ts): the page says so.
        assert.equal(await page.locator("[data-webhook-failing]").count(), 0, "a manual pause");
        ctx().d1(`UPDATE webhook_endpoints SET paused_reason = 'failing' WHERE url = '${hookUrl}'`);
        await page.reload();
        await page
          .locator("[data-webhook-failing]", { hasText: "its receiver kept failing" })
          .waitFor();
        const notKept = page.locator("[data-webhook-not-kept]");
        await notKept.filter({ hasText: "Events not kept while paused: 1,204" }).waitFor();
        assert.match(
          await notKept.getByRole("link").getAttribute("href"),
          /\/dashboard\?from=2026-01-04&to=2026-01-10$/,
        );
        saveScreenshot("console-webhook-not-kept", await page.screenshot({ fullPage: true }));
        await page.getByRole("button", { name: "Resume deliveries" }).click();
        await page
          .locator("#live", { hasText: "Resumed. Held events released to be sent: 0." })
          .waitFor();
        // Still said once resumed: the user reads those events from the export.
        await notKept.filter({ hasText: "1,204" }).waitFor();
        await page.locator("[data-webhook-status] .badge.active").waitFor();
        assert.equal(await page.locator("[data-webhook-failing]").count(), 0, "resumed");

        await page.getByLabel("Description").fill("moved receiver");
        await page.getByRole("button", { name: "Save", exact: true }).click();
        await page.locator("#live", { hasText: "Endpoint saved." }).waitFor();

        await page.getByRole("button", { name: "Remove endpoint" }).click();
        await page.waitForURL(/\/dashboard\/webhooks$/);
        assert.deepEqual(errors, []);
        await page.close();
      } finally {
        receiver.close();
      }
    });
  });
}
