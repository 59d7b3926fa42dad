/**
 * The background work no request waits on (store/background-work.ts: counting hops, a webhook
 * delivery's try, a resumed endpoint's drain step, deliveries sent without a queue), imported on
 * first use. In this repository's Worker it is part of the maintenance kit
 * (src/maintenance-kit.ts), a module of the upload of its own, so the scan path's bundle never
 * carries the hop counting nor the webhooks' sending; the first queue batch of hops or webhooks
 * in an isolate loads it (a request only when its hops are written directly: no queue, or the
 * queue and the spool both failed). Elsewhere (a kit, the published package, the tests) it is a
 * plain dynamic import of store/background-work.ts that the bundler follows.
 */
import type * as BackgroundWorkModule from "./background-work";

export type BackgroundWork = typeof BackgroundWorkModule;

// Defined (`true`) by this repository's wrangler.toml `[define]` only (routes/lazy-modules.ts);
// the kits are built without it, so a kit takes store/background-work.ts in.
declare const QB_SEPARATE_KITS: true | undefined;

// The maintenance kit's name in the upload, relative to the bundle (routes/lazy-modules.ts).
const MAINTENANCE_KIT = "./generated/maintenance-kit.js";

let backgroundModule: Promise<BackgroundWork> | undefined;

/**
 * The background work's module (imported once per isolate). A failed import is not kept, so
 * the next call tries again; the caller decides what waits (a queue message is retried).
 *
 * @example
 * await (await backgroundWork()).sendDeliveries(env, config, ids);
 */
export function backgroundWork(): Promise<BackgroundWork> {
  backgroundModule ??= (
    typeof QB_SEPARATE_KITS === "undefined"
      ? import("./background-work")
      : (import(/* @vite-ignore */ MAINTENANCE_KIT) as Promise<BackgroundWork>)
  ).catch((error: unknown) => {
    backgroundModule = undefined;
    throw error;
  });
  return backgroundModule;
}
