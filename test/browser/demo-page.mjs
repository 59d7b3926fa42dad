// Opening the dev demo page at `/` in Chromium, for the demo's browser tests
// (demo.test.mjs, demo-handoff.test.mjs).

/**
 * Open the demo page with every qrbridge:* event recorded in `window.__events`; `init` runs in
 * the page before its scripts, `beforeLoad(page)` in the test before the page is opened.
 *
 * @param {{ url: string, browser: import("playwright-core").Browser }} ctx
 * @example
 * const { page, errors } = await openDemoPage(ctx(), "/?lang=zh");
 */
export async function openDemoPage(ctx, path = "/", init, beforeLoad) {
  const { url, browser } = ctx;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  beforeLoad?.(page);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.addInitScript(() => {
    window.__events = [];
    for (const type of ["shown", "status", "scanned", "redeemed", "expired", "error"]) {
      document.addEventListener(`qrbridge:${type}`, (e) =>
        window.__events.push({ type, ...e.detail, t: performance.now() }),
      );
    }
  });
  if (init) await page.addInitScript(init);
  await page.goto(url + path);
  await page.waitForFunction(() => window.__events.some((e) => e.type === "shown"));
  return { page, errors };
}

/**
 * The handoff the page's checkout `<qr-bridge>` (its first) shows.
 *
 * @example
 * const { url } = await checkoutHandoff(page);
 */
export const checkoutHandoff = (page) =>
  page.evaluate(() => document.querySelector("qr-bridge").handoff);
