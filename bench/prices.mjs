// The one price table of the budget bench (Workers Paid, list prices beyond the included usage,
// USD), each line with the Cloudflare page it comes from; docs/performance.md copies it. Counts
// from the meter (test/support/meter.ts) are priced by their metric name, whatever their scope.

const WORKERS = "https://developers.cloudflare.com/workers/platform/pricing/#workers";
const KV = "https://developers.cloudflare.com/kv/platform/pricing/";
const D1 = "https://developers.cloudflare.com/d1/platform/pricing/";
const QUEUES = "https://developers.cloudflare.com/queues/platform/pricing/";
const R2 = "https://developers.cloudflare.com/r2/pricing/";
const DO = "https://developers.cloudflare.com/durable-objects/platform/pricing/";
const AE = "https://developers.cloudflare.com/analytics/analytics-engine/pricing/";

/** Assumed CPU time of one Worker invocation (the instructions bench measures its shape). */
export const CPU_MS_PER_INVOCATION = 1;
/** Assumed time a Durable Object is active per request it serves (it is billed while active). */
export const DO_ACTIVE_MS_PER_REQUEST = 10;
/** Durable Objects are billed for 128 MB, whatever they use. */
const DO_GB = 0.128;

/** USD per million of each billed unit. */
export const PRICES = [
  { unit: "Workers request (incl. each queue consumer batch)", usd: 0.3, source: WORKERS },
  { unit: "Workers CPU ms", usd: 0.02, source: WORKERS },
  { unit: "KV read (per key)", usd: 0.5, source: KV },
  { unit: "KV write / delete / list", usd: 5.0, source: KV },
  { unit: "D1 row read", usd: 0.001, source: D1 },
  { unit: "D1 row written", usd: 1.0, source: D1 },
  { unit: "Queues operation (per 64 KB written, read or deleted)", usd: 0.4, source: QUEUES },
  { unit: "R2 class A (put, list, multipart)", usd: 4.5, source: R2 },
  { unit: "R2 class B (get, head)", usd: 0.36, source: R2 },
  { unit: "Durable Objects request (RPC call, fetch, alarm)", usd: 0.15, source: DO },
  { unit: "Durable Objects duration GB-s", usd: 12.5, source: DO },
  { unit: "Durable Objects SQLite row read", usd: 0.001, source: DO },
  { unit: "Durable Objects SQLite row written (incl. setAlarm)", usd: 1.0, source: DO },
  { unit: "Analytics Engine data point", usd: 0.25, source: AE },
  {
    unit: "Cache API, rate limiting, subrequests, R2 delete, service bindings",
    usd: 0,
    source: WORKERS,
  },
];
/**
 * The price (USD per million) of the first unit of {@link PRICES} whose name starts with `prefix`.
 * @param {string} prefix
 */
export const usd = (prefix) => PRICES.find((p) => p.unit.startsWith(prefix)).usd;

/** USD per million of one count of each metric (metrics not listed are free or informational). */
const PER_METRIC = {
  invocation: usd("Workers request") + CPU_MS_PER_INVOCATION * usd("Workers CPU"),
  "kv.read": usd("KV read"),
  "kv.write": usd("KV write"),
  "kv.delete": usd("KV write"),
  "kv.list": usd("KV write"),
  "d1.rows_read": usd("D1 row read"),
  "d1.rows_written": usd("D1 row written"),
  "queue.write_op": usd("Queues"),
  "queue.read_op": usd("Queues"),
  "queue.delete_op": usd("Queues"),
  "r2.class_a": usd("R2 class A"),
  "r2.class_b": usd("R2 class B"),
  "do.request":
    usd("Durable Objects request") +
    (DO_ACTIVE_MS_PER_REQUEST / 1000) * DO_GB * usd("Durable Objects duration"),
  "do.alarm": usd("Durable Objects request"),
  "do.rows_read": usd("Durable Objects SQLite row read"),
  "do.rows_written": usd("Durable Objects SQLite row written"),
  "analytics.point": usd("Analytics Engine"),
};

/** Metrics that cost nothing or only describe (calls, bytes, messages). */
const UNPRICED =
  /^(d1\.(query|batch)|queue\.(send|message|bytes|batch|delivered|acked|retried)|do\.storage_call|cache\.|subrequest|ratelimit\.|service\.|r2\.free)/;

/**
 * USD per million requests of per-request counts (`{ "request:kv.read": 1, … }`), and the
 * metrics that have no price (an `other.*` binding, or `d1.unmetered` queries).
 * @param {Record<string, number>} counts
 */
export function costPerMillion(counts) {
  let total = 0;
  const unpriced = [];
  for (const [key, n] of Object.entries(counts)) {
    const metric = key.slice(key.indexOf(":") + 1);
    if (metric in PER_METRIC) total += n * PER_METRIC[metric];
    else if (!UNPRICED.test(metric)) unpriced.push(key);
  }
  return { usd: total, unpriced };
}
