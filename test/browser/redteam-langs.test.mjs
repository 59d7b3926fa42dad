// Red team on the translated pages in real Chromium: a store named to end the page's <bdi> and
// turn the rest of the sentence around (U+2069 U+202E), as whoever names a store would try it,
// in English, Japanese and Hebrew. What the reader sees is checked by where each letter is drawn.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fetchRetrying } from "../../bench/lib.mjs";
import { USER_AGENTS } from "./lib.mjs";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string> }} ctx
 */
export function redteamLangsTests(ctx) {
  let secret;
  /** POST `body` to `path` with a posters:write key; the JSON answer. */
  async function post(path, body, method = "POST") {
    const { url, mintKey } = ctx();
    secret ??= await mintKey({ name: "redteam langs", kind: "secret", scopes: ["posters:write"] });
    const res = await fetchRetrying(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.ok(res.status < 300, `${path}: ${res.status}`);
    return res.json();
  }

  /**
   * The text that follows the store's <bdi> in its paragraph, its letters in the order they are
   * drawn (left to right on screen), and the same letters in reading order.
   */
  const afterStore = (page) =>
    page.evaluate(() => {
      const bdi = document.querySelector("main bdi, .card bdi, bdi");
      const node = bdi.nextSibling;
      const drawn = [];
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getBoundingClientRect();
        if (box.width > 0 && /\S/.test(node.data[i])) drawn.push([node.data[i], box.x, box.y]);
      }
      // Line by line, then left to right.
      drawn.sort((a, b) => Math.round(a[2] - b[2]) || a[1] - b[1]);
      return {
        store: bdi.textContent,
        drawn: drawn.map((d) => d[0]).join(""),
        read: node.data.replace(/\s/g, ""),
      };
    });

  describe("a store name that tries to turn the page around", () => {
    for (const [lang, expected] of [
      ["en", "isnolongeractive"],
      ["ja", "のこのポスター"],
    ]) {
      it(`${lang}: the sentence after the name reads as written on the paused poster's page`, async () => {
        const store = await post("/v1/stores", { name: "Main St.\u2069\u202e" });
        const poster = await post("/v1/posters", { name: "door", path: "/m", store_id: store.id });
        await post(`/v1/posters/${poster.id}`, { status: "paused" }, "PATCH");
        const context = await ctx().browser.newContext({
          userAgent: USER_AGENTS.iphone,
          viewport: { width: 390, height: 844 },
          extraHTTPHeaders: { "accept-language": lang },
        });
        const page = await context.newPage();
        const res = await page.goto(`${ctx().url}/p/${poster.code}`);
        assert.equal(res.status(), 410);
        const seen = await afterStore(page);
        assert.ok(seen.read.startsWith(expected), seen.read);
        // Left to right on screen is the order it is written in: nothing drawn backwards.
        assert.equal(seen.drawn, seen.read);
        assert.equal(seen.store, "Main St.");
        await context.close();
      });
    }
  });
}
