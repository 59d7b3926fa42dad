#!/usr/bin/env node
// Bundles the Worker's additional modules, each imported on first use by the routes (or the
// cron) that need it (src/routes/lazy-modules.ts), so the scan path's bundle and start-up never
// carry them:
//   src/print-kit.ts   → src/generated/print-kit.js   (fonts, subsetting, PDF and SVG writers)
//   src/browser-kit.ts → src/generated/browser-kit.js (the embed's and the dashboard's code,
//                                                      the OpenAPI generator, the API reference
//                                                      page)
//   src/maintenance-kit.ts → src/generated/maintenance-kit.js (what the cron runs, and the queue
//                                                              consumer's hop counting and
//                                                              webhook sending)
//   src/scan-words-kit.ts → src/generated/scan-words-kit.js (the scan pages' words beyond
//                                                            English and Chinese)
//   src/admin-kit.ts → src/generated/admin-kit.js (reports, the hop export, stores and
//                                                  campaigns, webhooks, the audit log, the
//                                                  console's sign-in: their storage work)
//   node_modules/harfbuzzjs/dist/harfbuzz.wasm → src/generated/harfbuzz.wasm (HarfBuzz, which
//                                                  the print kit imports to shape Devanagari)
// wrangler uploads them beside the bundle (wrangler.toml `find_additional_modules`, `[[rules]]`).
// Runs after scripts/build-client.mjs (the browser kit carries its output).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { build } from "esbuild";
import { isolateStateIn, kitBuildOptions } from "./kit-state.mjs";

/** Write `outfile` only when it changed (see below). */
function writeChanged(outfile, data) {
  let previous = null;
  try {
    previous = readFileSync(outfile);
  } catch {}
  if (previous === null || !previous.equals(Buffer.from(data))) {
    mkdirSync("src/generated", { recursive: true });
    writeFileSync(outfile, data);
  }
}

// The print kit's HarfBuzz, beside it (its import is left to this file: scripts/kit-state.mjs).
writeChanged(
  "src/generated/harfbuzz.wasm",
  readFileSync(createRequire(import.meta.url).resolve("harfbuzzjs/dist/harfbuzz.wasm")),
);

for (const name of ["print-kit", "browser-kit", "maintenance-kit", "scan-words-kit", "admin-kit"]) {
  const outfile = `src/generated/${name}.js`;
  const state = await isolateStateIn(`src/${name}.ts`);
  if (state.length > 0) {
    console.error(`src/${name}.ts would carry a copy of the main bundle's ${state.join(", ")}`);
    process.exit(1);
  }
  const out = await build({ ...kitBuildOptions(`src/${name}.ts`), outfile, minify: true });
  // Rewritten only when it changed: a running `wrangler dev` of this checkout (the browser tests,
  // the print check) reloads its Worker whenever an additional module is written, even unchanged,
  // which drops that run's open requests, sockets and Durable Objects mid-test; and `npm test`,
  // check:print and test:browser all run this script first.
  writeChanged(outfile, out.outputFiles[0].text);
}
