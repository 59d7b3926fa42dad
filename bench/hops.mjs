// Hop logging benchmarks through the real Worker (wrangler dev, fresh local state each):
//
// (a) cost of logging: GET /p/<code> (a poster scan: verify, KV, sign a session, log two hops
//     `scanned` + `landing` into the HOPS queue inside waitUntil) vs GET /healthz. Logging cannot
//     be switched per request, so two wrangler devs run side by side — one as deployed, one with
//     QB_HOPS=off — and their phases are interleaved (on: healthz, scan; off: healthz, scan; five times, after a warm-up)
//     so that load from elsewhere on the machine hits both alike. Each scan rate is a ratio to its
//     own worker's /healthz; on ÷ off compares the two ratios.
// (b) ingest rate: exactly 2,500 scans (5,000 hops) fired by 32 connections; time from the first
//     request to every row being counted (polled through /v1/stats/funnel, whose rollups are
//     written in the same transaction as the rows) → hops per second through the queue.
// (c) zero lost: once the queue has drained, the `scanned` rows in D1 (and in the rollups) must
//     equal every scan answered 2xx. The exact-count run (b) is what is compared: a timed load
//     stops with requests in flight that the server still answers and logs.
//
// Run: `node bench/hops.mjs` (env HOPS_BENCH_SECONDS overrides the 3 s load phases).
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import {
  api,
  fmt,
  load,
  mintKey,
  PHONE_UA,
  ratioWithRange,
  startWorker,
  summarizeRounds,
} from "./lib.mjs";

const CODES = 20;
const INGEST_SCANS = 2500;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A worker with posters to scan; each code scanned once (KV warm). */
async function prepare(vars) {
  const w = await startWorker({ vars });
  const key = await mintKey(w.url, {
    name: "bench",
    kind: "secret",
    scopes: ["posters:write", "stats:read"],
  });
  const store = await api(w.url, key, "POST", "/v1/stores", { name: "Bench store" });
  const { posters } = await api(w.url, key, "POST", "/v1/posters/batch", {
    posters: Array.from({ length: CODES }, (_, i) => ({
      name: `Bench ${i}`,
      path: "/menu",
      store_id: store.id,
    })),
  });
  const requests = posters.map((p) => ({
    method: "GET",
    path: `/p/${p.code}`,
    headers: { "user-agent": PHONE_UA },
  }));
  for (const r of requests)
    await fetch(w.url + r.path, { headers: r.headers }).then((x) => x.arrayBuffer());
  return { w, key, requests, warm: requests.length };
}

const ROUNDS = 5;
const WARMUP_SECONDS = 3;

/**
 * /healthz and the scan path of each worker, interleaved across workers, ROUNDS times, after an
 * unmeasured warm-up of each (see compareWithHealthz in bench/lib.mjs for why).
 */
async function compare(workers, seconds) {
  const opts = { connections: 16, duration: seconds };
  const runs = workers.map(() => ({ health: [], scan: [], warm: [] }));
  for (const [i, { w, requests }] of workers.entries()) {
    await load(`${w.url}/healthz`, { ...opts, duration: WARMUP_SECONDS });
    runs[i].warm.push(await load(w.url, { ...opts, duration: WARMUP_SECONDS, requests }));
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, { w, requests }] of workers.entries()) {
      runs[i].health.push(await load(`${w.url}/healthz`, opts));
      runs[i].scan.push(await load(w.url, { ...opts, requests }));
    }
  }
  return runs.map((r) => ({
    ...summarizeRounds(r.health, r.scan),
    served: [...r.warm, ...r.scan].reduce((a, x) => a + x.total - x.non2xx - x.errors, 0),
  }));
}

/** Funnel totals over today ± 1 day, from the rollups. */
async function counted(w, key) {
  const day = (d) => new Date(Date.now() + d * 864e5).toISOString().slice(0, 10);
  const f = await api(
    w.url,
    key,
    "GET",
    `/v1/stats/funnel?from=${day(-1)}&to=${day(1)}&group_by=source`,
  );
  return f.totals.scanned + f.totals.landing;
}

