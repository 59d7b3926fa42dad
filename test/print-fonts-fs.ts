/**
 * The glyph packs (build/assets, built by scripts/build-fonts.mjs before the tests) served as
 * the PRINT_FONTS assets binding would serve them, for Node unit tests and benches.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../build/assets", import.meta.url));

/**
 * A Fetcher over build/assets: 200 with the file, 404 when there is none.
 *
 * @example
 * const store = await loadPrintFonts(fsFetcher(), needs);
 */
export function fsFetcher(): Fetcher {
  return {
    fetch: async (input: RequestInfo | URL) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      try {
        return new Response(await readFile(ROOT + decodeURIComponent(url.pathname)));
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
    connect: () => {
      throw new Error("no sockets");
    },
  } as unknown as Fetcher;
}
