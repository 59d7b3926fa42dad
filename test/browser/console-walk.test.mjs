// The console as a shop's marketer uses it for a week (what a walk through it found broken):
// the funnel's count and rate never run into each other and its grid lines carry their exact
// values; store choices read in number order; a poster's "Open in the funnel" opens its own
// numbers; a poster scheduled for later says so and can be scheduled from its page (its scans
// refused, then accepted again); print files come in a chosen language, sheets hold the active
// posters with every SVG page linked, and a store page speaks plainly. The phone, failure,
// webhook and import parts: console-walk-pages.test.mjs. Screenshots:
// test-results/screenshots/console-walk-*.png.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fetchRetrying } from "../../bench/lib.mjs";
import { consoleSession } from "./console-helpers.mjs";
import { walkFixture } from "./console-walk-fixture.mjs";
import { consoleWalkPageTests } from "./console-walk-pages.test.mjs";
import { saveScreenshot, USER_AGENTS } from "./lib.mjs";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string> }} ctx
 */
export function consoleWalkTests(ctx) {
  const { signIn, consolePage } = consoleSession(ctx);
  const w = walkFixture(ctx);

  describe("console: a marketer's week", () => {
    it("draws the funnel's counts and rates apart", async () => {
      await w.setUp();
      const { page, errors } = await consolePage();
      await signIn(page, w.key);
      await page.goto(`${ctx().url}/dashboard?campaign_id=${w.campaign}`);
      await page.locator("#funnel text.rate").first().waitFor();
      const rows = await page.locator("#funnel svg").evaluate((svg) =>
        [...svg.querySelectorAll("text.count")].map((count) => {
          const rate = [...svg.querySelectorAll("text.rate")].find(
            (r) => r.getAttribute("y") === count.getAttribute("y"),
          );
          const a = count.getBBox();
          const b = rate?.getBBox();
          return {
            count: count.textContent,
            rate: rate?.textContent,
            gap: b ? b.x - (a.x + a.width) : null,
          };
        }),
      );
      const converted = rows[4];
      assert.equal(converted.count, "2");
      assert.match(converted.rate, /^100\.0% of app opens/);
      for (const r of rows)
        if (r.gap !== null) assert.ok(r.gap >= 8, `${r.count} ${r.rate}: ${r.gap}`);
      // What the two orders were worth, as money in the console's language: beside Converted,
      // and beside each store's and poster's scans.
      assert.match(await page.locator("#k-conv-sub").textContent(), /^€25\.00 · /);
      const worth = (id) => page.locator(`#${id} svg text[text-anchor="end"]`).allTextContents();
      assert.deepEqual(await worth("stores"), ["€25.00 · 2"]);
      assert.deepEqual(await worth("posters"), ["€12.50 · 1", "€12.50 · 1"]);
      // The store filter reads as people count: Shop 9 before Shop 10.
      const choices = await page.locator('select[name="store_id"] option').allTextContents();
      assert.ok(
        choices.indexOf(`Shop 9 ${w.run}`) < choices.indexOf(`Shop 10 ${w.run}`),
        String(choices),
      );
      // The timeline's grid lines: five labels, equal whole steps from 0 (exactly their values).
      const ticks = (await page.locator('#timeline text[text-anchor="end"]').allTextContents()).map(
        Number,
      );
      assert.equal(ticks.length, 5);
      const tick = ticks[1];
      assert.deepEqual(ticks, [0, tick, 2 * tick, 3 * tick, 4 * tick]);
      saveScreenshot("console-walk-funnel", await page.locator("#funnel").screenshot());
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("opens a poster's own funnel from its page", async () => {
      const { page, errors } = await consolePage();
      await signIn(page, w.key);
      await page.goto(`${ctx().url}/dashboard/posters/${w.posters[0].id}`);
      // The 30-day chart says which days it spans (the API's own days) and its peak.
      const axis = page.locator(".chart-axis");
      await axis.waitFor();
      const days = (await w.v1("GET", `/v1/stats/funnel?poster_id=${w.posters[0].id}`)).rows;
      assert.deepEqual(await axis.locator("span").allTextContents(), [
        days[0].group,
        "most scans in one day: 1",
        days.at(-1).group,
      ]);
      const value = page.locator(".kpi", { hasText: "Conversion value" }).locator("strong");
      assert.equal(await value.textContent(), "€12.50");
      await page.getByRole("link", { name: "Open in the funnel" }).click();
      await page.waitForURL(/\/dashboard\?poster_id=/);
      await page.waitForFunction(() => document.getElementById("k-scans").textContent !== "–");
      // One scan of this poster; its campaign had two.
      assert.equal(await page.locator("#k-scans").textContent(), "1");
      const chosen = page.locator('select[name="poster_id"] option:checked');
      assert.match(await chosen.textContent(), new RegExp(`^${w.posters[0].name} · Opéra`));
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("says a scheduled poster is scheduled and schedules one from its page", async () => {
      const later = Date.now() + 3 * 864e5;
      await w.v1("PATCH", `/v1/posters/${w.posters[2].id}`, { active_from: later });
      const { page, errors } = await consolePage();
      await signIn(page, w.key);
      await page.goto(`${ctx().url}/dashboard/campaigns/${w.campaign}`);
      const row = page.locator("tr", { hasText: `${w.posters[2].display_code}` });
      assert.equal(await row.locator(".badge").textContent(), "Scheduled");
      // Another poster, scheduled from its own page: its scans are refused until then.
      const p = w.posters[3];
      await page.goto(`${ctx().url}/dashboard/posters/${p.id}`);
      const scan = async () =>
        (
          await fetchRetrying(`${ctx().url}/P/${p.code}`, {
            headers: { "user-agent": USER_AGENTS.android, "cf-connecting-ip": "198.51.100.80" },
          })
        ).status;
      assert.equal(await scan(), 200);
      await page.getByLabel("Active from").fill("2099-01-01T09:00");
      await page.getByRole("button", { name: "Save schedule" }).click();
      await page.locator(".status-line .badge.scheduled").waitFor();
      assert.match(await page.locator(".status-line").textContent(), /from .*2099/);
      assert.equal(
        (await w.v1("GET", `/v1/posters/${p.id}`)).active_from,
        new Date(2099, 0, 1, 9).getTime(),
      );
      assert.equal(await scan(), 410);
      saveScreenshot("console-walk-scheduled", await page.screenshot({ fullPage: true }));
      await page.getByLabel("Active from").fill("");
      await page.getByRole("button", { name: "Save schedule" }).click();
      await page.locator(".status-line .badge.active").waitFor();
      assert.equal(await scan(), 200);
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("prints in a chosen language, every SVG sheet page linked; a store page speaks plainly", async () => {
      const { page, errors } = await consolePage();
      await signIn(page, w.key);
      await page.goto(`${ctx().url}/dashboard/campaigns/${w.campaign}`);
      // 14 posters: two A4 pages of 12 cards.
      const pages = page.locator(".downloads a", { hasText: "(SVG)" });
      await page.locator(".downloads a", { hasText: "page 2 of 2" }).waitFor();
      assert.equal(await pages.count(), 2);
      assert.equal(await page.getByLabel("Printed language").inputValue(), "en");
      await page.getByLabel("Printed language").selectOption("ja");
      const pdf = page.locator(".downloads a", { hasText: "PDF" });
      assert.match(await pdf.getAttribute("href"), /status=active&lang=ja/);
      const [download] = await Promise.all([page.waitForEvent("download"), pdf.click()]);
      const bytes = readFileSync(await download.path());
      assert.equal(bytes.subarray(0, 5).toString(), "%PDF-");
      const second = page.locator(".downloads a", { hasText: "page 2 of 2" });
      const svg = await (
        await page.request.get(new URL(await second.getAttribute("href"), page.url()).href)
      ).text();
      assert.match(svg, /aria-label="スマホのカメラで読み取ってください"/);
      assert.match(svg, /aria-label="2 \/ 2"/);
      // A store name the print fonts cannot draw (Mongolian) is flagged before printing, with
      // the scripts that print named from the one list; one with an emoji sequence noted; a
      // Latin, Thai, Arabic, Devanagari or Bengali one is not.
      const mongol = await w.v1("POST", "/v1/stores", { name: `ᠮᠣᠩᠭᠣᠯ ᠳᠡᠯᠭᠡᠭᠦᠷ ${w.run}` });
      await page.goto(`${ctx().url}/dashboard/stores/${mongol.id}`);
      await page.locator("h1", { hasText: "ᠳᠡᠯᠭᠡᠭᠦᠷ" }).waitFor();
      assert.match(await page.locator(".notice").textContent(), /empty boxes/);
      assert.match(await page.locator(".notice").textContent(), /such as “ᠮ”/);
      assert.match(
        await page.locator(".notice").textContent(),
        /Tibetan, Thaana, Syriac, or N’Ko\.$/,
      );
      // It has no posters yet: no print files (they would download a 404), a line instead.
      await page.getByText("No active posters to print here yet.").waitFor();
      assert.equal(await page.locator(".downloads a").count(), 0);
      const family = await w.v1("POST", "/v1/stores", { name: `Family 👨‍👩‍👧 ${w.run}` });
      await page.goto(`${ctx().url}/dashboard/stores/${family.id}`);
      await page.locator("h1", { hasText: "Family" }).waitFor();
      assert.match(await page.locator(".notice").textContent(), /as their parts/);
      const bangkok = await w.v1("POST", "/v1/stores", { name: `สยามพารากอน ${w.run}` });
      await page.goto(`${ctx().url}/dashboard/stores/${bangkok.id}`);
      await page.locator("h1", { hasText: "สยาม" }).waitFor();
      await page.locator(".downloads").waitFor();
      assert.equal(await page.locator(".notice").count(), 0);
      const delhi = await w.v1("POST", "/v1/stores", { name: `चाँदनी चौक ${w.run}` });
      await page.goto(`${ctx().url}/dashboard/stores/${delhi.id}`);
      await page.locator("h1", { hasText: "चौक" }).waitFor();
      await page.getByText("No active posters to print here yet.").waitFor();
      assert.equal(await page.locator(".notice").count(), 0);
      const kolkata = await w.v1("POST", "/v1/stores", { name: `চাঁদনি চক ${w.run}` });
      await page.goto(`${ctx().url}/dashboard/stores/${kolkata.id}`);
      await page.locator("h1", { hasText: "চক" }).waitFor();
      await page.getByText("No active posters to print here yet.").waitFor();
      assert.equal(await page.locator(".notice").count(), 0);
      const riyadh = await w.v1("POST", "/v1/stores", { name: `الرياض مول ${w.run}` });
      await page.goto(`${ctx().url}/dashboard/stores/${riyadh.id}`);
      await page.locator("h1", { hasText: "الرياض" }).waitFor();
      await page.locator(".downloads").waitFor();
      assert.equal(await page.locator(".notice").count(), 0);
      await page.goto(`${ctx().url}/dashboard/stores/${w.store.id}`);
      await page.locator("h1", { hasText: "Opéra" }).waitFor();
      await page.locator(".downloads").waitFor();
      assert.equal(await page.locator(".notice").count(), 0);
      // A store its posters name is not deleted, and the page says so by its name.
      await page.getByRole("button", { name: "Delete store" }).click();
      await page.waitForFunction(() => document.getElementById("live").textContent !== "");
      assert.equal(
        await page.locator("#live").textContent(),
        `Opéra ${w.run} was not deleted: posters name it (deleted posters too, as their numbers still do). Rename it instead.`,
      );
      assert.deepEqual(errors, []);
      await page.close();
    });

    consoleWalkPageTests(ctx, w);
  });
}
