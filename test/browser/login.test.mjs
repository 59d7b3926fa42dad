// The QR login demo in two Chromium pages against `wrangler dev`: the PC page (`/`, its
// <qr-bridge mode="login">) and the simulated phone (`/demo/phone`). The phone scans, shows who
// is asking and approves through the demo backend; the PC page is then signed in without a
// reload. Also: a denial, and a second phone (refused, and the PC warned).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeQrPng, saveScreenshot, USER_AGENTS } from "./lib.mjs";

/**
 * @param {() => { url: string, browser: import("playwright-core").Browser }} ctx
 */
export function loginTests(ctx) {
  /** The PC page with its login QR on display, and the login it shows. */
  async function openPc(path = "/") {
    const { url, browser } = ctx();
    const page = await browser.newPage({
      viewport: { width: 1280, height: 1100 },
      userAgent: USER_AGENTS.desktop,
    });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url + path);
    await page.evaluate(() => {
      window.__sameDocument = true;
    });
    await page.waitForFunction(() => document.getElementById("login-qr")?.status === "pending");
    // The phone link is set once the QR image has loaded (qrbridge:shown).
    await page.waitForFunction(() => document.getElementById("phone").href.includes("link="));
    const login = await page.evaluate(() => document.getElementById("login-qr").handoff);
    return { page, errors, login };
  }

  /** The simulated phone opened from the PC page's link: it scans on load. */
  async function openPhone(pc, ua = USER_AGENTS.android) {
    const { url, browser } = ctx();
    const href = await pc.locator("#phone").getAttribute("href");
    const phone = await browser.newPage({ viewport: { width: 420, height: 820 }, userAgent: ua });
    await phone.goto(new URL(href, url).href);
    return phone;
  }

  describe("QR login demo (two pages: the PC and the phone)", () => {
    it("the phone approves and the PC page is signed in, without a reload", async () => {
      const { page: pc, errors, login } = await openPc();
      assert.match(login.url, /^HTTP:\/\/127\.0\.0\.1:\d+\/L\/[0-9A-Z]{42}$/);
      const shot = await pc.locator("#login-qr img").screenshot({ animations: "disabled" });
      assert.equal(decodeQrPng(shot), login.url);
      const status = pc.locator("#login-qr [role=status]");
      assert.equal(await status.getAttribute("aria-live"), "polite");
      assert.match(await status.textContent(), /Scan with the app on your phone to log in/);
      assert.equal(
        await pc.locator("#login-qr img").getAttribute("alt"),
        "QR code: scan with the app on your phone to log in",
      );

      const phone = await openPhone(pc);
      await phone.locator("#ask").waitFor({ state: "visible" });
      const facts = await phone.locator("#facts").textContent();
      assert.match(facts, /Chrome · Windows/);
      assert.match(facts, /Same network/);
      await pc.waitForFunction(() => document.getElementById("login-qr").status === "scanned");
      assert.match(await status.textContent(), /Confirm on your phone/);
      saveScreenshot("login-phone-ask", await phone.screenshot());
      saveScreenshot("login-pc-scanned", await pc.locator("#login").screenshot());

      await phone.click("#approve");
      await phone.locator("#result.ok").waitFor();
      await pc.waitForFunction(
        () => document.getElementById("login").dataset.user === "demo-user-42",
      );
      assert.equal(await pc.evaluate(() => window.__sameDocument), true);
      assert.equal(await pc.locator("#login-outcome").textContent(), "Signed in as Demo User.");
      assert.equal(await pc.evaluate(() => document.getElementById("login-qr").status), "approved");
      saveScreenshot("login-pc-signed-in", await pc.locator("#login").screenshot());
      assert.deepEqual(errors, []);
      await Promise.all([pc.close(), phone.close()]);
    });

    it("a denial on the phone reaches the PC page, which offers a new code", async () => {
      const { page: pc } = await openPc();
      const phone = await openPhone(pc);
      await phone.locator("#ask").waitFor({ state: "visible" });
      await phone.click("#deny");
      await pc.waitForFunction(() => document.getElementById("login-qr").status === "denied");
      assert.equal(
        await pc.locator("#login-outcome").textContent(),
        "The login was declined on the phone.",
      );
      assert.equal(await pc.locator("#login-qr button.r").isVisible(), true);
      await Promise.all([pc.close(), phone.close()]);
    });

    it("a second phone is refused and the PC page warns", async () => {
      const { page: pc } = await openPc();
      const first = await openPhone(pc);
      await first.locator("#ask").waitFor({ state: "visible" });
      const second = await openPhone(pc, USER_AGENTS.iphone);
      await second.locator("#result.bad").waitFor();
      assert.match(await second.locator("#result").textContent(), /already_scanned/);
      const warning = pc.locator("#login-qr [role=alert]");
      await warning.waitFor({ state: "visible" });
      assert.match(await warning.textContent(), /Another phone also tried to scan this code/);
      saveScreenshot("login-pc-warning", await pc.locator("#login").screenshot());
      // "Get a new code": the page replaces the code another phone holds.
      const old = await pc.evaluate(() => document.getElementById("login-qr").handoff.id);
      await pc.locator("#login-qr button.r").click();
      await pc.waitForFunction((id) => {
        const el = document.getElementById("login-qr");
        return el.status === "pending" && el.handoff.id !== id;
      }, old);
      assert.equal(await warning.isVisible(), false);
      await Promise.all([pc.close(), first.close(), second.close()]);
    });

    it("the phone's heading is a login's metadata.title only when a secret key made it", async () => {
      const { url, browser, mintKey } = ctx();
      const origin = new URL(url).origin;
      const [secret, pk] = await Promise.all([
        mintKey({ name: "login words", kind: "secret", scopes: ["logins:write"] }),
        mintKey({
          name: "login words",
          kind: "publishable",
          scopes: ["logins:write"],
          origins: [origin],
        }),
      ]);
      const phone = await browser.newPage({
        viewport: { width: 420, height: 820 },
        userAgent: USER_AGENTS.android,
      });
      await phone.goto(`${url}/demo/phone`);
      // From a page of the bridge's origin, as the shop's page (or anyone with its key) would.
      const create = (key, title) =>
        phone.evaluate(
          async ([key, title]) => {
            const res = await fetch("/v1/logins", {
              method: "POST",
              headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
              body: JSON.stringify({
                code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                metadata: { title },
              }),
            });
            return (await res.json()).url;
          },
          [key, title],
        );
      const heading = async (link) => {
        await phone.goto(`${url}/demo/phone?lang=en&link=${encodeURIComponent(link)}`);
        await phone.locator("#ask").waitFor({ state: "visible" });
        return phone.locator("#ask-title").textContent();
      };
      const own = await create(secret, "Log in to Acme <b>Admin</b>?");
      assert.equal(await heading(own), "Log in to Acme <b>Admin</b>?");
      const attacker = await create(pk, "Approve to receive your refund");
      assert.equal(await heading(attacker), "Log in on this computer?");
      assert.doesNotMatch(await phone.locator("body").textContent(), /refund/);
      await phone.close();
    });

    it("speaks Simplified Chinese with lang=zh", async () => {
      const { page: pc } = await openPc("/?lang=zh");
      assert.match(
        await pc.locator("#login-qr [role=status]").textContent(),
        /请用手机上的 App 扫码登录/,
      );
      await pc.close();
    });
  });
}
