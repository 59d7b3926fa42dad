/**
 * `npm run bench -- instructions` (alias `cpu`): CPU per request as instructions, counted by
 * valgrind's callgrind around workerd: deterministic where wall-clock time on a shared machine
 * is not. Miniflare starts workerd through MINIFLARE_WORKERD_PATH, here a script that execs the
 * real binary under callgrind (--smc-check=all-non-file: V8 writes the code it runs). The bench
 * Worker (bench/budget-worker.ts) runs unmetered, without queue consumers (their batches would
 * land in random windows); each response waits for the request's waitUntil work.
 *
 * Per path and round: prepare the state, send INSTR_WARMUP requests, `callgrind_control
 * --zero`, send INSTR_N requests one at a time, `callgrind_control --dump`, and divide the
 * instructions (Ir) of workerd's main thread, where it runs JavaScript, by N. V8's background
 * threads (concurrent GC and compilation) are left out: what they do within a window depends on
 * timing (they added 0.01–0.8 M per request, at random). A first pass only warms every path (V8 tiers
 * code up as it runs); then INSTR_ROUNDS rounds. Printed: the median, the rounds' range, and
 * ratios to `/healthz` and to an empty route of the bench Worker (`/__bench/empty`: what any
 * request costs here before the product runs). The main thread also runs Miniflare's entry
 * worker and the local KV, D1 and queue simulators: a path that touches storage counts their
 * work too.
 *
 * A round's figure includes whatever V8 did on the main thread meanwhile: a garbage collection
 * (a scavenge was 13 % of one 50-request window of /healthz) or a function tiered up to Maglev
 * lands in some windows and not others, which is why the median of several rounds is printed,
 * with their range.
 *
 * Run: `npm run bench -- instructions` (env INSTR_N 40, INSTR_ROUNDS 5, INSTR_WARMUP 10;
 * INSTR_PATHS, a regular expression, measures only the paths whose names it matches, e.g.
 * `INSTR_PATHS='hot \(in'`; the empty route and /healthz are always measured, for the ratios).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PATHS } from "./budget-paths.mjs";
import { seed } from "./budget-seed.mjs";
import { median } from "./lib.mjs";
import { startBenchWorker } from "./miniflare-bench.mjs";

const EMPTY = {
  name: "empty route (bench Worker only)",
  prepare: async (_s, n) => Array(n).fill(0),
  request: () => ["/__bench/empty"],
  status: 200,
};

/** The workerd binary Miniflare (wrangler's copy) would run. */
async function workerdBinary() {
  const fromWrangler = createRequire(createRequire(import.meta.url).resolve("wrangler"));
  const fromMiniflare = createRequire(fromWrangler.resolve("miniflare"));
  const mod = await import(pathToFileURL(fromMiniflare.resolve("workerd")).href);
  return mod.default?.default ?? mod.default; // CommonJS: its exports object is the default
}

/** A script that runs workerd under callgrind, writing its profiles into `dir`. */
async function callgrindLauncher(dir) {
  const script = join(dir, "workerd-callgrind.sh");
  const args = [
    "--tool=callgrind",
    "--smc-check=all-non-file",
    "--separate-threads=yes",
    `--callgrind-out-file=${dir}/cg.%p.out`,
    "--dump-instr=no",
    `--log-file=${dir}/valgrind.%p.log`,
  ];
  writeFileSync(
    script,
    `#!/bin/sh\nexec valgrind ${args.join(" ")} "${await workerdBinary()}" "$@"\n`,
  );
  chmodSync(script, 0o755);
  return script;
}

/** Zero the counters of the workerd under callgrind, and later read what it executed since. */
function profiler(dir) {
  const pid = readdirSync(dir)
    .find((f) => /^cg\.\d+\.out/.test(f))
    ?.split(".")[1];
  if (!pid) throw new Error("no callgrind profile: did workerd start under valgrind?");
  const ctl = (arg) => execFileSync("callgrind_control", [arg, pid], { stdio: "pipe" });
  let dumps = 0;
  return {
    zero: () => ctl("--zero"),
    /** Instructions the main thread executed since the last zero. */
    dump() {
      ctl(`--dump=bench${++dumps}`);
      const text = readFileSync(join(dir, `cg.${pid}.out.${dumps}-01`), "utf8");
      const m = /^(?:totals|summary):\s*(\d+)/m.exec(text);
      if (!m) throw new Error("callgrind dump without totals");
      return Number(m[1]);
    },
  };
}

