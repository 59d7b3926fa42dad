// The poster scan path (GET /p/:code, hops logged) ÷ /healthz under wrk, a C load generator that
// leaves more of this 2-core machine to the Worker than autocannon does. Two wrangler dev runs:
// logging on, and logging off (QB_HOPS=off); three interleaved rounds each. Skipped without wrk
// (Debian package `wrk`).
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { workerdCpu } from "./cpu.mjs";
import { fmt, median, mintKey, PHONE_UA, startWorker } from "./lib.mjs";

/** One wrk run: requests per second, requests served, and the CPU the two workerds spent. */
function wrk(w, url, script) {
  const args = ["-t1", "-c16", "-d4s", "-H", `User-Agent: ${PHONE_UA}`];
  if (script) args.push("-s", script);
  const before = workerdCpu(w);
  const out = execFileSync("wrk", [...args, url], { encoding: "utf8" });
  const after = workerdCpu(w);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const requests = Number(/(\d+) requests in/.exec(out)[1]);
  const cpu =
    before && after
      ? { proxy: after.proxy - before.proxy, worker: after.worker - before.worker }
      : null;
  return { rps, requests, cpu };
}

/** CPU ms per request over runs, per process: "dev proxy 0.58 + Worker 0.28 ms". */
function cpuPerRequest(runs) {
  if (runs.some((r) => !r.cpu)) return "n/a (needs /proc)";
  const n = runs.reduce((a, r) => a + r.requests, 0);
  const proxy = runs.reduce((a, r) => a + r.cpu.proxy, 0) / n;
  const worker = runs.reduce((a, r) => a + r.cpu.worker, 0) / n;
  return `dev proxy ${fmt(proxy)} + Worker ${fmt(worker)} = ${fmt(proxy + worker)} ms`;
}

async function measure(name, vars) {
  const w = await startWorker({ vars });
  try {
    const key = await mintKey(w.url, { name: "bench", kind: "secret", scopes: ["posters:write"] });
    const res = await fetch(`${w.url}/v1/posters/batch`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        posters: Array.from({ length: 50 }, (_, i) => ({ name: `p${i}`, path: "/shelf" })),
      }),
    });
    const codes = (await res.json()).posters.map((p) => p.code);
    for (const c of codes) {
      await fetch(`${w.url}/p/${c}`, { headers: { "user-agent": PHONE_UA } }).then((r) =>
        r.arrayBuffer(),
      );
    }
    const script = join(tmpdir(), `qrbridge-codes-${process.pid}.lua`);
    writeFileSync(
      script,
      `local codes = {${codes.map((c) => `"${c}"`).join(",")}}\nlocal i = 0\nrequest = function() i = i + 1; return wrk.format("GET", "/p/" .. codes[(i % #codes) + 1]) end\n`,
    );
    const health = [];
    const scans = [];
    for (let round = 0; round < 3; round++) {
      health.push(wrk(w, `${w.url}/healthz`));
      scans.push(wrk(w, w.url, script));
    }
    const ratios = scans.map((r, i) => r.rps / health[i].rps);
    return [
      `scan (wrk): ${name}: GET /p/:code ÷ /healthz median ${fmt(median(ratios))} (rounds ${ratios.map((r) => fmt(r)).join(", ")}; 16 connections, 4 s, wrangler dev)`,
      `scan (wrk): ${name}: CPU per request — /healthz ${cpuPerRequest(health)}; GET /p/:code ${cpuPerRequest(scans)}`,
    ];
  } finally {
    await w.stop();
  }
}

export async function run() {
  if (spawnSync("wrk", ["--version"]).error) return ["scan (wrk): skipped, wrk is not installed"];
  return [
    ...(await measure("hops logged", {})),
    ...(await measure("logging off (QB_HOPS=off)", { QB_HOPS: "off" })),
    "scan (wrk): the Worker process also runs the local queue broker and consumer, D1 and KV; the dev proxy is wrangler's, in front of every request",
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await run()) console.log(line);
}
