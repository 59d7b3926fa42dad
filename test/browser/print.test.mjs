// The print kit's cards in real Chromium, one per script (Latin, Simplified and Traditional
// Chinese, Japanese, Korean): the SVG card draws its texts as outlines of the embedded fonts,
// so the screenshot shows real glyphs whatever fonts this machine has; its QR decodes.
// Screenshots: test-results/screenshots/print-card-<lang>.png.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeQrPng, saveScreenshot } from "./lib.mjs";

const CARDS = [
  ["en", "Shibuya Station"],
  ["zh", "新宿店 (East)"],
  ["zh-Hant", "臺北 信義店"],
  ["ja", "しぶや 渋谷店"],
  ["ko", "서울 강남점"],
];

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string> }} ctx
 */
export function printTests(ctx) {
  describe("print cards in every script", () => {
    for (const [lang, storeName] of CARDS) {
      it(`${lang}: ${storeName}`, async () => {
        const { url, browser, mintKey } = ctx();
        const key = await mintKey({
          name: `print ${lang}`,
          kind: "secret",
          scopes: ["posters:write"],
        });
        const post = async (path, body) => {
          const res = await fetch(`${url}${path}`, {
            method: "POST",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
            body: JSON.stringify(body),
          });
          assert.equal(res.status, 201, await res.clone().text());
          return res.json();
        };
        const store = await post("/v1/stores", { name: storeName });
        const poster = await post("/v1/posters", {
          name: "card",
          path: "/menu",
          store_id: store.id,
        });
        const res = await fetch(`${url}/v1/posters/${poster.id}/print.svg?size=40mm&lang=${lang}`, {
          headers: { authorization: `Bearer ${key}` },
        });
        assert.equal(res.headers.get("x-print-fonts"), "outlines");
        const svg = await res.text();
        assert.ok(!svg.includes("<text"), "texts are outlines");
        const page = await browser.newPage({ deviceScaleFactor: 2 });
        await page.setContent(`<body style="margin:0;background:#fff">${svg}</body>`);
        const png = await page.locator("svg").screenshot();
        saveScreenshot(`print-card-${lang}`, png);
        assert.equal(decodeQrPng(png), poster.url);
        await page.close();
      });
    }
  });
}
