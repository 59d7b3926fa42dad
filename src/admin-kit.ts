/**
 * The storage work of what operators and integrators administer, as one module: the funnel's
 * report and the dashboard's labels, posters gone quiet, the hop export's pages, stores and
 * campaigns, webhook endpoints (their receiver URL's check, edits, pauses and secret
 * rotations) and their deliveries, the audit log's pages, keys (their rolls and edits), logos, poster lists, the console's
 * sign-in and the `Idempotency-Key` claims of the creates (loaded only when the header is sent).
 * Built by scripts/build-lazy-modules.mjs into src/generated/admin-kit.js and uploaded beside
 * the Worker (wrangler.toml `find_additional_modules`); their routes import it on first use
 * (routes/lazy-modules.ts), so a scan, a resolve, an event, a handoff (without
 * `Idempotency-Key`) or a login never loads it.
 *
 * A kit is a bundle of its own, with its own copy of every module it takes: nothing here may
 * keep or clear state that the main bundle reads (an isolate's caches of posters and keys, a
 * request's pending hops). scripts/build-lazy-modules.mjs refuses to build it with one of those.
 */

export { checkOutboundUrl } from "./core/url-safety";
export { listAuditLog } from "./store/audit-log";
export { campaignByName, createCampaign, getCampaign, listCampaigns } from "./store/campaigns";
export { dashboardLabels } from "./store/dashboard-labels";
export { createSession, deleteSession } from "./store/dashboard-sessions";
export { funnelReport } from "./store/funnel-report";
export {
  decodeHopCursor,
  encodeHopCursor,
  filteredPage,
  pageText,
  planPage,
  streamPage,
} from "./store/hop-export";
export {
  answerStatements,
  claimKey,
  pendAnswer,
  releaseKey,
  storeAnswer,
} from "./store/idempotency";
export { rollKey, updateKey } from "./store/key-changes";
export { listKeys, mintKey } from "./store/keys";
export { headLogo, putLogo } from "./store/logos";
export { countPosters, listPosters } from "./store/poster-lists";
export { quietPosters } from "./store/quiet-posters";
export { createStore, deleteStore, getStore, listStores } from "./store/stores";
export { rotateSecret, updateEndpoint } from "./store/webhook-edit";
export { releaseHeld } from "./store/webhook-hold";
export { countHeld } from "./store/webhook-hold-expiry";
export { getDelivery, listDeliveries } from "./store/webhook-log";
export { redeliver } from "./store/webhook-retry-now";
export {
  countActiveEndpoints,
  createEndpoint,
  disableEndpoint,
  getEndpoint,
  listEndpoints,
  sendTestEvent,
} from "./store/webhooks";
