#!/usr/bin/env node
// `npm run bench`: every benchmark, each run in a real Worker (wrangler dev or Miniflare).
// `npm run bench -- qr posters` runs only the named ones.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const ALL = ["qr", "handoff", "posters", "print", "clients"];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
const dir = fileURLToPath(new URL(".", import.meta.url));
let failed = 0;

for (const name of wanted) {
  const file = `${dir}${name}.mjs`;
  if (!existsSync(file)) {
    console.log(`${name}: (no bench/${name}.mjs)`);
    continue;
  }
  const mod = await import(pathToFileURL(file).href);
  const fn = mod.run ?? mod.runQrBench;
  const t0 = Date.now();
  try {
    const lines = await fn({ log: () => {} });
    for (const line of lines) console.log(line);
    console.log(`  (${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  } catch (err) {
    failed++;
    console.error(`${name}: FAILED — ${err?.stack ?? err}`);
  }
}
process.exitCode = failed ? 1 : 0;
