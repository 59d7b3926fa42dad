// The console walk, continued (console-walk.test.mjs sets the week up): lists read on a phone;
// a failing server or network is said in words; the * webhook event is explained and an
// endpoint's buttons stand clear of its log; a CSV import names stores by number or name; a
// chain with more stores than one page still finds its last store in the poster form; people
// who still scan a paused poster show on its page.
import assert from "node:assert/strict";
import { it } from "node:test";
import { fetchRetrying } from "../../bench/lib.mjs";
import { consoleSession } from "./console-helpers.mjs";
import { saveScreenshot, USER_AGENTS } from "./lib.mjs";

/**
 * Register the tests inside the walk's describe, after its setUp has run.
 * @param {() => { url: string, browser: import("playwright-core").Browser }} ctx
 * @param {ReturnType<typeof import("./console-walk-fixture.mjs").walkFixture>} w
 */
export function consoleWalkPageTests(ctx, w) {
  const { signIn, consolePage } = consoleSession(ctx);

  it("lists posters on a phone as cards: every column in sight, no code broken", async () => {
    const { page, errors } = await consolePage({ viewport: { width: 390, height: 844 } });
    await signIn(page, w.key);
    await page.goto(`${ctx().url}/dashboard/campaigns/${w.campaign}`);
    const row = page.locator("tbody tr", { hasText: w.posters[0].display_code });
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
    await signIn(page, w.key);
    // A proxy's HTML error page instead of the API's JSON, on a save.
    await page.route("**/dashboard/api/v1/posters/*", (route) =>
      route.request().method() === "PATCH"
        ? route.fulfill({ status: 502, contentType: "text/html", body: "<h1>Bad gateway</h1>" })
        : route.continue(),
    );
    await page.goto(`${ctx().url}/dashboard/posters/${w.posters[4].id}`);
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
    await signIn(page, w.key);
    await page.goto(`${ctx().url}/dashboard/webhooks`);
    const all = page.getByLabel("* (every event, including kinds added later)");
    assert.equal(await all.getAttribute("value"), "*");
    // An endpoint's page: its buttons do not touch the delivery log's card.
    const hook = await w.v1("POST", "/v1/webhooks", {
      url: `https://hooks.example.com/${w.run}`,
      events: ["poster.scanned"],
    });
    await page.goto(`${ctx().url}/dashboard/webhooks/${hook.id}`);
    const buttons = await page.locator("#view > .actions").boundingBox();
    // The delivery log's card, the first after the buttons (editing and the secret come after it).
    const card = await page.locator("#view > section.card").first().boundingBox();
    assert.ok(
      card.y - (buttons.y + buttons.height) >= 12,
      `${buttons.y + buttons.height} → ${card.y}`,
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("imports posters naming their store by its number or name, not its id", async () => {
    const { page, errors } = await consolePage();
    await signIn(page, w.key);
    await page.goto(`${ctx().url}/dashboard/import`);
    const csv = (third) =>
      Buffer.from(
        `name,path,store\nDoor ${w.run},/menu,B-${w.run}\nTill ${w.run},/menu,Opéra ${w.run}\nBack ${w.run},/menu,${third}\n`,
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
    await upload(csv(`b-${w.run}`));
    await page.locator("#import-result.ok").waitFor();
    const listed = await w.v1("GET", `/v1/posters?store_id=${w.store.id}&limit=100`);
    const names = listed.posters.filter((p) => p.name.endsWith(w.run)).map((p) => p.name);
    assert.deepEqual(names.sort(), [`Back ${w.run}`, `Door ${w.run}`, `Till ${w.run}`]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("says why the import could not read the stores, in the API's words, not as a network error", async () => {
    const { page, errors } = await consolePage();
    await signIn(page, w.key);
    const message = "this key lacks the posters:write scope";
    await page.route("**/dashboard/api/v1/stores?*", (route) =>
      route.fulfill({ status: 403, json: { error: "forbidden", message } }),
    );
    await page.goto(`${ctx().url}/dashboard/import`);
    await page.setInputFiles("#csv-file", {
      name: "posters.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`name,path,store\nDoor ${w.run},/menu,B-${w.run}\n`),
    });
    await page.getByRole("button", { name: "Check and import" }).click();
    await page.locator("#import-result.bad").waitFor();
    assert.match(await page.locator("#import-result").textContent(), new RegExp(message));
    // The 403 of the routed call is the page's only console error.
    assert.ok(
      errors.every((e) => /403/.test(e)),
      errors.join("\n"),
    );
    await page.close();
  });

  it("offers every store of a chain in the poster form, page after page of the list", async () => {
    const { page, errors } = await consolePage();
    await signIn(page, w.key);
    // A chain of 201 stores, served as the API pages them (200, then 1).
    const store = (i) => ({ id: `st_chain_${i}`, name: `Chain store ${i}` });
    await page.route("**/dashboard/api/v1/stores?*", (route) => {
      const cursor = new URL(route.request().url()).searchParams.get("cursor");
      const stores = cursor ? [store(201)] : Array.from({ length: 200 }, (_, i) => store(i + 1));
      return route.fulfill({ json: { stores, next_cursor: cursor ? null : "page-2" } });
    });
    await page.goto(`${ctx().url}/dashboard/posters`);
    const select = page.locator("form select[name=store_id]").last();
    await select.locator("option", { hasText: "Chain store 201" }).waitFor({ state: "attached" });
    const names = await select.locator("option").allTextContents();
    assert.equal(names.filter((n) => n.startsWith("Chain store")).length, 201);
    // In the order people read numbers: 9 before 10, 200 before 201.
    assert.ok(names.indexOf("Chain store 9") < names.indexOf("Chain store 10"));
    assert.ok(names.indexOf("Chain store 200") < names.indexOf("Chain store 201"));
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("shows on a paused poster's page how many times it was still scanned", async () => {
    const p = w.posters[6];
    await w.v1("PATCH", `/v1/posters/${p.id}`, { status: "paused" });
    const scan = (ua, ip) =>
      fetchRetrying(`${ctx().url}/P/${p.code}`, {
        headers: { "user-agent": ua, "cf-connecting-ip": ip },
      });
    // Two people, one of them scanning twice: three refused scans (the count is of scans).
    for (const ip of ["198.51.100.81", "198.51.100.82", "198.51.100.82"])
      assert.equal((await scan(USER_AGENTS.iphone, ip)).status, 410);
    // A link preview is not a person: it is in no count.
    const bot = await scan("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "1.2.3.4");
    assert.equal(bot.status, 410);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const f = await w.v1("GET", `/v1/stats/funnel?poster_id=${p.id}`);
      if (f.totals.refused >= 3) break;
      assert.ok(Date.now() < deadline, `the funnel never counted: ${JSON.stringify(f.totals)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const { page, errors } = await consolePage();
    await signIn(page, w.key);
    await page.goto(`${ctx().url}/dashboard/posters/${p.id}`);
    const refused = page.locator(".kpi", { hasText: "Refused scans" }).locator("strong");
    await refused.waitFor();
    assert.equal(await refused.textContent(), "3");
    assert.equal(await page.locator(".kpi").first().locator("strong").textContent(), "0");
    await page
      .getByText("This poster was scanned 3 times while it was paused in the last 30 days.")
      .waitFor();
    // Beneath it, not "no scans": the refused ones were scans.
    await page.getByText("No scan counted in the funnel in the last 30 days.").waitFor();
    assert.equal(await page.getByText("No scans in the last 30 days.").count(), 0);
    saveScreenshot("console-walk-refused", await page.screenshot({ fullPage: true }));
    // A live poster's page has no such figure.
    await page.goto(`${ctx().url}/dashboard/posters/${w.posters[0].id}`);
    await page.locator(".kpi", { hasText: "Unique scanners" }).waitFor();
    assert.equal(await page.locator(".kpi", { hasText: "Refused scans" }).count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
