// Where the CPU of a poster scan (GET /p/:code) goes, against /healthz: wrk load (bench/wrk.mjs)
// and the CPU per request of wrangler dev's two workerd processes (bench/cpu.mjs). Four wrangler
// dev runs, five interleaved rounds each:
// - logging on, and logging off (QB_HOPS=off);
// - the ceiling: a Worker that serves a scan's captured page and /healthz as constants
//   (bench/static-page.mjs), the page both as text/html and as text/plain;
// - the floor: the real Worker whose scan is the same page as a constant, its two hops logged
//   through the real writer (bench/logged-page-worker.ts); no scan route that logs beats it here.
// Skipped without wrk (Debian package `wrk`). The floor alone:
// node --input-type=module -e 'for (const l of await (await import("./bench/scan-wrk.mjs")).floor()) console.log(l)'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { workerdCpu } from "./cpu.mjs";
import { api, fmt, mintKey, PHONE_UA, startWorker, summarizeRounds } from "./lib.mjs";
import { capture, startStaticWorker } from "./static-page.mjs";
import { hasWrk, runWrk } from "./wrk.mjs";

/** One wrk run (16 connections, 4 s): its results and the CPU the two workerds spent. */
function wrk(w, url, requests) {
  const before = workerdCpu(w);
  const r = runWrk(url, {
    connections: 16,
    duration: 4,
    requests,
    headers: { "user-agent": PHONE_UA },
  });
  const after = workerdCpu(w);
  const cpu =
    before && after
      ? { proxy: after.proxy - before.proxy, worker: after.worker - before.worker }
      : null;
  return { ...r, cpu };
}

/** CPU ms per request over runs, per process: "dev proxy 0.58 + Worker 0.28 ms". */
function cpuPerRequest(runs) {
  if (runs.some((r) => !r.cpu)) return "n/a (needs /proc)";
  const n = runs.reduce((a, r) => a + r.total, 0);
  const proxy = runs.reduce((a, r) => a + r.cpu.proxy, 0) / n;
  const worker = runs.reduce((a, r) => a + r.cpu.worker, 0) / n;
  return `dev proxy ${fmt(proxy)} + Worker ${fmt(worker)} = ${fmt(proxy + worker)} ms`;
}

/** Five interleaved rounds of /healthz and `requests` (three were too few on this noisy machine): the ratio line and the CPU line. */
function compare(name, w, url, requests) {
  const health = [];
  const scans = [];
  // Unmeasured warm-up (see compareWithHealthz in bench/lib.mjs): a fresh workerd is slower.
  runWrk(`${w.url}/healthz`, { connections: 16, duration: 3 });
  runWrk(url, { connections: 16, duration: 3, requests, headers: { "user-agent": PHONE_UA } });
  for (let round = 0; round < 5; round++) {
    health.push(wrk(w, `${w.url}/healthz`));
    scans.push(wrk(w, url, requests));
  }
  const { ratios, medianRatio } = summarizeRounds(health, scans);
  return [
    `scan (wrk): ${name}: ÷ /healthz median ${fmt(medianRatio)} (rounds ${ratios.map((r) => fmt(r)).join(", ")}; 16 connections, 4 s after 3 s of warm-up, wrangler dev)`,
    `scan (wrk): ${name}: CPU per request — /healthz ${cpuPerRequest(health)}; page ${cpuPerRequest(scans)}`,
  ];
}

/**
 * 50 posters on `w`, and a GET of `prefix` + code for each (the requests of a scan round), each
 * fetched once already so that every cache along the path is warm.
 */
async function scanRequests(w, prefix) {
  const key = await mintKey(w.url, { name: "bench", kind: "secret", scopes: ["posters:write"] });
  const { posters } = await api(w.url, key, "POST", "/v1/posters/batch", {
    posters: Array.from({ length: 50 }, (_, i) => ({ name: `p${i}`, path: "/shelf" })),
  });
  const requests = posters.map((p) => ({ method: "GET", path: `${prefix}${p.code}` }));
  for (const r of requests) {
    const res = await fetch(w.url + r.path, { headers: { "user-agent": PHONE_UA } });
    await res.arrayBuffer();
  }
  return requests;
}

