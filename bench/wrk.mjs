// wrk (Debian package `wrk`) as the load generator when it is installed. On this 2-core machine
// the client shares the cores with wrangler dev, and what it spends per response is taken from
// the Worker: autocannon (Node) spent 0.32–0.40 ms of CPU per /healthz answer and 0.46–0.60 ms
// per landing page (it parses every 7 KB body in JavaScript), so it charged the scan route ~0.15
// ms per request that the Worker never spent. wrk, in C, spends a fraction of that. Every bench
// line names the client and its CPU per request; QB_BENCH_LOAD=autocannon forces the old one.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let installed = null;

/** Whether wrk is installed. */
export function hasWrk() {
  installed ??= !spawnSync("wrk", ["--version"]).error;
  return installed;
}

/** Whether load() drives load with wrk: installed, and not switched off (QB_BENCH_LOAD=autocannon). */
export function useWrk() {
  return process.env.QB_BENCH_LOAD !== "autocannon" && hasWrk();
}

const lua = (s) =>
  `"${String(s).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/** A Lua script that sends `requests` in rotation, each with the shared and its own headers. */
function rotationScript(requests, method, headers) {
  const formatted = requests.map((r) => {
    const all = { ...headers, ...(r.headers ?? {}) };
    const table = Object.entries(all)
      .map(([k, v]) => `[${lua(k)}] = ${lua(v)}`)
      .join(", ");
    return `wrk.format(${lua(r.method ?? method)}, ${lua(r.path)}, { ${table} })`;
  });
  const file = join(mkdtempSync(join(tmpdir(), "qrbridge-wrk-")), "rotate.lua");
  writeFileSync(
    file,
    // Formatted on the first request: wrk sets its Host header only once the thread starts.
    `local reqs = nil\nlocal i = 0\nrequest = function()\n  if reqs == nil then reqs = {\n${formatted.join(",\n")}\n  } end\n  i = i + 1\n  return reqs[(i % #reqs) + 1]\nend\n`,
  );
  return file;
}

const MS = { us: 0.001, ms: 1, s: 1000 };
function latency(out, pct) {
  const m = new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(out);
  return m ? Number(m[1]) * MS[m[2]] : Number.NaN;
}

/**
 * One wrk run (1 thread): requests per second, p50/p99 latency (ms), requests answered, non-2xx
 * answers, socket errors, and the CPU wrk itself spent per request (ms).
 * @returns {{ rps: number, p50: number, p99: number, total: number, non2xx: number, errors: number, clientMs: number, tool: "wrk" }}
 */
export function runWrk(
  url,
  { connections = 16, duration = 5, requests, method = "GET", headers = {} } = {},
) {
  const args = ["-t1", `-c${connections}`, `-d${duration}s`, "--latency"];
  if (requests?.length) args.push("-s", rotationScript(requests, method, headers));
  else for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  args.push(url);
  // The shell reports the CPU its waited-for child (wrk) used: cutime + cstime, in 1/100 s.
  const r = spawnSync("sh", ["-c", 'wrk "$@"; s=$?; cat /proc/$$/stat; exit $s', "sh", ...args], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr || r.stdout}`);
  const out = r.stdout;
  const stat = out.trim().split("\n").pop();
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const total = Number(/(\d+) requests in/.exec(out)[1]);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]),
    p50: latency(out, 50),
    p99: latency(out, 99),
    total,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    errors: errors ? errors.slice(1).reduce((a, n) => a + Number(n), 0) : 0,
    clientMs: ((Number(f[13]) + Number(f[14])) * 10) / Math.max(1, total),
    tool: "wrk",
  };
}
