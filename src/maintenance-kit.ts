/**
 * The cron's work as one module, built by scripts/build-lazy-modules.mjs into
 * src/generated/maintenance-kit.js and uploaded beside the Worker as an additional module
 * (wrangler.toml `find_additional_modules`). `scheduled` imports it when the cron fires
 * (routes/lazy-modules.ts), so the spool sweep, retention, compaction and the sketch rewrite
 * never weigh on the bundle every request's isolate starts with.
 */
export { runScheduled } from "./store/maintenance";