/** The real Worker with `vars`: its lines, and one scan's page and /healthz as captured. */
async function measure(name, vars) {
  const w = await startWorker({ vars });
  try {
    const requests = await scanRequests(w, "/p/");
    const lines = compare(`GET /p/:code, ${name}`, w, w.url, requests);
    const page = await capture(w.url + requests[0].path, { "user-agent": PHONE_UA });
    const healthz = await capture(`${w.url}/healthz`);
    return { lines, routes: { "/page": page, "/healthz": healthz } };
  } finally {
    await w.stop();
  }
}

/**
 * The ceiling: the captured page and /healthz served as constants (bench/static-page.mjs), and
 * the same bytes and headers as text/plain. wrangler's dev proxy runs only text/html through
 * HTMLRewriter, so the gap between the two is what the dev proxy costs any HTML page, whatever
 * the Worker does; in production there is no such proxy.
 */
async function ceiling(routes) {
  const page = routes["/page"];
  const plain = {
    ...page,
    headers: { ...page.headers, "content-type": "text/plain; charset=utf-8" },
  };
  const w = await startStaticWorker({ ...routes, "/page-plain": plain });
  try {
    const size = (page.body.length / 1024).toFixed(1);
    return [
      ...compare(
        `ceiling, the same page (${size} KB, same headers) served as a constant`,
        w,
        `${w.url}/page`,
        undefined,
      ),
      ...compare(
        "ceiling, the same bytes and headers as text/plain (no HTMLRewriter in the dev proxy)",
        w,
        `${w.url}/page-plain`,
        undefined,
      ),
    ];
  } finally {
    await w.stop();
  }
}

/**
 * wrangler.toml with bench/logged-page-worker.ts as `main`, in a temporary directory: every
 * binding of the real Worker, with its relative paths made absolute.
 */
function floorConfig() {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8")
    .replace(/^name = ".*"$/m, 'name = "qrbridge-floor"')
    .replace(/^main = ".*"$/m, `main = "${join(root, "bench/logged-page-worker.ts")}"`)
    .replace(/^migrations_dir = "(.*)"$/m, (_, dir) => `migrations_dir = "${join(root, dir)}"`)
    .replace(/= "\.\/(.*)"$/gm, (_, path) => `= "${join(root, path)}"`);
  const dir = mkdtempSync(join(tmpdir(), "qrbridge-floor-"));
  writeFileSync(join(dir, "wrangler.toml"), toml);
  return { config: join(dir, "wrangler.toml"), remove: () => rmSync(dir, { recursive: true }) };
}

/**
 * The floor: the real Worker, where `GET /page/:code` is that poster's landing page served as
 * a constant and its two hops recorded through the real writer (bench/logged-page-worker.ts).
 * No scan route that logs its hops can do better than this in this environment.
 */
export async function floor() {
  const { config, remove } = floorConfig();
  const w = await startWorker({ config });
  try {
    const requests = await scanRequests(w, "/page/");
    const lines = compare(
      "floor, the same page as a constant, its two hops logged",
      w,
      w.url,
      requests,
    );
    await new Promise((r) => setTimeout(r, 3000)); // the consumer's last batches
    const [row] = w.d1("SELECT count(*) AS n FROM hops WHERE hop = 'landing'");
    return [
      ...lines,
      `scan (wrk): floor: ${row?.n ?? 0} landing hops in D1 afterwards (the floor really logs)`,
    ];
  } finally {
    await w.stop();
    remove();
  }
}

export async function run() {
  if (!hasWrk()) return ["scan (wrk): skipped, wrk is not installed"];
  const on = await measure("hops logged", {});
  const off = await measure("logging off (QB_HOPS=off)", { QB_HOPS: "off" });
  return [
    ...on.lines,
    ...off.lines,
    ...(await ceiling(on.routes)),
    ...(await floor()),
    "scan (wrk): the Worker process also runs the local queue broker and consumer, D1 and KV; the dev proxy is wrangler's, in front of every request and runs text/html through HTMLRewriter",
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await run()) console.log(line);
}
