#!/usr/bin/env node
// `npm run bench`: every benchmark, each in a real Worker (wrangler dev or Miniflare). `budget`
// counts billable operations and prices them; `instructions` (alias `cpu`) counts CPU
// instructions under callgrind; `store` prices a day of hops through the hop store; `soak` runs
// minutes of mixed traffic through `wrangler dev` and checks every count against its ledger
// (fails on any mismatch); the others time throughput. `npm run bench -- budget cpu` runs only
// the named ones.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const ALL = [
  "budget",
  "instructions",
  "qr",
  "handoff",
  "login",
  "posters",
  "print",
  "store",
  "clients",
  "soak",
];
// `cpu` is another name for the instruction counts.
const ALIASES = { cpu: "instructions" };
const wanted = (process.argv.slice(2).length ? process.argv.slice(2) : ALL).map(
  (name) => ALIASES[name] ?? name,
);
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
