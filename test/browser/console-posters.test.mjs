// The console in Chromium: a person signs in with a key and runs stores and posters from the
// browser — creates a store, imports 50 posters from a CSV (a file with a bad row writes
// nothing and names the row; the fixed file writes all 50), re-targets a poster (the app's
// /v1/resolve then returns the new path) and pauses one (its scan page turns 410); the
// campaign's print PDF downloads and its QR codes decode; a read-only key sees no edit
// controls; the console speaks Simplified Chinese on a phone. Screenshots:
// test-results/screenshots/console-*.png.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fetchRetrying } from "../../bench/lib.mjs";
import { consoleSession } from "./console-helpers.mjs";
import { saveScreenshot, USER_AGENTS } from "./lib.mjs";

const POSTERS = 50;
const BAD_INDEX = 20; // the CSV's line 22: the header is line 1

/** A CSV of `POSTERS` posters for a store; `bad` puts a path the API refuses in one row. */
function posterCsv(storeId, bad) {
  const lines = ["name,path,store_id,campaign,params,label"];
  for (let i = 0; i < POSTERS; i++) {
    const path = bad && i === BAD_INDEX ? "menu-without-slash" : `/menu/${i}`;
    lines.push(`Table ${i},${path},${storeId},Browser import,"table=${i}&src=csv",Table ${i}`);
  }
  return `${lines.join("\r\n")}\r\n`;
}

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, app: any, mintKey: (body: object) => Promise<string> }} ctx
 */
