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

/**
 * {@link fsFetcher} that also records the path of each file fetched in `fetched`: which faces
 * and blocks printing a text loads.
 *
 * @example
 * const fetched: string[] = [];
 * await loadPrintFonts(countingFetcher(fetched), needs); // fetched: ["/print-fonts/1/ar-400/face.json", …]
 */
export function countingFetcher(fetched: string[]): Fetcher {
  const files = fsFetcher();
  return {
    ...files,
    fetch: (input: RequestInfo | URL) => {
      fetched.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return files.fetch(input as RequestInfo);
    },
  } as unknown as Fetcher;
}
