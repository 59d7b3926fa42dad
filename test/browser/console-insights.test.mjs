// The console's two weekly questions, as a marketer meets them: "which posters have gone quiet"
// (a store's page and the funnel page list the poster scanned until 9 days ago, each linked to
// its page; a store with none says so) and "better or worse than before" (the scans tile shows
// its change from the previous 30 days, with an arrow, a sign and a sentence for screen
// readers). Past days cannot be scanned today: their rollup rows are written straight to the
// Worker's local D1. Screenshot: test-results/screenshots/console-insights.png.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { api } from "../../bench/lib.mjs";
import { consoleSession } from "./console-helpers.mjs";
import { saveScreenshot } from "./lib.mjs";

/** Rollup day rows of `poster` (UTC days, `ago` days before today), `counts` on each. */
const rollups = (store, poster, agos, counts) =>
  `INSERT INTO hop_rollups (day, kind, store_id, campaign_id, poster_id, counts) VALUES ${agos
    .map(
      (ago) =>
        `(date('now', '-${ago} days'), 'poster', '${store}', '', '${poster}', '${JSON.stringify(counts)}')`,
    )
    .join(", ")}`;

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string>, d1: (sql: string) => unknown[] }} ctx
 */
export function consoleInsightsTests(ctx) {
  const { signIn, consolePage } = consoleSession(ctx);

  describe("console: posters gone quiet and the change from the previous period", () => {
    it("lists the quiet poster with a link, says when there is none, and shows a KPI's change", async () => {
      const url = ctx().url;
      const run = Date.now().toString(36);
      const key = await ctx().mintKey({
        name: "insights",
        kind: "secret",
        scopes: ["stats:read", "posters:write"],
      });
      const v1 = (method, path, body) => api(url, key, method, path, body);
      const quietStore = await v1("POST", "/v1/stores", { name: `Quiet ${run}` });
      const busyStore = await v1("POST", "/v1/stores", { name: `Busy ${run}` });
      const torn = await v1("POST", "/v1/posters", {
        name: `Torn down ${run}`,
        path: "/menu",
        store_id: quietStore.id,
      });
      const busy = await v1("POST", "/v1/posters", {
        name: `Busy door ${run}`,
        path: "/menu",
        store_id: busyStore.id,
      });
      // Scanned twice a day from 20 to 9 days ago, then nothing: quiet. The busy store's poster:
      // 12 scans 3 days ago and 10 scans 40 days ago (the previous 30 days): up 20 %.
      ctx().d1(
        rollups(quietStore.id, torn.id, [20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9], {
          scanned: 2,
        }),
      );
      ctx().d1(rollups(busyStore.id, busy.id, [3], { scanned: 12, landing: 12 }));
      ctx().d1(rollups(busyStore.id, busy.id, [40], { scanned: 10, landing: 10 }));
      const quiet = await v1("GET", `/v1/stats/quiet-posters?store_id=${quietStore.id}`);
      assert.deepEqual(
        quiet.posters.map((p) => [p.poster_id, p.baseline_scans, p.quiet_days]),
        [[torn.id, 24, 9]],
      );

      const { page, errors } = await consolePage();
      await signIn(page, key);

      // The store's page: its quiet posters, each a link to the poster's page.
      await page.goto(`${url}/dashboard/stores/${quietStore.id}`);
      const card = page.locator("#quiet-posters");
      await card.locator("tbody tr").first().waitFor();
      assert.equal(await card.locator("h2").textContent(), "Posters gone quiet");
      const row = card.locator(`tr[data-poster="${torn.id}"]`);
      assert.equal(await card.locator("tbody tr").count(), 1);
      assert.match(await row.textContent(), /24/);
      assert.match(await row.textContent(), /\(9 days ago\)/);
      const link = row.getByRole("link", { name: torn.name });
      assert.equal(await link.getAttribute("href"), `/dashboard/posters/${torn.id}`);

      // The funnel page filtered to the store lists it too; following the link opens the poster.
      await page.goto(`${url}/dashboard?store_id=${quietStore.id}`);
      const onFunnel = page.locator("#quiet-posters");
      await onFunnel.locator(`tr[data-poster="${torn.id}"]`).waitFor();
      await Promise.all([
        page.waitForURL(new RegExp(`/dashboard/posters/${torn.id}$`)),
        onFunnel.getByRole("link", { name: torn.name }).click(),
      ]);
      await page.locator("h1", { hasText: torn.name }).waitFor();

      // The busy store: nothing quiet, said in words; the scans tile beside the 30 days before.
      await page.goto(`${url}/dashboard?store_id=${busyStore.id}`);
      await page.locator("#quiet-posters .empty").waitFor();
      assert.equal(
        await page.locator("#quiet-posters .empty").textContent(),
        "No poster has gone quiet.",
      );
      const change = page.locator("#k-scans + .change");
      await change.waitFor();
      assert.equal(await page.locator("#k-scans").textContent(), "12");
      assert.equal(await change.getAttribute("class"), "change up");
      assert.equal(await change.locator("b").textContent(), "▲ +20%");
      assert.equal(await change.locator("b").getAttribute("aria-hidden"), "true");
      assert.equal(
        await change.locator(".sr-only").textContent(),
        "up 20% from 10 in the previous 30 days",
      );
      // Landing and app opens: none in either period, so no change is shown for opens.
      assert.equal(await page.locator("#k-opens + .change").count(), 0);
      saveScreenshot("console-insights", await page.screenshot({ fullPage: true }));

      // The store's page card says it in the page's language too: French, "+20 %".
      await page.context().addCookies([{ name: "qb_lang", value: "fr", url }]);
      await page.goto(`${url}/dashboard/stores/${busyStore.id}`);
      const tile = page.locator(".kpi", { hasText: "Scans" }).locator(".change").first();
      await tile.waitFor();
      assert.equal(await tile.locator("b").textContent(), "▲ +20\u00a0%");
      assert.match(await tile.locator(".sr-only").textContent(), /^en hausse de 20\u00a0%/);
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
