// The accessibility check of the browser tests (a11y*.test.mjs): axe-core (WCAG 2.0/2.1 A and AA
// rules, and its best practices) read from node_modules and evaluated in the page (no network,
// and no page CSP to get past); any `serious` or `critical` violation fails.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { api } from "../../bench/lib.mjs";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe rules allowed to fail, each with why. None: every finding was fixed. */
const ALLOWED = new Map();

/**
 * Run axe on the page as it is now (its WCAG 2.0/2.1 A and AA rules, and its best practices:
 * landmarks, one h1, heading order); the violations to fail on (serious, critical) and all of
 * them (`QB_A11Y_LOG=1` prints those of any impact).
 *
 * @example
 * const { failing } = await axeViolations(page);
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE);
  const results = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: {
        type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
      },
      resultTypes: ["violations"],
    }),
  );
  const all = results.violations.flatMap((v) =>
    v.nodes.map((n) => ({
      rule: v.id,
      impact: n.impact ?? v.impact,
      target: n.target.join(" >> "),
      summary: n.failureSummary?.split("\n").slice(0, 3).join(" "),
    })),
  );
  const failing = all.filter(
    (v) => (v.impact === "serious" || v.impact === "critical") && !ALLOWED.has(v.rule),
  );
  return { failing, all };
}

/**
 * Fail with every serious or critical violation axe finds on the page as it is now.
 *
 * @example
 * await expectClean(page, "console /keys");
 */
export async function expectClean(page, name) {
  const { failing, all } = await axeViolations(page);
  if (all.length && process.env.QB_A11Y_LOG) console.log(name, JSON.stringify(all, null, 1));
  assert.deepEqual(
    failing.map((v) => `${v.rule} [${v.impact}] ${v.target}: ${v.summary}`),
    [],
    `${name}: accessibility violations`,
  );
}

/**
 * A /v1 caller for the tests of `ctx`, with a secret key that may make handoffs, logins and
 * posters (minted on first use); it answers the call's JSON.
 *
 * @example
 * const v1 = v1Caller(ctx); const store = await v1("POST", "/v1/stores", { name: "Opéra" });
 */
export function v1Caller(ctx) {
  let secret;
  /** A /v1 call with a key that may make handoffs, logins and posters; the JSON answer. */
  return async function v1(method, path, body) {
    const { url, mintKey } = ctx();
    secret ??= await mintKey({
      name: "a11y",
      kind: "secret",
      scopes: ["handoffs:write", "logins:write", "posters:write"],
    });
    return api(url, secret, method, path, body);
  };
}
