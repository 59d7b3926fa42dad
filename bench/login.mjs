// QR login benchmark through the real Worker (wrangler dev, fresh local state): how soon the PC
// page hears of each step. For each sample a login is created, its WebSocket opened, then
// (a) the app's POST /v1/logins/scan — time until the `scanned` message arrives, and
// (b) the backend's POST /v1/logins/:id/approve — time until the `approved` message (with the
//     ticket) arrives.
// Sequential samples, p50/p99 (the design's target for scan → PC notified: p50 ≤ 20 ms locally).
//
// Run: `node bench/login.mjs` (env LOGIN_BENCH_SAMPLES to override), or `npm run bench -- login`.
import { createHash, randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import WebSocket from "ws";
import { fetchRetrying, fmt, mintKey, PHONE_UA, startWorker } from "./lib.mjs";

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const b64url = (buf) => buf.toString("base64url");

/** A WebSocket that resolves `next(status)` with the first message of that status. */
function openSocket(eventsUrl) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(eventsUrl);
    const messages = [];
    const waiters = [];
    ws.on("message", (data) => {
      const m = JSON.parse(String(data));
      m.receivedAt = performance.now();
      messages.push(m);
      for (const w of waiters.splice(0)) w();
    });
    ws.on("error", reject);
    const next = (status) =>
      new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`no ${status} message`)), 10_000);
        const check = () => {
          const m = messages.find((x) => x.status === status);
          if (!m) return void waiters.push(check);
          clearTimeout(timer);
          res(m);
        };
        check();
      });
    ws.on("open", () => resolve({ ws, next }));
  });
}

async function post(url, path, body, key) {
  // Each sample as another phone: the scan limit (LOGIN_LIMITER, 60 a minute per address)
  // is for people, not for a benchmark's hundred scans.
  const headers = {
    "content-type": "application/json",
    "user-agent": PHONE_UA,
    "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
  };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetchRetrying(`${url}${path}`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function notifyLatency(url, key, samples) {
  const scanNotified = [];
  const approveNotified = [];
  for (let i = 0; i < samples + 5; i++) {
    const verifier = b64url(randomBytes(32));
    const challenge = b64url(createHash("sha256").update(verifier).digest());
    const login = await post(url, "/v1/logins", { code_challenge: challenge, ttl: 300 }, key);
    const { ws, next } = await openSocket(login.events_url);
    await next("pending");
    const t0 = performance.now();
    const scan = await post(url, "/v1/logins/scan", { url: login.url });
    const scanned = await next("scanned");
    const t1 = performance.now();
    await post(url, `/v1/logins/${login.id}/approve`, { scan: scan.scan, subject: "u" }, key);
    const approved = await next("approved");
    if (!approved.ticket) throw new Error("approved without a ticket");
    ws.close();
    if (i < 5) continue; // warm-up
    scanNotified.push(scanned.receivedAt - t0);
    approveNotified.push(approved.receivedAt - t1);
  }
  return [
    `login notify: scan → PC WebSocket message p50 ${fmt(pct(scanNotified, 50))} ms, p99 ${fmt(pct(scanNotified, 99))} ms (target p50 ≤ 20 ms; ${scanNotified.length} samples, POST /v1/logins/scan, wrangler dev)`,
    `login notify: approve → PC WebSocket message with the ticket p50 ${fmt(pct(approveNotified, 50))} ms, p99 ${fmt(pct(approveNotified, 99))} ms`,
  ];
}

/**
 * Run the login benchmark; returns the printed lines.
 *
 * @example
 * for (const line of await run()) console.log(line);
 */
export async function run({ samples = Number(process.env.LOGIN_BENCH_SAMPLES) || 100 } = {}) {
  const w = await startWorker();
  try {
    const key = await mintKey(w.url, { name: "bench", kind: "secret", scopes: ["logins:write"] });
    return await notifyLatency(w.url, key, samples);
  } finally {
    await w.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await run()) console.log(line);
}
