#!/usr/bin/env node
// Browser tests (`npm run test:browser`): real Chromium (Debian's, through playwright-core)
// against the real Worker under `wrangler dev`. Screenshots go to test-results/screenshots/.
import { after, before } from "node:test";
import { ADMIN_KEY, fetchRetrying, startWorker } from "../../bench/lib.mjs";
import { a11yTests } from "./a11y.test.mjs";
import { a11yConsoleTests } from "./a11y-console.test.mjs";
import { consoleAuditTests } from "./console-audit.test.mjs";
import { consoleFunnelTableTests } from "./console-funnel-table.test.mjs";
import { consoleInsightsTests } from "./console-insights.test.mjs";
import { consoleKeyEndTests } from "./console-keys-end.test.mjs";
import { consoleKeyRollTests } from "./console-keys-roll.test.mjs";
import { consoleLangTests } from "./console-langs.test.mjs";
import { consolePosterTests } from "./console-posters.test.mjs";
import { consoleStoreZoneTests } from "./console-store-zone.test.mjs";
import { consoleWalkTests } from "./console-walk.test.mjs";
import { consoleWebhookEditTests } from "./console-webhook-edit.test.mjs";
import { consoleWebhookKeyTests } from "./console-webhooks-keys.test.mjs";
import { dashboardTests } from "./dashboard.test.mjs";
import { demoTests } from "./demo.test.mjs";
import { demoHandoffTests } from "./demo-handoff.test.mjs";
import { APP_VARS, landingTests } from "./landing.test.mjs";
import { landingRtlTests } from "./landing-rtl.test.mjs";
import { launchChromium, loadAppClient, SCREENSHOTS } from "./lib.mjs";
import { loginTests } from "./login.test.mjs";
import { printTests } from "./print.test.mjs";
import { redteamLangsTests } from "./redteam-langs.test.mjs";
import { siteEmbedTests } from "./site-embed.test.mjs";

let worker;
let browser;
let app;

before(async () => {
  [worker, browser, app] = await Promise.all([
    startWorker({ vars: APP_VARS }),
    launchChromium(),
    loadAppClient(),
  ]);
});

after(async () => {
  await browser?.close();
  await worker?.stop();
  console.log(`screenshots: ${SCREENSHOTS}`);
});

const ctx = () => ({
  url: worker.url,
  browser,
  app,
  d1: (sql) => worker.d1(sql),
  async mintKey(body) {
    const res = await fetchRetrying(`${worker.url}/v1/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`mint failed ${res.status}: ${await res.text()}`);
    return (await res.json()).key;
  },
});

demoTests(ctx);
demoHandoffTests(ctx);
loginTests(ctx);
landingTests(ctx);
landingRtlTests(ctx);
redteamLangsTests(ctx);
dashboardTests(ctx);
consolePosterTests(ctx);
consoleWebhookKeyTests(ctx);
consoleKeyRollTests(ctx);
consoleKeyEndTests(ctx);
consoleWebhookEditTests(ctx);
consoleAuditTests(ctx);
consoleWalkTests(ctx);
consoleFunnelTableTests(ctx);
consoleInsightsTests(ctx);
consoleLangTests(ctx);
consoleStoreZoneTests(ctx);
printTests(ctx);
siteEmbedTests(ctx);
a11yTests(ctx);
a11yConsoleTests(ctx);
