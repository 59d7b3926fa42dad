// Red team on <qr-bridge>'s languages in real Chromium, on the shop under its strict CSP
// (site-embed.test.mjs opens it): a shop's `texts` and a served catalog holding markup, texts
// that are no strings and placeholders named after Object's properties; a catalog that comes
// after the element moved on to another language; a `lang` of junk.
import assert from "node:assert/strict";
import { it } from "node:test";

/** The status line of widget `id`. */
const status = (page, id = "qr0") =>
  page.evaluate((id) => document.getElementById(id).shadowRoot.querySelector(".s").textContent, id);

/** Wait until the status line of widget `id` matches `pattern`. */
const statusMatches = (page, id, pattern) =>
  page.waitForFunction(
    ([id, source, flags]) =>
      new RegExp(source, flags).test(
        document.getElementById(id).shadowRoot.querySelector(".s").textContent,
      ),
    [id, pattern.source, pattern.flags],
  );

/** The languages whose catalogs the page asked for. */
const catalogRequests = (page) =>
  page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .map((e) => e.name)
      .filter((n) => n.includes("/sdk/i18n/"))
      .map((n) => n.replace(/^.*\/sdk\/i18n\/([\w-]+)\..*$/, "$1")),
  );

const MARKUP = '<img src=x onerror="window.pwned=1"><b>bold</b>';

/**
 * Register the tests inside site-embed's describe, after its shop has started.
 * @param {{ open: Function }} s
 */
export function redteamLangsEmbedTests({ open }) {
  it("texts with markup are drawn as text; a number, an object, {constructor} draw nothing odd", async () => {
    const { page, errors, close } = await open("/checkout?lang=ja");
    await statusMatches(page, "qr0", /スマホのカメラで読み取って/);
    await page.evaluate((markup) => {
      document.getElementById("qr0").texts = {
        pending: `${markup}{constructor}{toString}`,
        alt: 42,
        refresh: { toString: () => "object" },
      };
    }, MARKUP);
    await statusMatches(page, "qr0", /^<img src=x/);
    assert.equal(await status(page), MARKUP);
    const drawn = await page.evaluate(() => {
      const root = document.getElementById("qr0").shadowRoot;
      return {
        imgs: root.querySelectorAll("img").length,
        bold: root.querySelectorAll("b").length,
        alt: root.querySelector("img").alt,
        pwned: window.pwned ?? null,
      };
    });
    // The QR's own image only; the number gave way to the language's text.
    assert.deepEqual(drawn, {
      imgs: 1,
      bold: 0,
      alt: "QRコード：スマホで読み取ってアプリで続けます",
      pwned: null,
    });
    assert.deepEqual(errors, []);
    await close();
  });

  it("a served catalog holding markup and numbers: text, and the language's English where no text", async () => {
    const { page, close } = await open("/checkout?lang=ko", {
      until: null,
      // Stands in for a catalog a compromised cache or a bad build serves.
      async setup(context) {
        await context.route("**/sdk/i18n/ko.*", (route) =>
          route.fulfill({
            status: 200,
            contentType: "application/json",
            headers: { "access-control-allow-origin": "*" },
            body: `{"pending": ${JSON.stringify(MARKUP)}, "alt": 7, "__proto__": {"refresh": "x"}}`,
          }),
        );
      },
    });
    await statusMatches(page, "qr0", /^<img src=x/);
    assert.equal(await status(page), MARKUP);
    const drawn = await page.evaluate(() => {
      const root = document.getElementById("qr0").shadowRoot;
      return { imgs: root.querySelectorAll("img").length, alt: root.querySelector("img").alt };
    });
    assert.deepEqual(drawn, {
      imgs: 1,
      alt: "QR code: scan with your phone to continue in the app",
    });
    await close();
  });

  it("a catalog that comes after the element moved to another language does not draw over it", async () => {
    let releaseJa;
    const jaHeld = new Promise((resolve) => {
      releaseJa = resolve;
    });
    const { page, errors, close } = await open("/checkout?lang=ja", {
      until: null,
      async setup(context) {
        await context.route("**/sdk/i18n/ja.*", async (route) => {
          await jaHeld;
          await route.continue();
        });
      },
    });
    await page.waitForFunction(() => document.getElementById("qr0").status === "pending");
    await page.evaluate(() => document.getElementById("qr0").setAttribute("lang", "de"));
    await statusMatches(page, "qr0", /^Scannen Sie mit der Kamera Ihres Smartphones/);
    releaseJa();
    // The Japanese catalog is here now (its request done), and the element still speaks German.
    await page.waitForFunction(() =>
      performance.getEntriesByType("resource").some((e) => e.name.includes("/sdk/i18n/ja.")),
    );
    await page.waitForTimeout(300);
    assert.match(await status(page), /^Scannen Sie mit der Kamera Ihres Smartphones/);
    assert.deepEqual((await catalogRequests(page)).sort(), ["de", "ja"]);
    assert.deepEqual(errors, []);
    await close();
  });

  it("a lang of junk is English, and asks the bridge for nothing", async () => {
    for (const lang of [
      "__proto__",
      "constructor",
      "../../v1/keys?x=",
      "ja/../ko",
      "x".repeat(5000),
    ]) {
      const { page, errors, close } = await open(`/checkout?lang=${encodeURIComponent(lang)}`);
      await statusMatches(page, "qr0", /^Scan with your phone camera to continue in the app$/);
      assert.deepEqual(await catalogRequests(page), [], lang.slice(0, 20));
      assert.deepEqual(errors, [], lang.slice(0, 20));
      await close();
    }
  });
}
