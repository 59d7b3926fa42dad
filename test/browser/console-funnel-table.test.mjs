// The funnel table and its CSV as a marketer uses them: the funnel of one campaign by store,
// downloaded from the page (built in the browser) and opened as a spreadsheet would: a UTF-8
// byte order mark, a Japanese store name intact, a store named like a formula kept from
// running, money to its currency's digits, and exactly the rows the table shows and the API
// answers for the page's filters. Screenshot: test-results/screenshots/console-funnel-table.png.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fetchRetrying } from "../../bench/lib.mjs";
import { parseCsv } from "../../src/client/console/csv.js";
import { consoleSession } from "./console-helpers.mjs";
import { scanOpenConvert, walkFixture } from "./console-walk-fixture.mjs";
import { saveScreenshot, USER_AGENTS } from "./lib.mjs";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string> }} ctx
 */
export function consoleFunnelTableTests(ctx) {
  const { signIn, consolePage } = consoleSession(ctx);
  const w = walkFixture(ctx);

  describe("console: the funnel table and its CSV", () => {
    it("downloads the table grouped by store, as the page shows it and the API counts it", async () => {
      const url = ctx().url;
      w.key = await ctx().mintKey({
        name: "table",
        kind: "secret",
        scopes: ["stats:read", "posters:write"],
      });
      const tokyoName = `渋谷店 ${w.run}`;
      const evilName = `=HYPERLINK("https://evil.example/?${w.run}","Open")`;
      const commaName = `Opéra, "rive droite" ${w.run}`;
      const stores = [];
      for (const name of [tokyoName, evilName, commaName])
        stores.push(await w.v1("POST", "/v1/stores", { name }));
      const { posters } = await w.v1("POST", "/v1/posters/batch", {
        posters: [0, 0, 1, 2].map((s, i) => ({
          name: `Table ${i + 1}`,
          path: "/menu",
          store_id: stores[s].id,
          campaign: `Table ${w.run}`,
        })),
      });
      const campaign = posters[0].campaign_id;
      await scanOpenConvert(url, posters[0], "198.51.100.91", { value: 1200, currency: "JPY" });
      await scanOpenConvert(url, posters[1], "198.51.100.92", { value: 12.5, currency: "EUR" });
      await scanOpenConvert(url, posters[2], "198.51.100.93", { value: 7.25, currency: "EUR" });
      // The third store is only scanned: its row has no value in either currency.
      await fetchRetrying(`${url}/P/${posters[3].code}`, {
        headers: { "user-agent": USER_AGENTS.android, "cf-connecting-ip": "198.51.100.94" },
      });
      const api = async () =>
        w.v1("GET", `/v1/stats/funnel?campaign_id=${campaign}&group_by=store&limit=1000`);
      const deadline = Date.now() + 15_000;
      let expected = await api();
      while (expected.totals.converted < 3 || expected.totals.scanned < 4) {
        assert.ok(Date.now() < deadline, `never counted: ${JSON.stringify(expected.totals)}`);
        await new Promise((r) => setTimeout(r, 300));
        expected = await api();
      }

      const { page, errors } = await consolePage();
      await signIn(page, w.key);
      await page.goto(`${url}/dashboard?campaign_id=${campaign}`);
      const card = page.locator("#table-card");
      await card.locator("table").waitFor();
      // A date typed but not applied: the table keeps the page's days (the file name says so).
      await page.locator('input[name="from"]').fill("2020-01-01");
      await card.getByLabel("Rows by").selectOption("store");
      await card.locator("th", { hasText: /^Store$/ }).waitFor();
      await card.locator("#table-csv[href]").waitFor();
      const headings = await card.locator("th").allTextContents();
      const screen = await card
        .locator("tbody tr")
        .evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        card.locator("#table-csv").click(),
      ]);
      assert.equal(
        download.suggestedFilename(),
        `funnel_${expected.from}_${expected.to}_by-store.csv`,
      );
      const bytes = readFileSync(await download.path());
      // UTF-8 with a byte order mark, so Excel reads 渋谷店 as such.
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const text = bytes.toString("utf8");
      const [header, ...records] = parseCsv(text).map((r) => r.cells);
      assert.deepEqual(header, [
        "store_id",
        "store_name",
        "scanned",
        "landing",
        "app_open",
        "redeemed",
        "converted",
        "unique_scanners",
        "converted_value_EUR",
        "converted_value_JPY",
        "refused",
      ]);
      const rows = records.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));

      // Exactly the API's rows for the page's filters, in its order, numbers as plain numbers.
      assert.deepEqual(
        rows.map((r) => r.store_id),
        expected.rows.map((r) => r.group ?? ""),
      );
      expected.rows.forEach((want, i) => {
        for (const k of ["scanned", "landing", "app_open", "redeemed", "converted", "refused"])
          assert.equal(rows[i][k], String(want[k]), `${want.group} ${k}`);
        assert.equal(rows[i].unique_scanners, String(want.unique_scanners));
        assert.equal(rows[i].converted_value_EUR, (want.converted_value.EUR ?? 0).toFixed(2));
        assert.equal(rows[i].converted_value_JPY, (want.converted_value.JPY ?? 0).toFixed(0));
      });
      const byId = new Map(rows.map((r) => [r.store_id, r]));
      assert.equal(byId.get(stores[0].id).store_name, tokyoName);
      assert.equal(byId.get(stores[0].id).converted_value_JPY, "1200");
      assert.equal(byId.get(stores[0].id).converted_value_EUR, "12.50");
      assert.equal(byId.get(stores[1].id).converted_value_EUR, "7.25");
      assert.equal(byId.get(stores[2].id).store_name, commaName);
      assert.equal(byId.get(stores[2].id).scanned, "1");
      // The formula is text to the spreadsheet: a leading ' inside one quoted field.
      assert.equal(byId.get(stores[1].id).store_name, `'${evilName}`);
      assert.ok(text.includes(`"'${evilName.replaceAll('"', '""')}"`));

      // The same rows as the table on the page: its names (the formula as the store is named),
      // its counts in the reader's digits, its money as money.
      assert.deepEqual(headings.slice(0, 2), ["Store", "Scanned"]);
      assert.equal(screen.length, rows.length);
      screen.forEach((cells, i) => {
        assert.equal(cells[0], rows[i].store_name.replace(/^'(?==)/, ""));
        assert.equal(Number(cells[1].replace(/,/g, "")), Number(rows[i].scanned));
        assert.equal(Number(cells[5].replace(/,/g, "")), Number(rows[i].converted));
      });
      const tokyoOnScreen = screen.find((cells) => cells[0] === tokyoName);
      assert.deepEqual(tokyoOnScreen.slice(-3), ["€12.50", "¥1,200", "0"]);
      saveScreenshot("console-funnel-table", await card.screenshot());

      // The raw hops' CSV is saved from the export's pages joined in the page, named by its
      // days: every line the API's page gave just before is in it, the header once.
      const first = new URL(await page.locator("#csv").getAttribute("href"), url).href;
      const before = (await (await page.request.get(first)).text()).split("\r\n");
      const [hops] = await Promise.all([
        page.waitForEvent("download"),
        page.locator("#csv").click(),
      ]);
      assert.equal(hops.suggestedFilename(), `hops-${expected.from}-${expected.to}.csv`);
      const saved = readFileSync(await hops.path(), "utf8").split("\r\n");
      assert.ok(before.length > 5, `hops in the export: ${before.length - 2}`);
      assert.equal(saved[0], before[0]);
      assert.equal(saved.filter((line) => line === before[0]).length, 1);
      for (const line of before) assert.ok(saved.includes(line), line);
      assert.equal(await page.locator("#csv-note").textContent(), "");
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("keeps the picked grouping in the page's URL: a reload and a filter change show it again", async () => {
      const url = ctx().url;
      const key = await ctx().mintKey({
        name: "table-url",
        kind: "secret",
        scopes: ["stats:read"],
      });
      const { page, errors } = await consolePage();
      await signIn(page, key);
      const card = page.locator("#table-card");
      await card.locator("#table-csv[href]").waitFor();
      const rowsBy = card.getByLabel("Rows by");
      assert.equal(await rowsBy.inputValue(), "day");
      await rowsBy.selectOption("store");
      await card.locator("th", { hasText: /^Store$/ }).waitFor();
      assert.equal(new URL(page.url()).searchParams.get("table"), "store");

      await page.reload();
      await card.locator("th", { hasText: /^Store$/ }).waitFor();
      assert.equal(await card.getByLabel("Rows by").inputValue(), "store");
      assert.match(
        await card.locator("#table-csv[href]").getAttribute("download"),
        /_by-store\.csv$/,
      );

      // A filter applied (the "7 days" button submits the filter form) keeps the grouping too,
      // and the grouping is not sent to the API as a filter (the raw hops CSV link).
      await Promise.all([
        page.waitForURL(/[?&]to=/),
        page.locator("#filters [data-days]").first().click(),
      ]);
      await card.locator("th", { hasText: /^Store$/ }).waitFor();
      assert.equal(new URL(page.url()).searchParams.get("table"), "store");
      assert.equal(await card.getByLabel("Rows by").inputValue(), "store");
      assert.ok(!(await page.locator("#csv").getAttribute("href")).includes("table="));

      // Back to days, the default: the parameter goes; an unknown grouping shows days.
      await card.getByLabel("Rows by").selectOption("day");
      await card.locator("th", { hasText: /^Day$/ }).waitFor();
      assert.equal(new URL(page.url()).searchParams.has("table"), false);
      await page.goto(`${url}/dashboard?table=nonsense`);
      await card.locator("th", { hasText: /^Day$/ }).waitFor();
      assert.equal(await card.getByLabel("Rows by").inputValue(), "day");
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
