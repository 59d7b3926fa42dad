/**
 * `node bench/startup-wasm.mjs [dist]`: what HarfBuzz's wasm module (the print kit's Devanagari
 * shaping, uploaded beside the Worker) costs an isolate's start-up. workerd compiles every wasm
 * module of an upload when it loads the Worker, imported or not, so the figure is the Worker's
 * start and one `/healthz` (which imports no kit) with and without `generated/harfbuzz.wasm`
 * among its modules: the instructions (callgrind) workerd ran from its start to the answer, on
 * its main thread (where JavaScript and the module compilation run) and on all threads, of
 * each, `INSTR_ROUNDS` (default 2) times. `dist` is a `wrangler deploy --dry-run --outdir`
 * (default /tmp/dv-dist).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const dist = process.argv[2] ?? "/tmp/dv-dist";
const rounds = Number(process.env.INSTR_ROUNDS ?? 2);
const fromWrangler = createRequire(createRequire(import.meta.url).resolve("wrangler"));
const fromMiniflare = createRequire(fromWrangler.resolve("miniflare"));
const { Miniflare } = await import(pathToFileURL(fromWrangler.resolve("miniflare")).href);
const workerdMod = await import(pathToFileURL(fromMiniflare.resolve("workerd")).href);
const workerd = workerdMod.default?.default ?? workerdMod.default;

const modules = (withWasm) => [
  { type: "ESModule", path: join(dist, "index.js") },
  ...readdirSync(join(dist, "generated"))
    .filter((f) => withWasm || !f.endsWith(".wasm"))
    .map((f) => ({
      type: f.endsWith(".wasm") ? "CompiledWasm" : "ESModule",
      path: join(dist, "generated", f),
    })),
];

async function run(withWasm) {
  const dir = mkdtempSync(join(tmpdir(), "qb-startup-"));
  const script = join(dir, "workerd.sh");
  writeFileSync(
    script,
    `#!/bin/sh\nexec valgrind --tool=callgrind --smc-check=all-non-file --separate-threads=yes --callgrind-out-file=${dir}/cg.%p.out --dump-instr=no --log-file=${dir}/vg.%p.log "${workerd}" "$@"\n`,
  );
  chmodSync(script, 0o755);
  process.env.MINIFLARE_WORKERD_PATH = script;
  const mf = new Miniflare({
    modules: modules(withWasm),
    modulesRoot: dist,
    compatibilityDate: "2026-04-01",
    bindings: {
      QB_ENV: "development",
      QB_ADMIN_KEY: "startup-bench-admin-key-0123456789",
      QB_SIGNING_KEYS: "k1:startup-bench-signing-secret-0123456789abcdef",
    },
  });
  const res = await mf.dispatchFetch("http://localhost/healthz");
  const status = res.status;
  await res.arrayBuffer();
  // Everything workerd ran since it started, dumped while it still runs.
  const pid = readdirSync(dir)
    .find((f) => /^cg\.\d+\.out$/.test(f))
    .split(".")[1];
  execFileSync("callgrind_control", ["--dump=startup", pid], { stdio: "pipe" });
  await mf.dispose();
  // One file per thread: the main thread's (-01), where JavaScript runs, and all of them.
  const count = (f) =>
    Number(readFileSync(join(dir, f), "utf8").match(/^(?:totals|summary):\s*(\d+)/m)[1]);
  const dumps = readdirSync(dir).filter((f) => f.startsWith(`cg.${pid}.out.`));
  const main = count(dumps.find((f) => f.endsWith("-01")));
  return { status, main, all: dumps.reduce((n, f) => n + count(f), 0) };
}

const results = { with: [], without: [] };
for (let r = 0; r < rounds; r++) {
  results.without.push(await run(false));
  results.with.push(await run(true));
}
console.log(JSON.stringify(results));
