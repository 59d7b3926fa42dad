// Clients benchmark: the gzip size of /sdk/qrbridge.js (target ≤ 12 KiB), and the time from
// page load to the QR being visible on the demo page in real Chromium (median of 5 cold loads),
// against the same page's DOMContentLoaded as the baseline of the same run.
//   node bench/clients.mjs
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { launchChromium, recordQrShown } from "../test/browser/lib.mjs";
import { fmt, median, startWorker } from "./lib.mjs";

const LOADS = 5;
const TARGET_GZIP = 12 * 1024;

/** One cold load of the demo page: ms from navigation start to DOMContentLoaded and to QR shown. */
async function loadOnce(browser, url) {
  const context = await browser.newContext(); // fresh cache: a first visit
  const page = await context.newPage();
  await recordQrShown(page);
  await page.goto(`${url}/`);
  await page.waitForFunction(() => window.__qrShownAt !== undefined, null, { timeout: 15_000 });
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const create = performance
      .getEntriesByType("resource")
      .find((e) => new URL(e.name).pathname === "/demo/handoffs");
    return {
      dcl: nav.domContentLoadedEventEnd,
      shown: window.__qrShownAt,
      create: create ? create.duration : Number.NaN,
    };
  });
  await context.close();
  return t;
}

/** @returns {Promise<string[]>} */
export async function run() {
  const worker = await startWorker();
  const browser = await launchChromium();
  try {
    const res = await fetch(`${worker.url}/sdk/qrbridge.js`);
    const js = Buffer.from(await res.arrayBuffer());
    const gz = gzipSync(js, { level: 9 }).length;
    // Warm the isolate and the demo key once, so every measured load is alike.
    await loadOnce(browser, worker.url);
    const loads = [];
    for (let i = 0; i < LOADS; i++) loads.push(await loadOnce(browser, worker.url));
    const dcl = median(loads.map((l) => l.dcl));
    const shown = median(loads.map((l) => l.shown));
    const create = median(loads.map((l) => l.create));
    return [
      `clients: /sdk/qrbridge.js ${js.length} B raw, ${gz} B gzip = ${fmt(gz / 1024)} KiB (${fmt(gz / TARGET_GZIP)}× the 12 KiB target)`,
      `clients: demo page load → QR visible, median of ${LOADS} cold loads in Chromium: ${fmt(shown, 0)} ms; DOMContentLoaded ${fmt(dcl, 0)} ms (QR at ${fmt(shown / dcl)}× DCL); POST /demo/handoffs (the demo backend's create) from the page ${fmt(create, 0)} ms`,
    ];
  } finally {
    await browser.close();
    await worker.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const line of await run()) console.log(line);
}
