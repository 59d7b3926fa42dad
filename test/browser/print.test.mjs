// The print kit's cards in real Chromium, one per script (Latin, Simplified and Traditional
// Chinese, Japanese, Korean, Thai, Turkish, Russian with an emoji, Devanagari, Bengali, Tamil,
// Sinhala, Khmer, Lao and Myanmar shaped by HarfBuzz): the SVG card draws its texts as outlines of the embedded fonts,
// so the screenshot shows real glyphs whatever fonts this machine has; its QR decodes.
// A branded card too (colours, dots, rounded finders, a centre logo): print-card-styled.png.
// Screenshots: test-results/screenshots/print-card-<lang, or the script>.png.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encode } from "fast-png";
import { fetchRetrying } from "../../bench/lib.mjs";
import { decodeQrPng, saveScreenshot } from "./lib.mjs";

const CARDS = [
  ["en", "Shibuya Station"],
  ["zh", "新宿店 (East)"],
  ["zh-Hant", "臺北 信義店"],
  ["ja", "しぶや 渋谷店"],
  ["ko", "서울 강남점"],
  ["th", "ร้านกาแฟ น้ำ ที่นี่"],
  ["tr", "Şişli Çay Evi"],
  ["ru", "Кофейня ☕"],
  ["en", "श्री गणेश क्षत्रिय हिन्दी", "deva"],
  ["en", "মিষ্টি দোকান", "beng"],
  ["en", "தமிழ் கடை ஸ்ரீ", "taml"],
  ["en", "ශ්‍රී ලංකා කඩය", "sinh"],
  ["en", "ហាងកាហ្វេ", "khmr"],
  ["en", "ຮ້ານກາເຟ", "laoo"],
  ["en", "ကော်ဖီဆိုင်", "mymr"],
];

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, mintKey: (body: object) => Promise<string> }} ctx
 */
export function printTests(ctx) {
  describe("print cards in every script", () => {
    for (const [lang, storeName, script = lang] of CARDS) {
      it(`${script}: ${storeName}`, async () => {
        const { url, browser, mintKey } = ctx();
        const key = await mintKey({
          name: `print ${script}`,
          kind: "secret",
          scopes: ["posters:write"],
        });
        const post = async (path, body) => {
          const res = await fetchRetrying(`${url}${path}`, {
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
        const res = await fetchRetrying(
          `${url}/v1/posters/${poster.id}/print.svg?size=40mm&lang=${lang}`,
          {
            headers: { authorization: `Bearer ${key}` },
          },
        );
        assert.equal(res.headers.get("x-print-fonts"), "outlines");
        const svg = await res.text();
        assert.ok(!svg.includes("<text"), "texts are outlines");
        const page = await browser.newPage({ deviceScaleFactor: 2 });
        await page.setContent(`<body style="margin:0;background:#fff">${svg}</body>`);
        const png = await page.locator("svg").screenshot();
        saveScreenshot(`print-card-${script}`, png);
        assert.equal(decodeQrPng(png), poster.url);
        await page.close();
      });
    }

    it("styled: colours, dots, rounded finders and a centre logo", async () => {
      const { url, browser, mintKey } = ctx();
      const key = await mintKey({
        name: "print styled",
        kind: "secret",
        scopes: ["posters:write"],
      });
      const post = async (path, body) => {
        const res = await fetchRetrying(`${url}${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        assert.ok(res.status === 201 || res.status === 200, await res.clone().text());
        return res.json();
      };
      // A logo: an amber disc with a dark red band, transparent around it.
      const [w, h] = [96, 96];
      const data = new Uint8Array(w * h * 4);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const inDisc = (x - 48) ** 2 + (y - 48) ** 2 < 46 ** 2;
          const band = Math.abs(y - 48) < 12;
          data.set(
            inDisc ? (band ? [183, 28, 28, 255] : [255, 179, 0, 255]) : [0, 0, 0, 0],
            (y * w + x) * 4,
          );
        }
      const png = Buffer.from(encode({ width: w, height: h, data, channels: 4, depth: 8 }));
      const logo = await post("/v1/logos", { png: png.toString("base64") });
      const store = await post("/v1/stores", { name: "Shibuya 渋谷店" });
      const poster = await post("/v1/posters", {
        name: "styled card",
        path: "/menu",
        store_id: store.id,
        style: {
          fg: "#1a237e",
          modules: "dots",
          finder: "rounded",
          finder_color: "#b71c1c",
          logo: logo.id,
          logo_size: 0.25,
        },
      });
      const res = await fetchRetrying(
        `${url}/v1/posters/${poster.id}/print.svg?size=40mm&lang=ja`,
        {
          headers: { authorization: `Bearer ${key}` },
        },
      );
      const svg = await res.text();
      assert.ok(svg.includes("data:image/png;base64,"), "the logo is in the card");
      const page = await browser.newPage({ deviceScaleFactor: 2 });
      await page.setContent(`<body style="margin:0;background:#fff">${svg}</body>`);
      const shot = await page.locator("svg").screenshot();
      saveScreenshot("print-card-styled", shot);
      assert.equal(decodeQrPng(shot), poster.url);
      // The QR image of the same poster, as a page would show it.
      const img = Buffer.from(await (await fetchRetrying(poster.qr.png)).arrayBuffer());
      saveScreenshot("qr-styled", img);
      assert.equal(decodeQrPng(img), poster.url);
      await page.close();
    });
  });
}
