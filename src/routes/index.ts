/**
 * Every route module, registered in one place. Each module owns one area of the contract.
 */
import type { App } from "../app-env";
import { registerAuditLogRoutes } from "./audit-log";
import { jsonBodyGuard } from "./body-guard";
import { registerConsoleApiRoutes } from "./console-api";
import { registerConsolePageRoutes } from "./console-pages";
import { registerDashboardRoutes } from "./dashboard";
import { registerDashboardApiRoutes } from "./dashboard-api";
import { registerDeadLetterRoutes } from "./dead-letters";
import { registerDemoRoutes } from "./demo";
import { registerEventRoutes } from "./events";
import { registerFaviconRoute } from "./favicon";
import { registerHandoffRoutes } from "./handoffs";
import { registerHealthRoutes } from "./health";
import { registerHopExportRoutes } from "./hops-export";
import { registerKeyRoutes } from "./keys";
import { registerLoginStepRoutes } from "./login-steps";
import { registerLoginRoutes } from "./logins";
import { registerLogoRoutes } from "./logos";
import { registerManualEntryRoutes } from "./manual-entry";
import { adoptSessionCaller, apiHeaders } from "./middleware";
import { registerOpenApiRoutes } from "./openapi";
import { registerPosterRoutes } from "./posters";
import { registerPosterBatchRoutes } from "./posters-batch";
import { registerPrintRoutes } from "./print";
import { registerPrintPdfRoutes } from "./print-pdf";
import { registerQrRoutes } from "./qr";
import { refuseUnknownQueryParams } from "./query-guard";
import { registerResolveRoutes } from "./resolve";
import { registerHandoffScanRoutes } from "./scan-handoff";
import { registerLoginPageRoutes } from "./scan-login";
import { registerPosterScanRoutes } from "./scan-poster";
import { registerSdkRoutes } from "./sdk";
import { registerStatsRoutes } from "./stats";
import { registerStoreRoutes } from "./stores";
import { registerWebhookEditRoutes } from "./webhook-edit";
import { registerWebhookRoutes } from "./webhooks";
import { registerWellKnownRoutes } from "./well-known";

declare const QB_PRODUCTION_BUILD: true | undefined;

/**
 * Mount all routes on the app.
 *
 * @example
 * registerRoutes(app);
 */
export function registerRoutes(app: App): void {
  // Before any route: every /v1 route declared below refuses query parameters it does not declare.
  refuseUnknownQueryParams(app);
  app.use("/v1/*", adoptSessionCaller(), apiHeaders(), jsonBodyGuard());
  registerHealthRoutes(app);
  registerFaviconRoute(app);
  registerKeyRoutes(app);
  registerHandoffRoutes(app);
  registerHandoffScanRoutes(app);
  registerResolveRoutes(app);
  registerLoginStepRoutes(app);
  registerLoginRoutes(app);
  registerLoginPageRoutes(app);
  registerQrRoutes(app);
  registerPrintRoutes(app);
  registerPrintPdfRoutes(app);
  registerPosterBatchRoutes(app);
  registerPosterRoutes(app);
  registerLogoRoutes(app);
  registerStoreRoutes(app);
  registerPosterScanRoutes(app);
  registerManualEntryRoutes(app);
  registerEventRoutes(app);
  registerStatsRoutes(app);
  registerHopExportRoutes(app);
  registerWebhookRoutes(app);
  registerWebhookEditRoutes(app);
  registerDashboardRoutes(app);
  registerDashboardApiRoutes(app);
  registerConsoleApiRoutes(app);
  registerConsolePageRoutes(app);
  registerDeadLetterRoutes(app);
  registerAuditLogRoutes(app);
  registerSdkRoutes(app);
  registerOpenApiRoutes(app);
  // `npm run deploy` defines QB_PRODUCTION_BUILD (wrangler --define): the dev-only demo is
  // then left out of the bundle altogether, not just switched off.
  if (typeof QB_PRODUCTION_BUILD === "undefined") registerDemoRoutes(app);
  registerWellKnownRoutes(app);
}
