/**
 * The background work as one module, built by scripts/build-lazy-modules.mjs into
 * src/generated/maintenance-kit.js and uploaded beside the Worker as an additional module
 * (wrangler.toml `find_additional_modules`): what the cron runs (`scheduled` imports it when the
 * cron fires, routes/lazy-modules.ts) and what the queue consumer hands on (counting a batch of
 * hops, a webhook delivery's try, a resumed endpoint's drain step, and without a `WEBHOOKS` queue
 * the deliveries sent at once: store/background.ts), so the hop counting, the spool sweep,
 * retention, compaction, the sketch rewrite and the webhooks' sending never weigh on the bundle
 * every request's isolate starts with. A scan never loads it: its hops leave by the queue.
 */
export {
  consumeDrainStep,
  consumeWebhook,
  ingestHops,
  sendDeliveries,
} from "./store/background-work";
export { runScheduled } from "./store/maintenance";
