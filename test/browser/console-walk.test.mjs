// The console as a shop's marketer uses it for a week (what a walk through it found broken):
// the funnel's count and rate never run into each other; a finished CSV import says nothing
// stray; a poster scheduled for later is shown as such and can be scheduled from its page (its
// scans then refused, then accepted again); print files come in a chosen printed language and
// every page of an SVG sheet has a link; lists read on a phone; a failing server is named in
// words. Screenshots: test-results/screenshots/console-walk-*.png.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fetchRetrying } from "../../bench/lib.mjs";
import { consoleSession } from "./console-helpers.mjs";
import { saveScreenshot, USER_AGENTS } from "./lib.mjs";

const APP_UA = "Bakery/1 CFNetwork/1494.0.7 Darwin/23.4.0";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string> }} ctx
 */
export function consoleWalkTests(ctx) {
  const { signIn, consolePage } = consoleSession(ctx);
  let key;
  let campaign;
  let posters;
  let store;
  // Names of their own, so a second run against the same Worker starts from nothing.
  const run = Date.now().toString(36);
  const v1 = async (method, path, body) => {
    const res = await fetchRetrying(`${ctx().url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(res.status < 300, `${method} ${path}: ${res.status}`);
    return res.json();
  };
  /** A phone scans poster `p` (its own IP), opens the app and orders: one whole funnel. */
  async function scanOpenConvert(p, ip) {
    const page = await fetchRetrying(`${ctx().url}/P/${p.code}`, {
      headers: { "user-agent": USER_AGENTS.iphone, "cf-connecting-ip": ip },
    });
    const html = await page.text();
    const link = /href="(HTTP:\/\/[^"]+\/P\/[^"]*\?s=[^"]+)"/.exec(html)?.[1];
    assert.ok(link, "the landing page links the app with a session");
    const post = (path, body) =>
      fetchRetrying(`${ctx().url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": APP_UA },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    const resolved = await post("/v1/resolve", { url: link.replaceAll("&amp;", "&") });
    const session = resolved.attribution.session;
    await post("/v1/events", { session, type: "converted", value: 12.5, currency: "EUR" });
  }

  describe("console: a marketer's week", () => {
    it("draws the funnel's counts and rates apart", async () => {
      key = await ctx().mintKey({
        name: "marketing",
        kind: "secret",
        scopes: ["stats:read", "posters:write", "webhooks:write"],
      });
      store = await v1("POST", "/v1/stores", { name: `Opéra ${run}`, ref: `B-${run}` });
      for (const n of [10, 9]) await v1("POST", "/v1/stores", { name: `Shop ${n} ${run}` });
      const batch = await v1("POST", "/v1/posters/batch", {
        posters: Array.from({ length: 14 }, (_, i) => ({
          name: `Vitrine ${i + 1}`,
          path: "/menu/galette",
          store_id: store.id,
          campaign: `Galette ${run}`,
        })),
      });
      posters = batch.posters;
      campaign = posters[0].campaign_id;
      await scanOpenConvert(posters[0], "198.51.100.71");
      await scanOpenConvert(posters[1], "198.51.100.72");
      const deadline = Date.now() + 15_000;
      for (;;) {
        const f = await v1("GET", `/v1/stats/funnel?campaign_id=${campaign}`);
        if ((f.totals?.converted ?? 0) >= 2) break;
        assert.ok(Date.now() < deadline, `the funnel never counted: ${JSON.stringify(f.totals)}`);
        await new Promise((r) => setTimeout(r, 300));
      }
      const { page, errors } = await consolePage();
      await signIn(page, key);
      await page.goto(`${ctx().url}/dashboard?campaign_id=${campaign}`);
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
      // The store filter reads as people count: Shop 9 before Shop 10.
      const choices = await page.locator('select[name="store_id"] option').allTextContents();
      assert.ok(
        choices.indexOf(`Shop 9 ${run}`) < choices.indexOf(`Shop 10 ${run}`),
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
      await signIn(page, key);
      await page.goto(`${ctx().url}/dashboard/posters/${posters[0].id}`);
      // The 30-day chart says which days it spans (the API's own days) and its peak.
      const axis = page.locator(".chart-axis");
      await axis.waitFor();
      const days = (await v1("GET", `/v1/stats/funnel?poster_id=${posters[0].id}`)).rows;
      assert.deepEqual(await axis.locator("span").allTextContents(), [
        days[0].group,
        "most scans in one day: 1",
        days.at(-1).group,
      ]);
      await page.getByRole("link", { name: "Open in the funnel" }).click();
      await page.waitForURL(/\/dashboard\?poster_id=/);
      await page.waitForFunction(() => document.getElementById("k-scans").textContent !== "–");
      // One scan of this poster; its campaign had two.
      assert.equal(await page.locator("#k-scans").textContent(), "1");
      const chosen = page.locator('select[name="poster_id"] option:checked');
      assert.match(await chosen.textContent(), new RegExp(`^${posters[0].name} · Opéra`));
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("says a scheduled poster is scheduled and schedules one from its page", async () => {
      const later = Date.now() + 3 * 864e5;
      await v1("PATCH", `/v1/posters/${posters[2].id}`, { active_from: later });
      const { page, errors } = await consolePage();
      await signIn(page, key);
      await page.goto(`${ctx().url}/dashboard/campaigns/${campaign}`);
      const row = page.locator("tr", { hasText: `${posters[2].display_code}` });
      assert.equal(await row.locator(".badge").textContent(), "Scheduled");
      // Another poster, scheduled from its own page: its scans are refused until then.
      const p = posters[3];
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
        (await v1("GET", `/v1/posters/${p.id}`)).active_from,
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
      await signIn(page, key);
      await page.goto(`${ctx().url}/dashboard/campaigns/${campaign}`);
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
      // A store name the print fonts cannot draw is flagged before printing, a Latin one is not.
      const riyadh = await v1("POST", "/v1/stores", { name: `الرياض مول ${run}` });
      await page.goto(`${ctx().url}/dashboard/stores/${riyadh.id}`);
      await page.locator("h1", { hasText: "الرياض" }).waitFor();
      assert.match(await page.locator(".notice").textContent(), /empty boxes/);
      await page.goto(`${ctx().url}/dashboard/stores/${store.id}`);
      await page.locator("h1", { hasText: "Opéra" }).waitFor();
      await page.locator(".downloads").waitFor();
      assert.equal(await page.locator(".notice").count(), 0);
      // A store its posters name is not deleted, and the page says so by its name.
      await page.getByRole("button", { name: "Delete store" }).click();
      await page.waitForFunction(() => document.getElementById("live").textContent !== "");
      assert.equal(
        await page.locator("#live").textContent(),
        `Opéra ${run} was not deleted: posters name it (deleted posters too, as their numbers still do). Rename it instead.`,
      );
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("lists posters on a phone as cards: every column in sight, no code broken", async () => {
      const { page, errors } = await consolePage({ viewport: { width: 390, height: 844 } });
      await signIn(page, key);
      await page.goto(`${ctx().url}/dashboard/campaigns/${campaign}`);
      const row = page.locator("tbody tr", { hasText: posters[0].display_code });
      await row.waitFor();
      const box = await row.locator(".badge").boundingBox();
      assert.ok(box.x + box.width <= 390, `the status badge ends at ${box.x + box.width}`);
      const code = await row
        .locator("td.code")
        .first()
        .evaluate((td) => {
          const range = document.createRange();
          range.selectNodeContents(td);
          return { lines: range.getClientRects().length, label: td.dataset.label };
        });
      assert.deepEqual(code, { lines: 1, label: "Code" });
      saveScreenshot("console-walk-phone-posters", await page.screenshot());
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("names a failing server or network in words", async () => {
      const { page, errors } = await consolePage();
      await signIn(page, key);
      // A proxy's HTML error page instead of the API's JSON, on a save.
      await page.route("**/dashboard/api/v1/posters/*", (route) =>
        route.request().method() === "PATCH"
          ? route.fulfill({ status: 502, contentType: "text/html", body: "<h1>Bad gateway</h1>" })
          : route.continue(),
      );
      await page.goto(`${ctx().url}/dashboard/posters/${posters[4].id}`);
      await page.getByLabel("App path").fill("/menu/epiphanie");
      await page.getByRole("button", { name: "Save changes" }).click();
      const formError = page.locator(".form-error").first();
      await page.waitForFunction((el) => el.textContent !== "", await formError.elementHandle());
      assert.equal(
        await formError.textContent(),
        "The server did not answer properly (HTTP 502). Reload the page to see what was saved, then try again.",
      );
      // The funnel with the network gone.
      await page.route("**/dashboard/api/funnel*", (route) => route.abort("failed"));
      await page.goto(`${ctx().url}/dashboard`);
      await page.locator("#status.error").waitFor();
      assert.equal(
        await page.locator("#status").textContent(),
        "Could not load the funnel: the network failed. Check the connection, then reload the page.",
      );
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("explains the * webhook event; an endpoint's buttons stand clear of its log", async () => {
      const { page, errors } = await consolePage();
      await signIn(page, key);
      await page.goto(`${ctx().url}/dashboard/webhooks`);
      const all = page.getByLabel("* (every event, including kinds added later)");
      assert.equal(await all.getAttribute("value"), "*");
      // An endpoint's page: its buttons do not touch the delivery log's card.
      const hook = await v1("POST", "/v1/webhooks", {
        url: `https://hooks.example.com/${run}`,
        events: ["poster.scanned"],
      });
      await page.goto(`${ctx().url}/dashboard/webhooks/${hook.id}`);
      const buttons = await page.locator("#view > .actions").boundingBox();
      const card = await page.locator("#view > section.card").boundingBox();
      assert.ok(
        card.y - (buttons.y + buttons.height) >= 12,
        `${buttons.y + buttons.height} → ${card.y}`,
      );
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("imports posters naming their store by its number or name, not its id", async () => {
      const { page, errors } = await consolePage();
      await signIn(page, key);
      await page.goto(`${ctx().url}/dashboard/import`);
      const csv = (third) =>
        Buffer.from(
          `name,path,store\nDoor ${run},/menu,B-${run}\nTill ${run},/menu,Opéra ${run}\nBack ${run},/menu,${third}\n`,
        );
      const upload = async (buffer) => {
        await page.setInputFiles("#csv-file", {
          name: "posters.csv",
          mimeType: "text/csv",
          buffer,
        });
        await page.getByRole("button", { name: "Check and import" }).click();
      };
      await upload(csv("Nowhere"));
      await page.locator("#import-result.bad").waitFor();
      assert.match(
        await page.locator("#import-result").textContent(),
        /Line 4: store "Nowhere": no store has this number or name/,
      );
      await upload(csv(`b-${run}`));
      await page.locator("#import-result.ok").waitFor();
      const listed = await v1("GET", `/v1/posters?store_id=${store.id}&limit=100`);
      const names = listed.posters.filter((p) => p.name.endsWith(run)).map((p) => p.name);
      assert.deepEqual(names.sort(), [`Back ${run}`, `Door ${run}`, `Till ${run}`]);
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
