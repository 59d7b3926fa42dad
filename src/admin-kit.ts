/**
 * The storage work of what operators and integrators administer, as one module: the funnel's
 * report, its day ranges and the stores' zones it is read in, and the dashboard's labels,
 * posters gone quiet, the hop export's pages, stores and campaigns, poster creates (one or a
 * batch) and lists, webhook endpoints (their receiver URL's check, edits, pauses and secret
 * rotations) and their deliveries, the audit log's pages, the dead letters and their replay,
 * keys (their rolls and edits), logos, the console's sign-in and its session lookup, and the
 * `Idempotency-Key` claims of the creates (loaded only when the header is sent).
 * Built by scripts/build-lazy-modules.mjs into src/generated/admin-kit.js and uploaded beside
 * the Worker (wrangler.toml `find_additional_modules`); their routes import it on first use
 * (routes/lazy-modules.ts), so a scan, a resolve, an event, a handoff (without
 * `Idempotency-Key`) or a login never loads it.
 *
 * A kit is a bundle of its own, with its own copy of every module it takes: nothing here may
 * keep or clear state that the main bundle reads (an isolate's caches of posters and keys, a
 * request's pending hops). scripts/build-lazy-modules.mjs refuses to build it with one of those.
 */

export { firstKeptHour, resolveRange } from "./core/day-range";
export { checkOutboundUrl } from "./core/url-safety";
export { WIDEST_ZONES, zonedDaysSpanIn } from "./core/zone-set";
export { listAuditLog } from "./store/audit-log";
export { campaignByName, createCampaign, getCampaign, listCampaigns } from "./store/campaigns";
export { dashboardLabels } from "./store/dashboard-labels";
export { createSession, deleteSession, findSession } from "./store/dashboard-sessions";
export { listDeadLetters, replayDeadLetters } from "./store/dead-letters";
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
export { checkStores, createPosters } from "./store/poster-create";
export { countPosters, listPosters } from "./store/poster-lists";
export { quietPosters } from "./store/quiet-posters";
export { filteredDayZone, zonesInUse } from "./store/store-zones";
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
