// Helpers for the console's browser tests: sign in on the dashboard with a key, and open a page
// that fails the test on any script error.

/**
 * The console's page helpers for the Worker and browser of `ctx`.
 * @param {() => { url: string, browser: import("playwright-core").Browser }} ctx
 */
export function consoleSession(ctx) {
  async function signIn(page, secret) {
    await page.goto(`${ctx().url}/dashboard`);
    await page.fill("#key", secret);
    await Promise.all([page.waitForURL(/\/dashboard$/), page.press("#key", "Enter")]);
  }

  /** A page that fails the test on any script error and accepts confirmation dialogs. */
  async function consolePage(options = {}) {
    const page = await ctx().browser.newPage({
      viewport: { width: 1280, height: 900 },
      ...options,
    });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("dialog", (d) => d.accept());
    return { page, errors };
  }

  return { signIn, consolePage };
}