async function send(w, path, input) {
  const [url, init] = path.request(input);
  const res = await w.send(url, init);
  if (res.status !== path.status)
    throw new Error(`${path.name}: ${res.status} ${res.text.slice(0, 200)}`);
  if (path.body && !path.body.test(res.text))
    throw new Error(`${path.name}: the answer is not ${path.body}: ${res.text.slice(0, 200)}`);
}

/** Instructions per request of `n` requests of `path`, after `warmup` unmeasured ones. */
async function measure(w, s, prof, path, n, warmup) {
  const inputs = await path.prepare(s, n + warmup, w);
  for (const input of inputs.slice(0, warmup)) await send(w, path, input);
  prof.zero();
  for (const input of inputs.slice(warmup)) await send(w, path, input);
  return prof.dump() / n;
}

/** Whether INSTR_PATHS (a regular expression; unset: every path) asks for the path `name`. */
function wanted(name) {
  return !process.env.INSTR_PATHS || new RegExp(process.env.INSTR_PATHS).test(name);
}

export async function run({
  n = Number(process.env.INSTR_N) || 40,
  rounds = Number(process.env.INSTR_ROUNDS) || 5,
  warmup = Number(process.env.INSTR_WARMUP) || 10,
} = {}) {
  if (spawnSync("valgrind", ["--version"]).status !== 0)
    return ["instructions: valgrind is not installed (apt-get install -y valgrind); skipped"];
  const dir = mkdtempSync(join(tmpdir(), "qrbridge-callgrind-"));
  let w;
  try {
    const workerdPath = await callgrindLauncher(dir);
    w = await startBenchWorker({ meter: false, consumers: false, workerdPath });
    const prof = profiler(dir);
    const s = await seed(w);
    // A path measured for its consumer's work (a webhook delivery) is, here, its request only:
    // the same request as another path's, and no consumer runs.
    const paths = [EMPTY, ...PATHS].filter((p, i) => i < 2 || (!p.downstream && wanted(p.name)));
    const per = new Map(paths.map((p) => [p, []]));
    // Round 0 only warms every path (V8 compiles and tiers up code as it runs).
    for (const path of paths) await measure(w, s, prof, path, 1, warmup);
    for (let round = 1; round <= rounds; round++) {
      for (const path of paths) per.get(path).push(await measure(w, s, prof, path, n, warmup));
    }
    const mid = (p) => median(per.get(p));
    const [empty, healthz] = [mid(EMPTY), mid(PATHS[0])];
    const lines = [
      `Instructions per request (callgrind, workerd's main thread; median of ${rounds} rounds × ${n} requests after ${warmup} warm-up; range = the rounds' lowest and highest):`,
      "",
      "| path | instructions | range | × /healthz | × empty route |",
      "| --- | --- | --- | --- | --- |",
    ];
    for (const path of paths) {
      const xs = per.get(path);
      const m = (x) => (x / 1e6).toFixed(2);
      lines.push(
        `| ${path.name} | ${m(mid(path))} M | ${m(Math.min(...xs))}–${m(Math.max(...xs))} M | ${(mid(path) / healthz).toFixed(2)} | ${(mid(path) / empty).toFixed(2)} |`,
      );
    }
    return lines;
  } catch (err) {
    // What valgrind said of workerd, if it ended it.
    const logs = readdirSync(dir).filter((f) => f.endsWith(".log"));
    const tail = logs.map((f) =>
      readFileSync(join(dir, f), "utf8").split("\n").slice(-30).join("\n"),
    );
    throw new Error(`${err.stack ?? err}\n--- valgrind log ---\n${tail.join("\n")}`);
  } finally {
    await w?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await run()) console.log(line);
}
