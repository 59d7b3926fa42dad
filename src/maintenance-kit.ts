/**
 * The background work as one module, built by scripts/build-lazy-modules.mjs into
 * src/generated/maintenance-kit.js and uploaded beside the Worker as an additional module
 * (wrangler.toml `find_additional_modules`): what the cron runs (`scheduled` imports it when the
 * cron fires, routes/lazy-modules.ts) and what the queue consumer hands on (a webhook delivery's
 * try, a resumed endpoint's drain step, and without a `WEBHOOKS` queue the deliveries sent at
 * once: store/background.ts), so the spool sweep, retention, compaction, the sketch rewrite and
 * the webhooks' sending never weigh on the bundle every request's isolate starts with.
 */
export { consumeDrainStep, consumeWebhook, sendDeliveries } from "./store/background-work";
export { runScheduled } from "./store/maintenance";
