/**
 * The Worker's additional modules, each imported on first use: the print kit (src/print-kit.ts)
 * and the browser kit (src/browser-kit.ts). Each is a module of the upload of its own, so only
 * the requests that need one pay for its code.
 */
import type * as BrowserKitModule from "../browser-kit";
import type * as PrintKitModule from "../print-kit";

export type PrintKit = typeof PrintKitModule;
export type BrowserKit = typeof BrowserKitModule;

// The modules' names in the upload, relative to the bundle (index.js). Held in variables so the
// bundler leaves the imports alone (a literal would be inlined); the tests map them to the
// sources (vitest.config.ts).
const PRINT_KIT = "./generated/print-kit.js";
const BROWSER_KIT = "./generated/browser-kit.js";

let printKitModule: Promise<PrintKit> | undefined;
let browserKitModule: Promise<BrowserKit> | undefined;

/**
 * The print kit's renderers (imported once per isolate).
 *
 * @example
 * const { renderPosterCardPdf } = await printKit();
 */
export function printKit(): Promise<PrintKit> {
  printKitModule ??= import(/* @vite-ignore */ PRINT_KIT) as Promise<PrintKit>;
  return printKitModule;
}

/**
 * The browser kit: the embed's and the dashboard's code, the API reference page (imported once
 * per isolate).
 *
 * @example
 * const { EMBED_JS } = await browserKit();
 */
export function browserKit(): Promise<BrowserKit> {
  browserKitModule ??= import(/* @vite-ignore */ BROWSER_KIT) as Promise<BrowserKit>;
  return browserKitModule;
}
