// Helpers for the console's browser tests: sign in on the dashboard with a key, open a page
// that fails the test on any script error, and a webhook receiver that records what it gets.
import { createServer } from "node:http";

/**
 * The console's page helpers for the Worker and browser of `ctx`.
 * @param {() => { url: string, browser: import("playwright-core").Browser }} ctx
 */
export function consoleSession(ctx) {
  /**
   * Sign in on the dashboard's form and wait for the signed-in page. The form posts to
   * /dashboard/login, which answers 303 back to /dashboard: the URL the form already has, so
   * waiting for that URL returns at once, and on a loaded machine the next `goto` could cancel
   * the post. Only a signed-in page carries the session's CSRF token (`data-csrf`).
   */
  async function signIn(page, secret) {
    await page.goto(`${ctx().url}/dashboard`);
    await page.fill("#key", secret);
    await page.press("#key", "Enter");
    await page.locator("body[data-csrf]").waitFor({ state: "attached" });
    await page.waitForLoadState("load");
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

/**
 * A webhook receiver on 127.0.0.1 answering 204 and recording each request, at `path`.
 * @returns {Promise<{ url: string, received: { headers: import("node:http").IncomingHttpHeaders, body: string }[], close: () => void }>}
 */
export async function webhookReceiver(path) {
  const received = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}${path}`,
    received,
    close: () => server.close(),
  };
}
