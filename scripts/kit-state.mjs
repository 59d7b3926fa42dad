// The kits' build options (scripts/build-lazy-modules.mjs) and the check that no kit carries a
// copy of the main bundle's isolate state (test/unit/kit-state.test.ts).
import { dirname } from "node:path";
import { build } from "esbuild";

/**
 * What the main bundle keeps for an isolate, by module: variables a kit must not carry a copy
 * of. A kit is a bundle of its own, so its copy would be one that no request reads: a key it
 * revoked would stay in the main bundle's cache, a store it renamed would keep its posters' old
 * name there, hops it recorded would never leave. (A variable no code of the kit reads is left
 * out of it when its initialiser is marked pure.)
 */
export const ISOLATE_STATE = {
  "src/store/poster-cache.ts": ["memory"],
  "src/store/keys.ts": ["lookups", "lookupGeneration"],
  "src/store/hops.ts": ["pendingByRequest"],
  "src/store/client-limits.ts": ["keyGuessers"],
};

/**
 * The kits' imports that esbuild cannot bundle as they are: HarfBuzz's compiled module
 * (harfbuzz.wasm, which the print kit's Devanagari shaping imports), left an import of the file
 * beside the kit (scripts/build-lazy-modules.mjs copies it there; wrangler uploads it as a
 * compiled wasm module), and Node's `module`, which HarfBuzz's Emscripten glue imports on its
 * Node branch only (never taken in workerd), a stub.
 */
export const kitImports = {
  name: "kit-imports",
  setup(b) {
    b.onResolve({ filter: /\/harfbuzz\.wasm$/ }, () => ({
      path: "./harfbuzz.wasm",
      external: true,
    }));
    nodeModuleStub.setup(b);
  },
};

/** Node's `module` as a stub (HarfBuzz's glue imports it on its Node branch only). */
export const nodeModuleStub = {
  name: "node-module-stub",
  setup(b) {
    b.onResolve({ filter: /^module$/ }, () => ({ path: "module", namespace: "node-stub" }));
    b.onLoad({ filter: /.*/, namespace: "node-stub" }, () => ({
      contents: 'export function createRequire() { throw new Error("no Node here"); }',
      loader: "js",
    }));
  },
};

/** esbuild's options for a kit's entry (minify added by the build). */
export function kitBuildOptions(entry) {
  return {
    plugins: [kitImports],
    entryPoints: [entry],
    write: false,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    // As wrangler resolves packages for the Worker (nanoid, for one, has a Node build and a
    // browser build).
    conditions: ["workerd", "worker", "browser"],
    legalComments: "none",
    logLevel: "warning",
  };
}

/**
 * The isolate state a kit's entry would carry, as "name of module" strings: its bundle
 * unminified (each module's part headed by its path, names kept but for a numbered suffix),
 * searched for the declarations ISOLATE_STATE names. With `contents`, the entry is that text,
 * read as if it were the file `entry`.
 */
export async function isolateStateIn(entry, contents) {
  const options = kitBuildOptions(entry);
  if (contents !== undefined) {
    delete options.entryPoints;
    options.stdin = { contents, sourcefile: entry, resolveDir: dirname(entry), loader: "ts" };
  }
  const text = (await build(options)).outputFiles[0].text;
  const found = [];
  for (const part of text.split(/^\/\/ (?=src\/)/m)) {
    const path = part.slice(0, part.indexOf("\n"));
    for (const variable of ISOLATE_STATE[path] ?? [])
      if (new RegExp(`^(var|let|const) ${variable}\\d* =`, "m").test(part))
        found.push(`${variable} of ${path}`);
  }
  return found;
}
