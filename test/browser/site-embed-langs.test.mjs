// <qr-bridge> in the shop's language (site-embed.test.mjs opens the shop): a catalog the embed
// does not carry, fetched once per page from the bridge; right to left in Arabic and Hebrew;
// a live element switching language; the page's and the browser's language; a shop's own
// wording; and a CSP that refuses the catalog, under which the widget works in English.
import assert from "node:assert/strict";
import { it } from "node:test";
import { saveScreenshot } from "./lib.mjs";

/** An app's own HTTP stack (iOS URLSession): a person, not a bot. */
const APP_UA = "Acme/1 CFNetwork/1494.0.7 Darwin/23.4.0";

/** Wait until the status line of widget `id` matches `pattern` (a RegExp's source and flags). */
const statusMatches = (page, id, pattern) =>
  page.waitForFunction(
    ([id, source, flags]) =>
      new RegExp(source, flags).test(
        document.getElementById(id).shadowRoot.querySelector(".s").textContent,
      ),
    [id, pattern.source, pattern.flags],
  );

/** The direction of widget `id`'s box: its `dir` and what the browser lays out. */
const direction = (page, id) =>
  page.evaluate((id) => {
    const box = document.getElementById(id).shadowRoot.querySelector(".b");
    return { dir: box.dir, computed: getComputedStyle(box.querySelector(".s")).direction };
  }, id);

/** The catalog requests the page made (Resource Timing). */
const catalogRequests = (page) =>
  page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .map((e) => e.name)
      .filter((n) => n.includes("/sdk/i18n/")),
  );

/**
 * Register the tests inside site-embed's describe, after its shop has started.
 * @param {() => { url: string, app: any }} ctx
 * @param {{ open: Function, statusText: Function, redeem: Function }} s
 */