export function consolePosterTests(ctx) {
  const { signIn, consolePage } = consoleSession(ctx);
  let key;
  const v1 = async (path) => {
    const res = await fetchRetrying(`${ctx().url}${path}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    return res.json();
  };

  describe("console: stores, posters and campaigns", () => {
    let storeId;
    let poster;

    it("signs in and creates a store from the stores page", async () => {
      key = await ctx().mintKey({
        name: "console editor",
        kind: "secret",
        scopes: ["stats:read", "posters:write"],
      });
      const { page, errors } = await consolePage();
      await signIn(page, key);
      await page.getByRole("link", { name: "Stores" }).click();
      await page.waitForURL(/\/dashboard\/stores$/);
      // A refused field keeps what was typed and says why next to it.
      await page.getByLabel("Your store number").fill("x".repeat(101));
      await page.getByLabel("Name").first().fill("Shibuya Station");
      await page.getByRole("button", { name: "Create store" }).click();
      const refError = page.locator('[data-field="ref"] .field-error');
      await refError.waitFor();
      assert.match(await refError.textContent(), /100/);
      assert.equal(await page.getByLabel("Name").first().inputValue(), "Shibuya Station");
      await page.getByLabel("Your store number").fill("S-001");
      await page.getByRole("button", { name: "Create store" }).click();
      const link = page.locator("table a", { hasText: "Shibuya Station" });
      await link.waitFor();
      // Said 30 ms after the create (announce), not with the list's rows: waited for, not read.
      await page.locator("#live", { hasText: "Store Shibuya Station created." }).waitFor();
      saveScreenshot("console-stores", await page.screenshot({ fullPage: true }));
      await link.click();
      await page.waitForURL(/\/dashboard\/stores\/st_/);
      storeId = page.url().split("/").pop();
      await page.locator("h1", { hasText: "Shibuya Station" }).waitFor();
      saveScreenshot("console-store", await page.screenshot({ fullPage: true }));
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("imports 50 posters from a CSV: a bad row writes nothing and is named; the fixed file writes all", async () => {
      const { page, errors } = await consolePage();
      await signIn(page, key);
      await page.goto(`${ctx().url}/dashboard/import`);
      const upload = (csv) =>
        page.setInputFiles("#csv-file", {
          name: "posters.csv",
          mimeType: "text/csv",
          buffer: Buffer.from(csv),
        });
      await upload(posterCsv(storeId, true));
      await page.getByRole("button", { name: "Check and import" }).click();
      const result = page.locator("#import-result");
      await result.locator("h3").waitFor();
      assert.match(await result.textContent(), /nothing was created/);
      assert.match(await result.textContent(), new RegExp(`Line ${BAD_INDEX + 2}: path`));
      assert.equal((await v1(`/v1/posters?store_id=${storeId}`)).posters.length, 0);
      saveScreenshot("console-import-bad-row", await page.screenshot({ fullPage: true }));

      // A stray quote opening line 5's store_id cell swallows cells up to the next quote: refused.
      await upload(posterCsv(storeId, false).replace("Table 3,/menu/3,", 'Table 3,/menu/3,"'));
      await page.getByRole("button", { name: "Check and import" }).click();
      await result.getByText(/^Line 5: a quote \("\) opened here is not closed/).waitFor();
      assert.match(await result.locator("h3").textContent(), /^1 problem: nothing was created/);
      assert.equal(await result.locator("li").count(), 1);
      assert.equal((await v1(`/v1/posters?store_id=${storeId}`)).posters.length, 0);

      await upload(posterCsv(storeId, false));
      await page.getByRole("button", { name: "Check and import" }).click();
      await page.locator("#import-result.ok").waitFor();
      // The whole result: the heading and the link, nothing stray between them.
      assert.equal(await result.textContent(), "50 posters createdSee the posters");
      assert.equal(await page.locator("progress").getAttribute("value"), String(POSTERS));
      const listed = await v1(`/v1/posters?store_id=${storeId}&limit=200`);
      assert.equal(listed.posters.length, POSTERS);
      assert.deepEqual(listed.posters.find((p) => p.name === "Table 7").params, {
        table: "7",
        src: "csv",
      });
      saveScreenshot("console-import-done", await page.screenshot({ fullPage: true }));
      poster = listed.posters.find((p) => p.name === "Table 3");

      await page.goto(`${ctx().url}/dashboard/posters`);
      await page.locator("tbody tr").first().waitFor();
      saveScreenshot("console-posters", await page.screenshot({ fullPage: true }));
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("re-targets a poster: the app's /v1/resolve returns the new path", async () => {
      const { url, app } = ctx();
      const { page, errors } = await consolePage();
      await signIn(page, key);
      await page.goto(`${url}/dashboard/posters/${poster.id}`);
      await page.locator(".manual strong", { hasText: poster.display_code }).waitFor();
      await page.waitForFunction(() => {
        const img = document.querySelector("img.qr");
        return img?.complete && img.naturalWidth > 0;
      });
      const path = page.getByLabel("App path");
      // A path the API refuses: the error sits under the field, the input is kept.
      await path.fill("//evil.example");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.locator('[data-field="path"] .field-error:not(:empty)').waitFor();
      assert.equal(await path.inputValue(), "//evil.example");
      assert.equal(await path.getAttribute("aria-invalid"), "true");
      await path.fill("/menu/retargeted");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.waitForFunction(() =>
        document.getElementById("live").textContent.includes("/menu/retargeted"),
      );
      const headers = { "user-agent": "Acme/1 CFNetwork/1494.0.7 Darwin/23.4.0" };
      const resolved = await app.createAppClient({ baseUrl: url, headers }).resolve(poster.url);
      assert.equal(resolved.path, "/menu/retargeted");
      saveScreenshot("console-poster", await page.screenshot({ fullPage: true }));
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("pauses a poster after a confirmation: its scan page turns 410", async () => {
      const { url, browser } = ctx();
      const { page, errors } = await consolePage();
      await signIn(page, key);
      await page.goto(`${url}/dashboard/posters/${poster.id}`);
      await page.getByRole("button", { name: "Pause" }).click();
      await page.locator(".status-line .badge.paused").waitFor();
      await page.getByRole("button", { name: "Resume" }).waitFor();
      const phone = await browser.newContext({ userAgent: USER_AGENTS.iphone });
      const scan = await phone.newPage();
      assert.equal((await scan.goto(poster.url)).status(), 410);
      await phone.close();
      saveScreenshot("console-poster-paused", await page.screenshot({ fullPage: true }));
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("downloads the campaign's print PDF, whose QR codes decode to the campaign's posters", async () => {
      const { url } = ctx();
      const { page, errors } = await consolePage();
      await signIn(page, key);
      await page.goto(`${url}/dashboard/campaigns`);
      await page.locator("table a", { hasText: "Browser import" }).click();
      await page.waitForURL(/\/dashboard\/campaigns\/cp_/);
      await page.locator("tbody tr").first().waitFor();
      saveScreenshot("console-campaign", await page.screenshot({ fullPage: true }));
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Print sheets (PDF)" }).click(),
      ]);
      const dir = mkdtempSync(join(tmpdir(), "qrbridge-console-pdf-"));
      try {
        const pdf = join(dir, "sheet.pdf");
        await download.saveAs(pdf);
        assert.equal(readFileSync(pdf).subarray(0, 5).toString(), "%PDF-");
        // Page 1 at 300 dpi; zbarimg reads every QR on it.
        execFileSync("pdftoppm", ["-png", "-r", "300", "-f", "1", "-l", "1", pdf, join(dir, "p")]);
        const png = join(dir, "p-1.png");
        saveScreenshot("console-campaign-pdf", readFileSync(png));
        const decoded = execFileSync("zbarimg", ["--raw", "-q", png], { encoding: "utf8" })
          .trim()
          .split("\n");
        const urls = new Set(
          (await v1(`/v1/posters?store_id=${storeId}&limit=200`)).posters.map((p) => p.url),
        );
        assert.ok(decoded.length >= 1, "at least one QR decodes");
        for (const text of decoded) assert.ok(urls.has(text), `a poster of the campaign: ${text}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("shows a read-only key the numbers and no edit controls", async () => {
      const readOnly = await ctx().mintKey({
        name: "reader",
        kind: "secret",
        scopes: ["stats:read"],
      });
      const { page, errors } = await consolePage();
      await signIn(page, readOnly);
      assert.equal(await page.getByRole("link", { name: "Stores" }).count(), 0);
      assert.equal(await page.getByRole("link", { name: "Posters" }).count(), 0);
      // The funnel's top posters (the dashboard test's scans) name them but link nowhere.
      await page.locator("#posters svg text").first().waitFor();
      assert.equal(await page.locator("#posters svg a, #stores svg a").count(), 0);
      await page.goto(`${ctx().url}/dashboard/posters/${poster.id}`);
      await page.locator(".notice", { hasText: "posters:write" }).waitFor();
      assert.equal(
        await page.locator("form.form, [data-action], input:not([type=hidden])").count(),
        0,
      );
      saveScreenshot("console-read-only", await page.screenshot({ fullPage: true }));
      assert.deepEqual(errors, []);
      await page.close();
    });

    it("speaks Simplified Chinese when the browser asks, and fits a phone", async () => {
      const { page, errors } = await consolePage({
        viewport: { width: 390, height: 844 },
        locale: "zh-CN",
        extraHTTPHeaders: { "accept-language": "zh-CN,zh;q=0.9" },
      });
      await signIn(page, key);
      // The funnel's charts speak it too (the dashboard test's scans fill them).
      await page.locator('svg[aria-label="从扫码到转化的漏斗"]').waitFor();
      await page.locator("#sources .legend .name", { hasText: "海报" }).waitFor();
      // Drawn at the phone's width, not shrunk from a desktop drawing: the text stays legible.
      for (const chart of ["#funnel svg", "#timeline svg", "#posters svg"]) {
        const scale = await page
          .locator(chart)
          .evaluate((svg) => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width);
        assert.ok(scale > 0.95, `${chart} drawn at ${scale.toFixed(2)}× on a phone`);
      }
      const funnelWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(funnelWidth <= 390, `no sideways scrolling on the funnel: ${funnelWidth}px`);
      saveScreenshot("console-funnel-zh-phone", await page.screenshot({ fullPage: true }));
      await page.goto(`${ctx().url}/dashboard/stores`);
      await page.getByRole("button", { name: "创建门店" }).waitFor();
      await page.locator("table a", { hasText: "Shibuya Station" }).waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no sideways scrolling on a phone: ${width}px`);
      saveScreenshot("console-stores-zh-phone", await page.screenshot({ fullPage: true }));
      // The switch goes back to English and stays there.
      await page.locator("select[data-set-lang]").selectOption("en");
      await page.getByRole("button", { name: "Create store" }).waitFor();
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}
