// <qr-bridge> on a customer's site, its life in the page (site-embed.test.mjs opens the shop): a
// framework moving the element keeps its code; a removal stops it; a create that failed for want
// of the network is tried again on its own (a renewal's, with the live code left on display), an
// answer like a 403 is not. The page's clock is
// Playwright's (page.clock): the tests move it on rather than wait for it.
import assert from "node:assert/strict";
import { it } from "node:test";
import { USER_AGENTS } from "./lib.mjs";

/** What the element's grace for a move is (src/client/embed-timers.ts MOVE_GRACE_MS), and more. */
const PAST_GRACE_MS = 1_500;

/**
 * Register the tests inside site-embed's describe, after its shop has started.
 * @param {() => { url: string, browser: import("playwright-core").Browser }} ctx
 * @param {{ events: Function, statusText: Function, shopUrl: () => string, otherOriginKey: () => string }} s
 */
export function siteEmbedLifecycleTests(ctx, { events, statusText, shopUrl, otherOriginKey }) {
  /**
   * The checkout at `query` on a desktop with the page clock installed; `creates` lists each
   * POST /v1/handoffs, and `answer(n)` (if given) decides the n-th one's fate (0-based): "abort"
   * fails it as a dropped connection would, anything else lets it through.
   */
  async function checkout(query = "", { answer, until = "shown" } = {}) {
    const context = await ctx().browser.newContext({ userAgent: USER_AGENTS.desktop });
    const page = await context.newPage();
    const creates = [];
    const sockets = [];
    page.on("websocket", (ws) => sockets.push(ws));
    await page.route(`${ctx().url}/v1/handoffs`, (route) => {
      if (route.request().method() !== "POST") return route.continue();
      const n = creates.push(route.request().url()) - 1;
      return answer?.(n) === "abort" ? route.abort("internetdisconnected") : route.continue();
    });
    await page.clock.install();
    await page.goto(`${shopUrl()}/checkout${query}`);
    await page.waitForFunction((t) => window.events.some((e) => e.type === t), until);
    return { page, creates, sockets, close: () => context.close() };
  }

  const handoffOf = (page) => page.evaluate(() => document.getElementById("qr0").handoff);

  it("moved in the page (re-parented at once, or a moment later): the same code, no new handoff", async () => {
    const { page, creates, sockets, close } = await checkout();
    const before = await handoffOf(page);
    // A list re-render: the element taken out and put back in the same task.
    await page.evaluate(() => {
      const box = document.createElement("section");
      document.body.append(box);
      box.append(document.getElementById("qr0"));
    });
    // A modal: out now, in again from a later task, within the grace.
    await page.evaluate(() => {
      const el = document.getElementById("qr0");
      el.remove();
      setTimeout(() => document.body.prepend(el), 200);
    });
    // runFor, not fastForward: timers fire in the order they fall due, the put-back first.
    await page.clock.runFor(PAST_GRACE_MS);
    await page.waitForFunction(() => document.getElementById("qr0")?.isConnected);
    await page.clock.runFor(PAST_GRACE_MS);
    assert.equal((await handoffOf(page)).id, before.id);
    assert.equal(creates.length, 1);
    assert.equal(await page.evaluate(() => document.getElementById("qr0").status), "pending");
    // Its watch and countdown went on: one socket, still open, and the clock still ticking.
    assert.equal(sockets.length, 1);
    assert.equal(sockets[0].isClosed(), false);
    assert.match(await page.locator("#qr0 .c").textContent(), /Expires in \d:\d\d/);
    await close();
  });

  it("removed for good: its socket is closed and nothing is created again", async () => {
    const { page, creates, sockets, close } = await checkout();
    await page.evaluate(() => document.getElementById("qr0").remove());
    const closed = sockets[0].isClosed() ? null : sockets[0].waitForEvent("close");
    await page.clock.fastForward(PAST_GRACE_MS);
    await closed;
    assert.equal(sockets[0].isClosed(), true);
    // No timer left to renew it: a long while later, still one create, one socket.
    await page.clock.fastForward(10 * 60_000);
    assert.equal(creates.length, 1);
    assert.equal(sockets.length, 1);
    await close();
  });

  it("a create that fails twice for want of the network shows a code without a click", async () => {
    const { page, creates, close } = await checkout("", {
      answer: (n) => (n < 2 ? "abort" : "pass"),
      until: "error",
    });
    assert.equal(await statusText(page), "Could not create a code (network).");
    assert.equal(await page.locator("#qr0 button.r").isVisible(), true);
    await page.clock.fastForward(1_000); // the first retry: fails again
    await page.waitForFunction(() => window.events.filter((e) => e.type === "error").length === 2);
    await page.clock.fastForward(2_000); // the second: a code
    await page.waitForFunction(() => window.events.some((e) => e.type === "shown"));
    assert.equal(creates.length, 3);
    const errors = await events(page, "error");
    assert.deepEqual(
      errors.map((e) => e.code),
      ["network", "network"],
    );
    assert.equal(await page.evaluate(() => document.getElementById("qr0").status), "pending");
    assert.equal(await page.locator("#qr0 button.r").isVisible(), false);
    await close();
  });

  it("a renewal that gets no answer keeps the live code on display until the retry replaces it", async () => {
    // ttl 15 s: the renewal is due at 5 s; its connection drops, the retry's goes through.
    const { page, creates, close } = await checkout("?ttl=15", {
      answer: (n) => (n === 1 ? "abort" : "pass"),
    });
    const first = await handoffOf(page);
    await page.clock.fastForward(6_000);
    // Step the clock (not past the code's expiry) until the retry, 1 s after the failure, ran.
    for (let i = 0; i < 16 && creates.length < 3; i++) await page.clock.runFor(250);
    await page.waitForFunction(() => window.events.filter((e) => e.type === "shown").length === 2);
    assert.equal(creates.length, 3);
    assert.notEqual((await handoffOf(page)).id, first.id);
    // The failed renewal never took the live code away: no error shown or fired in between.
    assert.deepEqual(await events(page, "error"), []);
    assert.equal(await page.evaluate(() => document.getElementById("qr0").status), "pending");
    await close();
  });

  it("a code scanned while its failed renewal waits for the retry stays: no new code, no error", async () => {
    const { page, creates, close } = await checkout("?ttl=15", {
      answer: (n) => (n === 1 ? "abort" : "pass"),
    });
    const first = await handoffOf(page);
    await page.clock.fastForward(6_000); // the renewal: its connection drops
    for (let i = 0; i < 100 && creates.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    // A phone scans the code on display: a person's first scan.
    const scan = await fetch(first.url, { headers: { "user-agent": USER_AGENTS.iphone } });
    assert.equal(scan.status, 200);
    await page.waitForFunction(() => document.getElementById("qr0").status === "scanned");
    await page.clock.runFor(5_000); // past every retry the failed renewal had due
    assert.equal(creates.length, 2);
    assert.equal((await handoffOf(page)).id, first.id);
    assert.deepEqual(await events(page, "error"), []);
    assert.equal(await page.evaluate(() => document.getElementById("qr0").status), "scanned");
    await close();
  });

  it("a 403 (a key of another origin) is not retried: one create, one error, the button", async () => {
    const { page, creates, close } = await checkout(`?publishable-key=${otherOriginKey()}`, {
      until: "error",
    });
    await page.clock.fastForward(10 * 60_000);
    assert.equal(creates.length, 1);
    assert.deepEqual(
      (await events(page, "error")).map((e) => e.code),
      ["forbidden"],
    );
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await page.clock.fastForward(10_000);
    assert.equal(creates.length, 1);
    // The visitor's own retry is still there, and asks again.
    await page.locator("#qr0 button.r").click();
    await page.waitForFunction(() => window.events.filter((e) => e.type === "error").length === 2);
    assert.equal(creates.length, 2);
    await close();
  });
}
