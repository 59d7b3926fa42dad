// Poster benchmarks through the real Worker (wrangler dev, fresh local state):
//
// (a) batch create: POST /v1/posters/batch with 1,000 posters (one store, two campaigns), timed
//     end to end from Node; three runs, median and each run printed.
// (b) scan path: GET /p/<code> with a phone UA on the KV-hit path (each of 200 codes is scanned
//     once first, so its KV entry exists) vs GET /healthz, same worker, same run, interleaved;
//     printed as throughput and p99 ratios. Every scan verifies the code's MAC, reads KV, signs
//     an attribution session and queues two hops (`scanned`, `landing`). Afterwards the
//     `scanned` rows in D1 are counted against the scan requests: no hop may be lost.
//
// Run: `node bench/posters.mjs` (env POSTERS_BENCH_SECONDS to override the 5 s load phases).
import { pathToFileURL } from "node:url";
import {
  api,
  compareWithHealthz,
  fmt,
  median,
  mintKey,
  PHONE_UA,
  ratioWithRange,
  startWorker,
} from "./lib.mjs";

const BATCH = 1000;
const CODES = 200;

async function batchCreate(w, key, storeId) {
  const times = [];
  let posters = [];
  for (let run = 0; run < 3; run++) {
    const body = {
      posters: Array.from({ length: BATCH }, (_, i) => ({
        name: `Shelf ${run}-${i}`,
        path: `/aisle/${i % 40}`,
        store_id: storeId,
        campaign: i % 2 ? "Bench odd" : "Bench even",
        params: { shelf: String(i) },
      })),
    };
    const t0 = performance.now();
    const out = await api(w.url, key, "POST", "/v1/posters/batch", body);
    times.push(performance.now() - t0);
    if (out.posters.length !== BATCH) throw new Error(`batch returned ${out.posters.length}`);
    posters = out.posters;
  }
  const line = `posters batch: create ${BATCH} posters in one request — median ${Math.round(median(times))} ms (runs ${times.map((t) => Math.round(t)).join(", ")} ms; JSON body ${Math.round(JSON.stringify(posters).length / 1024)} KiB response, wrangler dev)`;
  return { line, posters };
}

async function scanThroughput(w, posters, seconds) {
  const codes = posters.slice(0, CODES).map((p) => p.code);
  // Warm: one scan per code puts its KV entry (read-through cache, written in waitUntil).
  for (let i = 0; i < codes.length; i += 20) {
    await Promise.all(
      codes
        .slice(i, i + 20)
        .map((code) =>
          fetch(`${w.url}/p/${code}`, { headers: { "user-agent": PHONE_UA } }).then((r) =>
            r.arrayBuffer(),
          ),
        ),
    );
  }
  await new Promise((r) => setTimeout(r, 500));
  const requests = codes.map((code) => ({
    method: "GET",
    path: `/p/${code}`,
    headers: { "user-agent": PHONE_UA },
  }));
  const opts = { connections: 16, duration: seconds, rounds: 5, warmup: 3 };
  const cmp = await compareWithHealthz(w.url, requests, opts);
  const [hRps, sRps, hP99, sP99] = [cmp.healthRps, cmp.routeRps, cmp.healthP99, cmp.routeP99];
  const scanRequests = cmp.total;
  const non2xx = cmp.non2xx;
  const expected = codes.length + scanRequests - non2xx; // warm-up scans count too (both kinds)

  // The hop queue flushes in batches (max_batch_timeout 1 s): wait until the rows stop growing.
  let scanned = -1;
  let landing = 0;
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const rows = w.d1("SELECT hop, count(*) AS n FROM hops WHERE kind = 'poster' GROUP BY hop");
    const n = (hop) => rows.find((r) => r.hop === hop)?.n ?? 0;
    landing = n("landing");
    if (n("scanned") === scanned && scanned >= expected) break;
    scanned = n("scanned");
  }
  return [
    `posters scan: GET /p/:code (KV hit) ÷ /healthz throughput ${ratioWithRange(cmp)} (target ≥ 0.8; ${Math.round(sRps)} vs ${Math.round(hRps)} req/s, 16 connections, ${seconds} s × ${opts.rounds} each after ${opts.warmup} s of warm-up, interleaved, wrangler dev; ${cmp.client})`,
    `posters scan: p99 ratio ${fmt(sP99 / hP99)} (target ≤ 2; p99 ${sP99} ms vs ${hP99} ms), non-2xx ${non2xx}`,
    // autocannon counts answered requests only; up to `connections` per phase were still in
    // flight when a phase stopped and are served (and logged) too.
    `posters scan: hops in D1 — scanned ${scanned} for ${expected} human scans counted by the client (${codes.length} cache-warming + ${scanRequests - non2xx} answered 2xx; ≤ ${opts.connections * cmp.phases} more were in flight at the end of the phases); lost ${Math.max(0, expected - scanned)}, landing ${landing}`,
  ];
}

/** Run the poster benchmarks; returns the printed lines. */
export async function run() {
  const seconds = Number(process.env.POSTERS_BENCH_SECONDS ?? 4);
  const w = await startWorker();
  try {
    const key = await mintKey(w.url, { name: "bench", kind: "secret", scopes: ["posters:write"] });
    const store = await api(w.url, key, "POST", "/v1/stores", { name: "Bench store" });
    const { line, posters } = await batchCreate(w, key, store.id);
    return [line, ...(await scanThroughput(w, posters, seconds))];
  } finally {
    await w.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const line of await run()) console.log(line);
}
