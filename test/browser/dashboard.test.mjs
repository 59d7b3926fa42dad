// The dashboard in Chromium: sign in with a key, and the funnel charts are drawn (as SVG) from
// real scans made just before.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ADMIN_KEY, fetchRetrying } from "../../bench/lib.mjs";
import { saveScreenshot, USER_AGENTS } from "./lib.mjs";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, app: any }} ctx
 */
export function dashboardTests(ctx) {
  /** Scan the demo poster on two phones and open it in the app once: a small real funnel. */
  async function makeTraffic() {
    const { url, browser, app } = ctx();
    const demo = await (await fetchRetrying(`${url}/`)).text();
    const link = /href="(HTTP:\/\/[^"]+\/P\/[0-9A-Z]+)"/.exec(demo)?.[1];
    assert.ok(link, "the demo page links its poster");
    for (const agent of ["iphone", "android"]) {
      const context = await browser.newContext({ userAgent: USER_AGENTS[agent] });
      const page = await context.newPage();
      assert.equal((await page.goto(link)).status(), 200);
      await context.close();
    }
    // The app, from its own HTTP stack (Node's default User-Agent would count as a script).
    const headers = { "user-agent": "Acme/1 CFNetwork/1494.0.7 Darwin/23.4.0" };
    const r = await app.createAppClient({ baseUrl: url, headers }).resolve(link);
    assert.equal(r.kind, "poster");
    // And a QR login scanned by the app, so the sources chart has logins beside posters.
    const created = await fetchRetrying(`${url}/v1/logins`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" }),
    });
    assert.equal(created.status, 201);
    const login = await app.createAppClient({ baseUrl: url }).scanLogin((await created.json()).url);
    assert.ok(login.scan);
    // Hops reach the daily rollups through the queue: wait until the funnel counts them.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await fetchRetrying(`${url}/v1/stats/funnel`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      const body = await res.json();
      const total = body.totals ?? body.rows?.[0] ?? {};
      if ((total.scanned ?? 0) >= 4 && (total.app_open ?? 0) >= 1) return;
      if (Date.now() > deadline)
        throw new Error(`funnel never counted the scans: ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  describe("dashboard", () => {
    it("signs in with a key and draws the funnel, timeline and breakdown charts", async () => {
      await makeTraffic();
      const { url, browser } = ctx();
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${url}/dashboard`);
      await page.fill("#key", ADMIN_KEY);
      await Promise.all([page.waitForURL(/\/dashboard/), page.press("#key", "Enter")]);
      for (const label of ["Funnel from scan to conversion", "Scans and app opens per day"]) {
        const chart = page.locator(`svg[role=img][aria-label="${label}"]`);
        await chart.waitFor();
        assert.equal(await chart.isVisible(), true, label);
      }
      // How current it is, in words where "Loading…" was: the scans were counted moments ago.
      assert.match(
        await page.locator("#status").textContent(),
        /^Counted up to (this minute|\d+ minutes? ago)\.$/,
      );
      // Whose days these are: the reporting time zone, UTC unless QB_REPORTING_TIME_ZONE says.
      assert.match(await page.locator("#timeline-note").textContent(), /Days in time zone UTC$/);
      // The funnel has a bar per stage, and the platforms donut shows both phones.
      assert.ok((await page.locator("#funnel svg rect:not(.track)").count()) >= 3);
      const platforms = await page.locator("#platforms .legend .name").allTextContents();
      assert.ok(
        platforms.some((p) => /ios/i.test(p)),
        `platforms: ${platforms}`,
      );
      assert.ok(
        platforms.some((p) => /android/i.test(p)),
        `platforms: ${platforms}`,
      );
      const sources = await page.locator("#sources .legend .name").allTextContents();
      assert.ok(sources.includes("Posters"), `sources: ${sources}`);
      assert.ok(sources.includes("QR logins"), `sources: ${sources}`);
      // A one-slice donut (every scan in a regular browser) is still a ring: its hole is empty.
      await page.locator("#inapp svg").scrollIntoViewIfNeeded();
      const inHole = await page.locator("#inapp svg").evaluate((svg) => {
        const box = svg.getBoundingClientRect();
        const at = document.elementFromPoint(box.x + box.width * 0.69, box.y + box.height / 2);
        return at?.tagName;
      });
      assert.equal(inHole, "svg", "the ring's hole shows no slice");
      // The top posters link to their console pages.
      const top = page.locator("#posters svg a").first();
      assert.match(await top.getAttribute("href"), /^\/dashboard\/posters\/[0-9A-Za-z]+$/);
      await Promise.all([page.waitForURL(/\/dashboard\/posters\/[0-9A-Za-z]+$/), top.click()]);
      await page.locator(".manual strong").waitFor();
      assert.deepEqual(errors, []);
      await page.goBack();
      await page.locator("#posters svg").waitFor();
      saveScreenshot("dashboard", await page.screenshot({ fullPage: true }));
      await page.close();
    });
  });
}
