// Handoff benchmark through the real Worker (wrangler dev, fresh local state): scan → PC
// notified. A WebSocket on events_url, then GET /h/<token> with a phone UA; the time until the
// `scanned` message arrives. Sequential samples, p50/p99 (target p50 ≤ 20 ms locally; wall-clock,
// environment-dependent).
//
// Run: `node bench/handoff.mjs` (env HANDOFF_BENCH_SAMPLES to override the 100 samples).
import { pathToFileURL } from "node:url";
import WebSocket from "ws";
import { fetchRetrying, fmt, mintKey, PHONE_UA, startWorker } from "./lib.mjs";

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
 * Run the handoff benchmark; returns the printed lines.
 *
 * @example
 * for (const line of await run()) console.log(line);
 */
export async function run({ samples = Number(process.env.HANDOFF_BENCH_SAMPLES) || 100 } = {}) {
  const w = await startWorker();
  try {
    const key = await mintKey(w.url, { name: "bench", kind: "secret", scopes: ["handoffs:write"] });
    return await notifyLatency(w, key, samples);
  } finally {
    await w.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await run()) console.log(line);
}
