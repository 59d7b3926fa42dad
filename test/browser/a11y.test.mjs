// Accessibility of what people see, checked by axe-core (a11y-check.mjs) in real Chromium: the
// scan pages a poster or a handoff opens (phones, four languages, two of them right to left), the
// notices of a link that no longer works, the manual code entry, the QR login's scan page and the
// demo PC page's <qr-bridge> in each state; the keyboard test tabs to and presses the element's
// retry. The console's pages: a11y-console.test.mjs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fetchRetrying } from "../../bench/lib.mjs";
import { axeViolations, expectClean, v1Caller } from "./a11y-check.mjs";
import { openDemoPage } from "./demo-page.mjs";
import { USER_AGENTS } from "./lib.mjs";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser, app: any, mintKey: (body: object) => Promise<string> }} ctx
 */
export function a11yTests(ctx) {
  const v1 = v1Caller(ctx);
  const newHandoff = () =>
    v1("POST", "/v1/handoffs", { path: "/cart/7", metadata: { title: "Your cart" } });

  /** Open `url` as a phone (`agent`) reading `language`; the page and the answer's status. */
  async function openPhone(url, agent, language = "en", { clock = false, colorScheme } = {}) {
    const context = await ctx().browser.newContext({
      colorScheme,
      userAgent: USER_AGENTS[agent],
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      extraHTTPHeaders: { "accept-language": language },
    });
    const page = await context.newPage();
    if (clock) await page.clock.install();
    const res = await page.goto(url);
    return { page, status: res.status(), close: () => context.close() };
  }

  describe("accessibility (axe, WCAG 2.1 A and AA): scan pages", () => {
    it("the check itself finds what it is there to find (an unnamed image, faint text, a bare button)", async () => {
      const page = await ctx().browser.newPage();
      await page.goto(`${ctx().url}/c`);
      await page.evaluate(() => {
        const main = document.querySelector("main") ?? document.body;
        main.insertAdjacentHTML(
          "afterbegin",
          '<img src="/favicon.ico"><p>faint</p><button></button>',
        );
        // Through the CSSOM: the page's CSP ignores a style attribute in markup.
        Object.assign(main.querySelector("p").style, { color: "#bbb", background: "#fff" });
      });
      const { failing } = await axeViolations(page);
      const rules = new Set(failing.map((v) => v.rule));
      for (const rule of ["image-alt", "color-contrast", "button-name"])
        assert.ok(rules.has(rule), `${rule} not found: ${[...rules]}`);
      await page.close();
    });

    for (const agent of ["iphone", "android"]) {
      for (const language of ["en", "ja", "ar", "he"]) {
        it(`a poster's landing page: ${agent}, ${language}`, async () => {
          const poster = await v1("POST", "/v1/posters", { name: "door", path: "/menu" });
          const { page, status, close } = await openPhone(
            `${ctx().url}/p/${poster.code}`,
            agent,
            language,
          );
          assert.equal(status, 200);
          assert.equal(await page.evaluate(() => document.documentElement.lang), language);
          assert.equal(
            await page.evaluate(() => document.documentElement.dir),
            ["ar", "he"].includes(language) ? "rtl" : "", // left to right by default
          );
          await expectClean(page, `poster ${agent} ${language}`);
          await close();
        });
      }
    }

    it("the scan pages in dark mode: a poster, a handoff on a desktop, a notice, the manual entry", async () => {
      const poster = await v1("POST", "/v1/posters", { name: "dark", path: "/menu" });
      const handoff = await newHandoff();
      for (const [name, url, agent] of [
        ["poster", `${ctx().url}/p/${poster.code}`, "iphone"],
        ["handoff", handoff.url, "desktop"],
        ["forged", `${ctx().url}/h/${"A".repeat(44)}`, "android"],
        ["manual entry", `${ctx().url}/c`, "android"],
      ]) {
        const { page, close } = await openPhone(url, agent, "en", { colorScheme: "dark" });
        assert.equal(
          await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches),
          true,
        );
        await expectClean(page, `${name} dark`);
        await close();
      }
    });

    it("a handoff's landing page on a phone and on a desktop (its QR and the link beside it)", async () => {
      for (const agent of ["iphone", "android", "wechat", "desktop"]) {
        const handoff = await newHandoff();
        const { page, status, close } = await openPhone(handoff.url, agent);
        assert.equal(status, 200);
        await expectClean(page, `handoff ${agent}`);
        if (agent === "desktop") {
          // The QR says what it is and, through its description, what it is for.
          const qr = await page.evaluate(() => {
            const img = document.querySelector("img.qr");
            const why = document.getElementById(img.getAttribute("aria-describedby"));
            return { alt: img.alt, why: why?.textContent };
          });
          assert.equal(qr.alt, "QR code of this link");
          assert.match(
            qr.why ?? "",
            /^Point your phone's camera at the code to continue in Demo App/,
          );
        }
        await close();
      }
    });

    it("the notices: a code run out on the page, a used link, a paused poster, a forged link", async () => {
      // The countdown runs out while the page is open (page clock): its notice replaces it.
      const handoff = await newHandoff();
      const open = await openPhone(handoff.url, "iphone", "en", { clock: true });
      await open.page.clock.fastForward(handoff.expires_at - Date.now() + 5_000);
      await open.page.locator(".expiry.expired").waitFor();
      // Said once to a screen reader: through the status that was there (empty) from the start,
      // while the timer it replaces is no longer read.
      const said = await open.page.evaluate(() => ({
        status: document.querySelector("[role=status][data-expiry-status]")?.textContent,
        timerHidden: document.querySelector(".expiry[role=timer]")?.getAttribute("aria-hidden"),
      }));
      assert.match(said.status ?? "", /^This code has expired\./);
      assert.equal(said.timerHidden, "true");
      await expectClean(open.page, "handoff run out");
      await open.close();

      const used = await newHandoff();
      await ctx().app.createAppClient({ baseUrl: ctx().url }).resolve(used.url);
      const poster = await v1("POST", "/v1/posters", { name: "paused", path: "/m" });
      await v1("PATCH", `/v1/posters/${poster.id}`, { status: "paused" });
      for (const [name, url, expected, language] of [
        ["used handoff", used.url, 410, "en"],
        ["paused poster", `${ctx().url}/p/${poster.code}`, 410, "ar"],
        ["paused poster", `${ctx().url}/p/${poster.code}`, 410, "ja"],
        ["forged handoff", `${ctx().url}/h/${"A".repeat(44)}`, 404, "he"],
        ["forged login", `${ctx().url}/l/${"A".repeat(44)}`, 404, "en"],
      ]) {
        const { page, status, close } = await openPhone(url, "android", language);
        assert.equal(status, expected, name);
        await expectClean(page, `${name} ${language}`);
        await close();
      }
    });

    it("the manual code entry, empty and with a wrong code", async () => {
      for (const language of ["en", "he"]) {
        const { page, status, close } = await openPhone(`${ctx().url}/c`, "android", language);
        assert.equal(status, 200);
        await expectClean(page, `manual entry ${language}`);
        await page.fill("#code", "zzzzz-zzzzz");
        await Promise.all([page.waitForLoadState(), page.press("#code", "Enter")]);
        await expectClean(page, `manual entry, wrong code ${language}`);
        await close();
      }
    });

    it("the QR login's scan page on a phone and the demo phone that approves it", async () => {
      const login = await v1("POST", "/v1/logins", {
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      });
      for (const agent of ["iphone", "android"]) {
        const { page, status, close } = await openPhone(login.url, agent);
        assert.equal(status, 200);
        await expectClean(page, `login scan ${agent}`);
        await close();
      }
      const { page, close } = await openPhone(
        `${ctx().url}/demo/phone?lang=en&link=${encodeURIComponent(login.url)}`,
        "android",
      );
      await page.locator("#ask").waitFor({ state: "visible" });
      await expectClean(page, "demo phone asking");
      await close();
    });
  });

  describe("accessibility (axe, WCAG 2.1 A and AA): <qr-bridge> on the demo page", () => {
    it("QR shown, scanned, done; run out with its retry", async () => {
      const { page } = await openDemoPage(ctx());
      await expectClean(page, "demo: QR shown");
      await page.emulateMedia({ colorScheme: "dark" });
      await expectClean(page, "demo: QR shown, dark");
      await page.emulateMedia({ colorScheme: "light" });
      const handoff = await page.evaluate(() => document.querySelector("qr-bridge").handoff);
      // A person's phone opens the link: the element says it was scanned.
      await fetchRetrying(handoff.url, { headers: { "user-agent": USER_AGENTS.iphone } });
      await page.waitForFunction(() => document.querySelector("qr-bridge").status === "scanned");
      await expectClean(page, "demo: scanned");
      await ctx().app.createAppClient({ baseUrl: ctx().url }).resolve(handoff.url);
      await page.waitForFunction(() => document.querySelector("qr-bridge").status === "redeemed");
      await expectClean(page, "demo: done");
      await page.close();
    });

    it("run out: the notice and its retry, reached with Tab and pressed with Enter", async () => {
      const { page } = await openDemoPage(ctx());
      await page.clock.install();
      // A code of 15 s that is not renewed, in place of the checkout's element.
      await page.evaluate(() => {
        const old = document.querySelector("qr-bridge");
        const el = document.createElement("qr-bridge");
        for (const a of old.getAttributeNames()) el.setAttribute(a, old.getAttribute(a));
        el.setAttribute("ttl", "15");
        el.setAttribute("max-renewals", "0");
        el.id = "short";
        old.replaceWith(el);
      });
      await page.waitForFunction(() => document.getElementById("short").status === "pending");
      await page.clock.fastForward(20_000);
      await page.waitForFunction(() => document.getElementById("short").status === "expired");
      await expectClean(page, "demo: run out");
      // The QR's "scan with your phone" is not read once the code cannot be scanned.
      const qrHidden = () =>
        page.evaluate(() =>
          document
            .getElementById("short")
            .shadowRoot.querySelector("img")
            .hasAttribute("aria-hidden"),
        );
      assert.equal(await qrHidden(), true);
      // From the top of the page, Tab until the focus is on the retry (inside the shadow root).
      const focused = () =>
        page.evaluate(() => {
          let el = document.activeElement;
          while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
          return Boolean(el?.closest("button.r")) && el.getRootNode().host?.id === "short";
        });
      await page.evaluate(() => document.activeElement?.blur());
      let reached = false;
      for (let i = 0; i < 40 && !reached; i++) {
        await page.keyboard.press("Tab");
        reached = await focused();
      }
      assert.ok(reached, "the retry is reached with Tab");
      // Seen to have the focus: a visible outline.
      const outline = await page.evaluate(() => {
        const b = document.getElementById("short").shadowRoot.querySelector("button.r");
        const s = getComputedStyle(b);
        return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
      });
      assert.ok(outline.style !== "none" && outline.width >= 2, JSON.stringify(outline));
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.getElementById("short").status === "pending");
      assert.equal(await qrHidden(), false);
      await page.close();
    });
  });
}
