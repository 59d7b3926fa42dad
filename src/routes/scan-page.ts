/**
 * The HTTP end of a scan (`GET /p/…`, `GET /h/…`): turn the decision of core/scan.ts into a
 * response. A failure that spends the client's failure budget is checked against it first
 * (over it: the 429 page and no hop); then the hops are recorded and the page rendered.
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import type { ScanOutcome } from "../core/scan";
import type { Lang } from "../pages/i18n";
import { renderLandingPage } from "../pages/landing";
import { renderMessagePage } from "../pages/messages";
import { htmlResponse, newNonce } from "../pages/security";
import { clientThrottled } from "../store/client-limits";
import { recordHop } from "../store/hops";
import { throttledPage } from "./client-limits";
import { hopScope } from "./hop-scope";
import { qrImageOrigin } from "./urls";

/**
 * Answer a scan with the page `outcome` names, recording its hops.
 *
 * @example
 * return answerScan(c, "poster", posterScan(facts), lang, qrUrls(c, "p", code).svg);
 */
export async function answerScan(
  c: Context<AppEnv>,
  kind: "poster" | "handoff",
  outcome: ScanOutcome,
  lang: Lang,
  qrSvgUrl: string,
): Promise<Response> {
  if (outcome.page === "message" && outcome.spendsFailureBudget) {
    if (await clientThrottled(c.env, c.req.raw, "failures")) return throttledPage(lang);
  }
  const scope = hopScope(c);
  for (const hop of outcome.hops) recordHop(scope, { kind, ...hop });
  const nonce = newNonce();
  if (outcome.page === "message") {
    const { status, storeName } = outcome;
    const page = renderMessagePage({ status, lang, kind, storeName }, nonce);
    return htmlResponse(page, { status, nonce });
  }
  const apps = c.var.config.apps;
  const page = renderLandingPage({ ...outcome.landing, lang, apps, qrSvgUrl }, nonce);
  return htmlResponse(page, { nonce, imgOrigin: qrImageOrigin(c) });
}
