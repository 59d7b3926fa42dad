#!/usr/bin/env node
// Bundles the print kit (src/print-kit.ts: fonts, subsetting, PDF and SVG renderers) into
// src/generated/print-kit.js, which wrangler uploads beside the Worker as an additional module
// (wrangler.toml `find_additional_modules`, `[[rules]]`) and the print routes import on first
// use: the scan path's bundle and start-up never carry it. Runs with the font build.
import { build } from "esbuild";

await build({
  entryPoints: ["src/print-kit.ts"],
  outfile: "src/generated/print-kit.js",
  bundle: true,
  minify: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  mainFields: ["module", "main"],
  legalComments: "none",
  logLevel: "warning",
});
