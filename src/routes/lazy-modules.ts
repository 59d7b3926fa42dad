/**
 * The Worker's additional modules, each imported on first use: the print kit (src/print-kit.ts),
 * the browser kit (src/browser-kit.ts), the maintenance kit (src/maintenance-kit.ts: the cron's
 * work, and the queue consumer's, which store/background.ts imports),
 * the scan pages' words beyond English and Chinese (src/scan-words-kit.ts) and the
 * administration's storage work (src/admin-kit.ts).
 * In this repository's Worker each is a module of the upload of its own, so only the requests
 * (or cron runs) that need one pay for its code. Elsewhere (a
 * consumer's Worker built from the published package, the tests, the benches) they are plain
 * dynamic imports that the bundler follows: no upload rule is needed to build the package.
 */
import type * as AdminKitModule from "../admin-kit";
import type * as BrowserKitModule from "../browser-kit";
import { ApiError } from "../core/errors";
import type * as MaintenanceKitModule from "../maintenance-kit";
import type * as PrintKitModule from "../print-kit";
import type * as ScanWordsKitModule from "../scan-words-kit";

export type PrintKit = typeof PrintKitModule;
export type BrowserKit = typeof BrowserKitModule;
export type MaintenanceKit = typeof MaintenanceKitModule;
export type ScanWordsKit = typeof ScanWordsKitModule;
export type AdminKit = typeof AdminKitModule;

// Defined (`true`) by this repository's wrangler.toml `[define]` only, where
// scripts/build-lazy-modules.mjs builds the kits and `find_additional_modules` uploads them.
// Bundlers fold the `typeof` test, so each build carries one of the two imports below.
declare const QB_SEPARATE_KITS: true | undefined;

// The modules' names in the upload, relative to the bundle (index.js). Held in variables so the
// bundler leaves the imports alone (a literal would be inlined).
const PRINT_KIT = "./generated/print-kit.js";
const BROWSER_KIT = "./generated/browser-kit.js";
const MAINTENANCE_KIT = "./generated/maintenance-kit.js";
const SCAN_WORDS_KIT = "./generated/scan-words-kit.js";
const ADMIN_KIT = "./generated/admin-kit.js";

let maintenanceKitModule: Promise<MaintenanceKit> | undefined;
let scanWordsKitModule: Promise<ScanWordsKit> | undefined;

/**
 * The print kit's renderers (imported once per isolate; a failed import is a 503, retried by the
 * next request: {@link kitOrUnavailable}).
 *
 * @example
 * const { renderPosterCardPdf } = await printKit();
 */
export const printKit = retriedKit<PrintKit>("print", () =>
  typeof QB_SEPARATE_KITS === "undefined"
    ? import("../print-kit")
    : import(/* @vite-ignore */ PRINT_KIT),
);

/**
 * The browser kit: the embed's and the dashboard's code, the OpenAPI generator and the API
 * reference page (imported once per isolate; a failed import is a 503, retried by the next
 * request: {@link kitOrUnavailable}).
 *
 * @example
 * const { EMBED_JS } = await browserKit();
 */
export const browserKit = retriedKit<BrowserKit>("browser", () =>
  typeof QB_SEPARATE_KITS === "undefined"
    ? import("../browser-kit")
    : import(/* @vite-ignore */ BROWSER_KIT),
);

/**
 * The maintenance kit: what the cron runs (imported once per isolate, by `scheduled`; the queue
 * consumer's counting and sending import it through store/background.ts).
 *
 * @example
 * const { runScheduled } = await maintenanceKit();
 */
export function maintenanceKit(): Promise<MaintenanceKit> {
  maintenanceKitModule ??=
    typeof QB_SEPARATE_KITS === "undefined"
      ? import("../maintenance-kit")
      : (import(/* @vite-ignore */ MAINTENANCE_KIT) as Promise<MaintenanceKit>);
  return maintenanceKitModule;
}

/**
 * The scan-words kit: the scan pages' catalogs beyond English and Chinese (imported once per
 * isolate, by the first page in one of those languages). A failed import is not kept, so the
 * next page tries again.
 *
 * @example
 * addWords((await scanWordsKit()).SCAN_WORDS);
 */
export function scanWordsKit(): Promise<ScanWordsKit> {
  scanWordsKitModule ??= (
    typeof QB_SEPARATE_KITS === "undefined"
      ? import("../scan-words-kit")
      : (import(/* @vite-ignore */ SCAN_WORDS_KIT) as Promise<ScanWordsKit>)
  ).catch((error: unknown) => {
    scanWordsKitModule = undefined;
    throw error;
  });
  return scanWordsKitModule;
}

/** Seconds a client is told to wait after a kit failed to load (its 503's Retry-After). */
export const KIT_RETRY_AFTER = 5;

/**
 * The admin kit: the storage work of reports, the hop export, stores and campaigns, webhooks,
 * keys, the audit log, the console's sign-in and `Idempotency-Key` (src/admin-kit.ts lists it
 * all; imported once per isolate, by the first of those requests). A failed import is answered as a 503 `unavailable` (with Retry-After) and not kept,
 * so the next request tries again.
 *
 * @example
 * const { listStores } = await adminKit();
 */
export const adminKit = retriedKit<AdminKit>("admin", () =>
  typeof QB_SEPARATE_KITS === "undefined"
    ? import("../admin-kit")
    : import(/* @vite-ignore */ ADMIN_KIT),
);

/**
 * A kit imported once per isolate: the first call's import is kept, unless it fails; then the
 * failure is logged, the import forgotten (so the next call tries again) and the call rejected
 * with a 503 `unavailable` (Retry-After {@link KIT_RETRY_AFTER}) that the app's error handler
 * answers as JSON.
 *
 * @example
 * export const adminKit = retriedKit<AdminKit>("admin", () => import("../admin-kit"));
 */
function retriedKit<T>(name: string, load: () => Promise<T>): () => Promise<T> {
  let kit: Promise<T> | undefined;
  return () => {
    kit ??= load().catch((error: unknown) => {
      kit = undefined;
      console.error(`qrbridge: the ${name} kit could not be loaded`, error);
      throw new ApiError("unavailable", "this part of the service could not be loaded; try again", {
        retry_after: KIT_RETRY_AFTER,
      });
    });
    return kit;
  };
}