/** Wait until the count stops moving at or above `expected` (or a minute passes). */
async function drain(w, key, expected) {
  let last = -1;
  for (let i = 0; i < 240; i++) {
    const n = await counted(w, key);
    if (n >= expected && n === last) return n;
    last = n;
    await sleep(250);
  }
  return last;
}

async function ingestRate(w, key, requests) {
  const before = await counted(w, key);
  const [{ n: scannedBefore }] = w.d1("SELECT COUNT(*) AS n FROM hops WHERE hop = 'scanned'");
  const t0 = performance.now();
  const r = await autocannon({ url: w.url, connections: 32, amount: INGEST_SCANS, requests });
  const answered = performance.now();
  const ok = r.requests.total - r.non2xx - r.errors;
  const target = before + 2 * ok;
  let done = null;
  for (let i = 0; i < 600 && done === null; i++) {
    if ((await counted(w, key)) >= target) done = performance.now();
    else await sleep(100);
  }
  const lines = [];
  if (done === null) {
    lines.push(
      `hops ingest: ✗ only ${(await counted(w, key)) - before} of ${2 * ok} hops arrived within 60 s`,
    );
  } else {
    const secs = (done - t0) / 1000;
    lines.push(
      `hops ingest: ${2 * ok} hops (${ok} scans × scanned + landing) from the first request to all rows counted in ${fmt(secs)} s → ${Math.round((2 * ok) / secs)} hops/s through the queue (requests answered after ${fmt((answered - t0) / 1000)} s, queue drained ${fmt((done - answered) / 1000)} s after the last response; local queue, batches ≤ 100, max_batch_timeout 1 s)`,
    );
  }
  await drain(w, key, target);
  const [{ n: scanned }] = w.d1("SELECT COUNT(*) AS n FROM hops WHERE hop = 'scanned'");
  const [{ n: rolled }] = w.d1(
    "SELECT IFNULL(SUM(count), 0) AS n FROM hop_daily WHERE hop = 'scanned'",
  );
  const lost = ok - (scanned - scannedBefore);
  if (lost !== 0 || rolled !== scanned) process.exitCode = 1;
  lines.push(
    `hops zero lost: ${lost === 0 ? "✓" : `✗ LOST ${lost}`} ${scanned - scannedBefore} new scanned rows for ${ok} scans answered 2xx (of ${INGEST_SCANS}); rollups count ${rolled} scanned for ${scanned} rows`,
  );
  return lines;
}

/** Run the hop benchmarks; returns the printed lines. */
export async function run() {
  const seconds = Number(process.env.HOPS_BENCH_SECONDS ?? 3);
  // Started one after the other: two wrangler devs starting at once can race for ports.
  const a = await prepare({});
  let b;
  try {
    b = await prepare({ QB_HOPS: "off" });
    const [on, off] = await compare([a, b], seconds);
    const [{ n: loggedOff }] = b.w.d1("SELECT COUNT(*) AS n FROM hops");
    const lines = [
      `hops logging on: scan GET /p/:code ÷ /healthz throughput ${ratioWithRange(on)} (target ≥ 0.8; ${Math.round(on.routeRps)} vs ${Math.round(on.healthRps)} req/s, 16 connections, ${seconds} s × ${ROUNDS} each after ${WARMUP_SECONDS} s of warm-up, wrangler dev; ${on.client})`,
      `hops logging off (QB_HOPS=off, second wrangler dev, interleaved): scan ÷ /healthz ${ratioWithRange(off)} (${Math.round(off.routeRps)} vs ${Math.round(off.healthRps)} req/s; ${loggedOff} hops logged)`,
      `hops logging cost: (on ÷ healthz) ÷ (off ÷ healthz) = ${fmt(on.medianRatio / off.medianRatio)} (medians; 1.00 = free)`,
    ];
    await b.w.stop();
    // Let the timed load's hops land before the exact-count run starts.
    await drain(a.w, a.key, 2 * (a.warm + on.served));
    lines.push(...(await ingestRate(a.w, a.key, a.requests)));
    return lines;
  } finally {
    await Promise.all([a.w.stop(), b?.w.stop()]);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const line of await run()) console.log(line);
}
