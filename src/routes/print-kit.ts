/**
 * The print kit module, loaded on first use: a separate module of the upload (see
 * src/print-kit.ts), so only print requests pay for its code.
 */
import type * as Kit from "../print-kit";

export type PrintKit = typeof Kit;

let kit: Promise<PrintKit> | undefined;

// The module's name in the upload, relative to the bundle (index.js). Held in a variable so the
// bundler leaves the import alone (a literal would be inlined); the tests map it to the source.
const MODULE = "./generated/print-kit.js";

/**
 * The print kit's renderers (imported once per isolate).
 *
 * @example
 * const { renderPosterCardPdf } = await printKit();
 */
export function printKit(): Promise<PrintKit> {
  kit ??= import(/* @vite-ignore */ MODULE) as Promise<PrintKit>;
  return kit;
}