export function siteEmbedLangTests(ctx, { open, statusText, redeem }) {
  it('lang="ja": the Japanese texts, fetched once for the page\'s two widgets from the versioned catalog', async () => {
    const { page, errors, close } = await open("/checkout?widgets=2&lang=ja", {
      until: () => window.events.filter((e) => e.type === "shown").length === 2,
    });
    const pending = "スマホのカメラで読み取って、アプリで続けてください";
    await statusMatches(page, "qr0", new RegExp(`^${pending}$`));
    await statusMatches(page, "qr1", new RegExp(`^${pending}$`));
    assert.equal(
      await page.locator("#qr0 img").getAttribute("alt"),
      "QRコード：スマホで読み取ってアプリで続けます",
    );
    await page.waitForFunction(() =>
      /^あと [0-2]:\d\d で期限切れ$/.test(
        document.getElementById("qr0").shadowRoot.querySelector(".c").textContent,
      ),
    );
    assert.deepEqual(await direction(page, "qr0"), { dir: "ltr", computed: "ltr" });
    const requests = await catalogRequests(page);
    assert.equal(requests.length, 1, requests.join(" "));
    assert.match(requests[0], /\/sdk\/i18n\/ja\.[0-9a-f]{12}\.json$/);
    const served = await fetch(requests[0]);
    assert.equal(served.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal((await served.json()).pending, pending);
    saveScreenshot("site-embed-ja", await page.screenshot());
    assert.deepEqual(errors, []);
    await close();
  });

  it('lang="ar": the box is right to left; the phone\'s name and the countdown stay whole', async () => {
    const { page, errors, close } = await open("/login?lang=ar");
    await statusMatches(page, "login", /^امسح الرمز بالتطبيق على هاتفك لتسجيل الدخول$/);
    assert.deepEqual(await direction(page, "login"), { dir: "rtl", computed: "rtl" });
    // The countdown's m:ss is isolated: one left-to-right run inside the Arabic line.
    await page.waitForFunction(() =>
      /^تنتهي الصلاحية خلال \u2068[0-2]:\d\d\u2069$/.test(
        document.getElementById("login").shadowRoot.querySelector(".c").textContent,
      ),
    );
    // The bar shrinks towards the start of the line: the right.
    const origin = await page.evaluate(
      () =>
        getComputedStyle(document.getElementById("login").shadowRoot.querySelector(".bar i"))
          .transformOrigin,
    );
    assert.match(origin, /^\d+(\.\d+)?px /);
    assert.notEqual(origin.split(" ")[0], "0px");
    const login = await page.evaluate(() => document.getElementById("login").handoff);
    const phone = ctx().app.createAppClient({
      baseUrl: ctx().url,
      headers: { "user-agent": APP_UA },
    });
    await phone.scanLogin(login.url);
    await page.waitForFunction(() => document.getElementById("login").status === "scanned");
    const text = await statusText(page, "login");
    // "Scanned on ⁨iOS 17.4⁩. Confirm on your phone." with the name isolated (what <bdi> does).
    assert.match(text, /^تم المسح على \u2068[^\u2068\u2069]+\u2069\. أكّد على هاتفك\.$/);
    assert.deepEqual(await direction(page, "login"), { dir: "rtl", computed: "rtl" });
    saveScreenshot("site-embed-ar-scanned", await page.screenshot());
    assert.deepEqual(errors, []);
    await close();
  });

  it("switching lang on a live element redraws it in the new language, the same code", async () => {
    const { page, errors, close } = await open("/checkout?lang=ja");
    const first = await page.evaluate(() => document.getElementById("qr0").handoff.id);
    await statusMatches(page, "qr0", /スマホのカメラで読み取って/);
    const setLang = (lang) =>
      page.evaluate((lang) => {
        const el = document.getElementById("qr0");
        if (lang === null) el.removeAttribute("lang");
        else el.setAttribute("lang", lang);
      }, lang);
    await setLang("de-AT");
    await statusMatches(page, "qr0", /^Scannen Sie mit der Kamera Ihres Smartphones/);
    await page.waitForFunction(() =>
      /^Läuft ab in /.test(
        document.getElementById("qr0").shadowRoot.querySelector(".c").textContent,
      ),
    );
    await setLang("he");
    await statusMatches(page, "qr0", /^סרקו עם מצלמת הטלפון/);
    assert.deepEqual(await direction(page, "qr0"), { dir: "rtl", computed: "rtl" });
    await setLang("zh-TW");
    await statusMatches(page, "qr0", /^請用手機相機掃碼/);
    assert.deepEqual(await direction(page, "qr0"), { dir: "ltr", computed: "ltr" });
    await setLang("zh");
    await statusMatches(page, "qr0", /^请用手机相机扫码/);
    // No lang of its own: the page's (<html lang="en">).
    await setLang(null);
    await statusMatches(page, "qr0", /^Scan with your phone camera to continue in the app$/);
    assert.equal(await page.evaluate(() => document.getElementById("qr0").handoff.id), first);
    const requests = await catalogRequests(page);
    assert.deepEqual(
      requests.map((r) => r.replace(/^.*\/sdk\/i18n\/([\w-]+)\..*$/, "$1")),
      ["ja", "de", "he", "zh-Hant"],
    );
    assert.deepEqual(errors, []);
    await close();
  });

  it("without a lang attribute: the page's <html lang>, else the browser's language", async () => {
    const spanish = await open("/checkout?html-lang=es-MX", { locale: "de-DE" });
    await statusMatches(spanish.page, "qr0", /^Escanea con la cámara de tu teléfono/);
    await spanish.close();
    const browser = await open("/checkout?html-lang=", { locale: "pt-BR" });
    await statusMatches(browser.page, "qr0", /^Escaneie com a câmera do celular/);
    await browser.close();
  });

  it("texts: a shop's own wording over its language's, the rest left as it was", async () => {
    const { page, close } = await open("/checkout?lang=fr");
    await statusMatches(page, "qr0", /^Scannez avec l’appareil photo/);
    await page.evaluate(() => {
      document.getElementById("qr0").texts = { pending: "Payez avec l’app : scannez ce code" };
    });
    await statusMatches(page, "qr0", /^Payez avec l’app : scannez ce code$/);
    await page.waitForFunction(() =>
      /^Expire dans /.test(
        document.getElementById("qr0").shadowRoot.querySelector(".c").textContent,
      ),
    );
    // Set before the element is upgraded (made in a document without the element's definition,
    // then moved into the page): kept, and drawn.
    const own = await page.evaluate(() => {
      const el = document.implementation.createHTMLDocument("").createElement("qr-bridge");
      el.id = "late";
      el.setAttribute("lang", "fr");
      el.setAttribute(
        "publishable-key",
        document.getElementById("qr0").getAttribute("publishable-key"),
      );
      el.texts = { pending: "Avant le chargement" };
      const before = el instanceof customElements.get("qr-bridge");
      document.body.append(document.adoptNode(el));
      const after = el instanceof customElements.get("qr-bridge");
      return { before, after, own: Object.getOwnPropertyDescriptor(el, "texts") !== undefined };
    });
    // Not upgraded when `texts` was set, upgraded in the page, the own property taken over.
    assert.deepEqual(own, { before: false, after: true, own: false });
    await page.waitForFunction(() => document.getElementById("late").status === "pending");
    await statusMatches(page, "late", /^Avant le chargement$/);
    assert.deepEqual(await page.evaluate(() => document.getElementById("late").texts), {
      pending: "Avant le chargement",
    });
    await close();
  });

  it("a CSP that refuses the catalog: the widget works, in English, with no uncaught error", async () => {
    const { page, errors, close } = await open("/checkout?lang=ko&csp=noi18n");
    await statusMatches(page, "qr0", /^Scan with your phone camera to continue in the app$/);
    assert.deepEqual(await direction(page, "qr0"), { dir: "ltr", computed: "ltr" });
    const handoff = await page.evaluate(() => document.getElementById("qr0").handoff);
    await redeem(handoff.url);
    await page.waitForFunction(() => document.getElementById("qr0").status === "redeemed");
    assert.equal(await statusText(page), "Done: opened in the app.");
    // The browser reports the refused catalog request (Chromium logs it twice, as the fetch's
    // refusal and as the violated directive); nothing else went wrong.
    assert.ok(errors.length > 0, "the CSP refusal is reported");
    for (const e of errors) {
      assert.match(e, /\/sdk\/i18n\/ko\.[0-9a-f]+\.json.*Content Security Policy|connect-src/);
    }
    await close();
  });
}
