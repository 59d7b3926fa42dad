// A page carries only the rules of the stylesheet its markup can use (src/pages/styles.ts,
// pageCss). Proof that nothing it needs was left out: in real Chromium, every element of each
// kind of page has the same computed style with the page's own CSS as with the whole sheet,
// also in the states the page script sets later (a copied link, an expired countdown).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadTypeScript, USER_AGENTS } from "./lib.mjs";

/** Every element's computed style, as one string per element. */
function styles(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("*")].map((el) => {
      const s = getComputedStyle(el);
      let out = el.tagName;
      for (let i = 0; i < s.length; i++) out += `;${s[i]}:${s.getPropertyValue(s[i])}`;
      return out;
    }),
  );
}

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string> }} ctx
 */
export function pageCssTests(ctx) {
  let secret;
  let fullCss;
  async function post(path, body) {
    const { url, mintKey } = ctx();
    secret ??= await mintKey({
      name: "page css tests",
      kind: "secret",
      scopes: ["handoffs:write", "posters:write"],
    });
    const res = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201, await res.clone().text());
    return res.json();
  }

  /** Open `url` as `agent`; compare computed styles with the page's CSS and with all of it. */
  async function compare(agent, url, status = 200) {
    fullCss ??= (await loadTypeScript("src/pages/styles.ts")).PAGE_CSS;
    const desktop = agent === "desktop";
    const context = await ctx().browser.newContext({
      userAgent: USER_AGENTS[agent],
      viewport: desktop ? { width: 1280, height: 900 } : { width: 390, height: 844 },
      isMobile: !desktop,
      bypassCSP: true, // to swap the stylesheet below
    });
    try {
      const page = await context.newPage();
      const res = await page.goto(url);
      assert.equal(res.status(), status);
      // The states the page script may set later.
      await page.evaluate(() => {
        for (const b of document.querySelectorAll("[data-copy]")) b.classList.add("done");
        for (const p of document.querySelectorAll("[data-remaining]")) p.classList.add("expired");
      });
      // The page stylesheet is the last <style> of the head (a page may add its own before it).
      const sheet = page.locator("head > style").last();
      const own = await sheet.textContent();
      assert.ok(own.length < fullCss.length * 0.9, `${own.length} of ${fullCss.length} bytes`);
      const withOwn = await styles(page);
      await sheet.evaluate((el, css) => {
        el.textContent = css;
      }, fullCss);
      assert.deepEqual(await styles(page), withOwn);
    } finally {
      await context.close();
    }
  }

  describe("each page's own stylesheet", () => {
    for (const agent of ["iphone", "android", "wechat", "desktop"]) {
      it(`styles a handoff landing page for ${agent} as the whole sheet would`, async () => {
        const h = await post("/v1/handoffs", { path: "/cart/7", metadata: { title: "Cart" } });
        await compare(agent, h.url);
      });
    }

    it("styles a poster landing page, a 404 page and the manual-entry page as the whole sheet would", async () => {
      const store = await post("/v1/stores", { name: "Main St." });
      const poster = await post("/v1/posters", { name: "css", path: "/menu", store_id: store.id });
      await compare("iphone", poster.url);
      await compare("android", `${ctx().url}/p/AAAAA-AAAAA`, 404);
      await compare("iphone", `${ctx().url}/c`);
      await compare("desktop", `${ctx().url}/c?code=AAAAA-AAAAA`, 400);
    });
  });
}
