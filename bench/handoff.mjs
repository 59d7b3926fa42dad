// Handoff benchmarks through the real Worker (wrangler dev, fresh local state):
//
// (a) scan path: GET /h/<token> with a phone UA (verify token → Durable Object scan → landing
//     page, hops `scanned`/`landing` queued) vs GET /healthz, same worker, same run, interleaved;
//     printed as throughput and p99 ratios. ~200 handoffs are created first and rotated through
//     (only the first scan of each changes state; the rest still show the page and log `landing`).
//     Afterwards the hop rows in D1 are counted: every scan request must have landed.
// (b) scan → PC notified: a WebSocket on events_url, then GET /h/<token>; time until the
//     `scanned` message arrives. Sequential samples, p50/p99 (target p50 ≤ 20 ms locally).
//
// Run: `node bench/handoff.mjs` (env HANDOFF_BENCH_SECONDS, HANDOFF_BENCH_SAMPLES to override).
import { pathToFileURL } from "node:url";
import WebSocket from "ws";
import {
  compareWithHealthz,
  fetchRetrying,
  fmt,
  mintKey,
  PHONE_UA,
  ratioWithRange,
  startWorker,
} from "./lib.mjs";
import { useWrk } from "./wrk.mjs";

const HANDOFFS = 200;

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function createHandoffs(url, key, n) {
  const out = [];
  const one = async () => {
    const res = await fetchRetrying(`${url}/v1/handoffs`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        ttl: 900,
        path: "/cart/42",
        payload: { cart: 42 },
        metadata: { title: "Cart" },
      }),
    });
    if (res.status !== 201) throw new Error(`create failed ${res.status}: ${await res.text()}`);
    out.push(await res.json());
  };
  for (let i = 0; i < n; i += 10)
    await Promise.all(Array.from({ length: Math.min(10, n - i) }, one));
  return out;
}

/** The path of a handoff's link, e.g. "/h/8QK3…" (the link itself is uppercase). */
const scanPath = (h) => `/h/${h.url.slice(h.url.lastIndexOf("/") + 1)}`;

async function throughput(w, key, seconds) {
  const handoffs = await createHandoffs(w.url, key, HANDOFFS);
  const paths = handoffs.map(scanPath);
  // One shared round-robin over the handoffs, so the 16 connections scan different handoffs
  // (as real phones do) instead of marching through the same list in lockstep. With autocannon
  // `sent` counts every scan request issued (the number of `landing` hops D1 must end up with);
  // wrk (one thread, one rotation) reports only answered requests, and up to one request per
  // connection and phase may still be in flight when a phase ends.
  let sent = 0;
  const requests = useWrk()
    ? paths.map((path) => ({ method: "GET", path, headers: { "user-agent": PHONE_UA } }))
    : [
        {
          method: "GET",
          setupRequest: (req) => ({
            ...req,
            path: paths[sent++ % paths.length],
            headers: { "user-agent": PHONE_UA },
          }),
        },
      ];
  const rounds = 5;
  const warmup = 3;
  const cmp = await compareWithHealthz(w.url, requests, { duration: seconds, rounds, warmup });
  const [hRps, sRps, hP99, sP99] = [cmp.healthRps, cmp.routeRps, cmp.healthP99, cmp.routeP99];
  const answered = cmp.total - cmp.non2xx;
  const non2xx = cmp.non2xx;
  const inFlight = useWrk() ? 16 * cmp.phases : 0;
  if (useWrk()) sent = answered + inFlight; // an upper bound: wait for at most this many rows

  // The hop queue flushes in batches (max_batch_timeout 1 s): poll until every sent scan has
  // its row or the count stops moving (each d1() call runs wrangler, ~1–2 s).
  const count = () => {
    const rows = w.d1("SELECT hop, count(*) AS n FROM hops WHERE kind = 'handoff' GROUP BY hop");
    const n = (hop) => rows.find((r) => r.hop === hop)?.n ?? 0;
    return { landing: n("landing"), scanned: n("scanned") };
  };
  let hops = count();
  for (let i = 0, last = -1; i < 15 && hops.landing < sent && hops.landing !== last; i++) {
    last = hops.landing;
    await new Promise((r) => setTimeout(r, 2000));
    hops = count();
  }
  const lost = Math.max(0, answered - hops.landing);
  return [
    `handoff scan: GET /h/:token ÷ /healthz throughput ${ratioWithRange(cmp)} (target ≥ 0.8; ${Math.round(sRps)} vs ${Math.round(hRps)} req/s, 16 connections, ${seconds} s × ${rounds} each after ${warmup} s of warm-up, interleaved, wrangler dev; ${cmp.client})`,
    `handoff scan: p99 ratio ${fmt(sP99 / hP99)} (target ≤ 2; p99 ${sP99} ms vs ${hP99} ms), non-2xx ${non2xx}`,
    `handoff scan: hops in D1 — landing ${hops.landing} for ${answered} scans answered 2xx (${useWrk() ? `≤ ${inFlight} more in flight at the ends of the phases` : `${sent} sent`}), lost ${lost}; scanned ${hops.scanned} of ${HANDOFFS} handoffs (first scans only)`,
  ];
}

function openSocket(eventsUrl) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(eventsUrl);
    const waiters = [];
    const messages = [];
    ws.on("message", (data) => {
      const m = JSON.parse(String(data));
      m.receivedAt = performance.now();
      messages.push(m);
      for (const w of waiters.splice(0)) w();
    });
    ws.on("error", reject);
    const next = (status) =>
      new Promise((res, rej) => {
        const check = () => {
          const m = messages.find((x) => x.status === status);
          if (m) return res(m);
          waiters.push(check);
        };
        setTimeout(() => rej(new Error(`no ${status} message`)), 10_000);
        check();
      });
    ws.on("open", () => resolve({ ws, next }));
  });
}

async function notifyLatency(w, key, samples) {
  const handoffs = await createHandoffs(w.url, key, samples + 5);
  const notified = [];
  const answered = [];
  for (const [i, h] of handoffs.entries()) {
    const { ws, next } = await openSocket(h.events_url);
    await next("pending");
    const t0 = performance.now();
    const res = await fetchRetrying(`${w.url}${scanPath(h)}`, {
      headers: { "user-agent": PHONE_UA },
    });
    const tRes = performance.now();
    await res.arrayBuffer();
    const m = await next("scanned");
    ws.close();
    if (i < 5) continue; // warm-up
    notified.push(m.receivedAt - t0);
    answered.push(tRes - t0);
  }
  return [
    `handoff notify: scan → PC WebSocket message p50 ${fmt(pct(notified, 50))} ms, p99 ${fmt(pct(notified, 99))} ms (target p50 ≤ 20 ms; ${notified.length} samples, GET /h/ with a phone UA)`,
    `handoff notify: for reference, the scan's own HTTP response p50 ${fmt(pct(answered, 50))} ms, p99 ${fmt(pct(answered, 99))} ms`,
  ];
}

/**
 * Run both handoff benchmarks; returns the printed lines.
 *
 * @example
 * for (const line of await run()) console.log(line);
 */
export async function run({
  seconds = Number(process.env.HANDOFF_BENCH_SECONDS) || 4,
  samples = Number(process.env.HANDOFF_BENCH_SAMPLES) || 100,
} = {}) {
  const w = await startWorker();
  try {
    const key = await mintKey(w.url, { name: "bench", kind: "secret", scopes: ["handoffs:write"] });
    const lines = await throughput(w, key, seconds);
    lines.push(...(await notifyLatency(w, key, samples)));
    return lines;
  } finally {
    await w.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await run()) console.log(line);
}
