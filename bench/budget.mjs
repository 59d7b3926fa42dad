/**
 * `npm run bench -- budget`: what production pays per request, path by path. The real Worker,
 * its queue consumer and its Durable Object run in workerd (Miniflare, no dev proxy) with every
 * binding metered (test/support/meter.ts); each path is driven alone, then drained (its hops
 * consumed and written), and the counters read:
 *
 * - alone: one request at a time, BUDGET_REPEAT times (they must agree: the counts are exact).
 *   Its hops travel alone, so the downstream figures are those of a quiet deployment;
 * - burst: BUDGET_BURST concurrent requests; each still sends its own message, and the consumer
 *   takes them in fewer batches, as under load. How they fall into the consumer's batches
 *   depends on timing, so the burst's figures may vary a little.
 *
 * Downstream = the consumer's operations during the drain after a path, divided by the number
 * of that path's requests (only that path's hops are in flight then).
 *
 * Run: `npm run bench -- budget` (env BUDGET_REPEAT, BUDGET_BURST; BUDGET_ONLY, a regular
 * expression as INSTR_PATHS is, measures only the paths whose names it matches).
 */
import { pathToFileURL } from "node:url";
import { PATHS } from "./budget-paths.mjs";
import { seed } from "./budget-seed.mjs";
import { startBenchWorker } from "./miniflare-bench.mjs";
import {
  CPU_MS_PER_INVOCATION,
  costPerMillion,
  DO_ACTIVE_MS_PER_REQUEST,
  PRICES,
} from "./prices.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const total = (counts, suffix) =>
  Object.entries(counts).reduce((a, [k, n]) => (k.endsWith(suffix) ? a + n : a), 0);

/** Wait until every message sent has been consumed and acknowledged, and nothing moves. */
export async function drain(w) {
  let last = "";
  for (let i = 0; i < 400; i++) {
    const counts = (await w.send("/__bench/counts")).json();
    const now = JSON.stringify(counts);
    if (total(counts, ":queue.acked") >= total(counts, ":queue.message") && now === last)
      return counts;
    last = now;
    await sleep(50);
  }
  throw new Error(`the queues did not drain: ${last}`);
}

/** Counts per request of `n` requests of `path`, split into the request side and downstream. */
async function measure(w, s, path, n, concurrent) {
  const inputs = await path.prepare(s, n, w);
  await drain(w);
  await w.send("/__bench/reset");
  const seen = w.received.length;
  const one = async (input) => {
    const [url, init] = path.request(input);
    const res = await w.send(url, init);
    if (res.status !== path.status)
      throw new Error(`${path.name}: ${res.status} ${res.text.slice(0, 200)}`);
    if (path.body && !path.body.test(res.text))
      throw new Error(`${path.name}: the answer is not ${path.body}: ${res.text.slice(0, 200)}`);
  };
  if (concurrent) await Promise.all(inputs.map(one));
  else for (const input of inputs) await one(input);
  const counts = await drain(w);
  // A path whose work is downstream checks it happened (the webhook deliveries received).
  path.check?.(w.received.slice(seen), n);
  const request = {};
  const downstream = {};
  const alarms = {};
  for (const [key, value] of Object.entries(counts)) {
    if (key.startsWith("alarm:")) alarms[key] = value;
    else (key.startsWith("consumer:") ? downstream : request)[key] = value / n;
  }
  return { request, downstream, alarms };
}

/** Sum the alarm counts of every measurement into `into`. */
const addAlarms = (into, { alarms }) => {
  for (const [k, v] of Object.entries(alarms)) into[k] = (into[k] ?? 0) + v;
};

/** Metrics whose counts differ between runs, with their range (message bytes aside: ids and times vary in length). */
function differences(runs) {
  const keys = new Set(
    runs.flatMap((r) => [...Object.keys(r.request), ...Object.keys(r.downstream)]),
  );
  const ranges = [];
  for (const k of keys) {
    if (k.endsWith(":queue.bytes")) continue;
    const side = k.startsWith("consumer:") ? "downstream" : "request";
    const xs = runs.map((r) => r[side][k] ?? 0);
    if (Math.min(...xs) !== Math.max(...xs))
      ranges.push(`${k} ${Math.min(...xs)}–${Math.max(...xs)}`);
  }
  return ranges.length ? ranges.join(", ") : null;
}

const n = (counts, ...metrics) => metrics.reduce((a, m) => a + total(counts, `:${m}`), 0);
const f = (x) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
/** " (0.9 KB each)": the mean size of the messages sent. */
const kb = (c) => {
  const messages = n(c, "queue.message");
  return messages ? ` (${(n(c, "queue.bytes") / messages / 1000).toFixed(1)} KB each)` : "";
};
const row = (cells) => `| ${cells.join(" | ")} |`;
const OTHER =
  /(r2\.|ratelimit|analytics|cache\.|subrequest|service\.|other\.|d1\.unmetered|do\.alarm$)/;
const others = (c) =>
  Object.entries(c)
    .filter(([k]) => OTHER.test(k))
    .map(([k, v]) => `${k.slice(k.indexOf(":") + 1)} ${f(v)}`)
    .join(", ") || "–";

/** The tables, as Markdown (docs/performance.md copies them). */
function tables(results, repeat, burst, alarms) {
  const lines = [
    `Billable operations per request, each request alone (${repeat} requests per path, all equal unless marked):`,
    "",
    row(["path", "KV r/w", "D1 q · rows r/w", "DO req · rows r/w", "queue msg · ops", "other"]),
    row(Array(6).fill("---")),
  ];
  for (const { path, alone, varies } of results) {
    const c = alone.request;
    lines.push(
      row([
        path.name + (varies ? ` (varies: ${varies})` : ""),
        `${f(n(c, "kv.read"))}/${f(n(c, "kv.write", "kv.delete", "kv.list"))}`,
        `${f(n(c, "d1.query"))} · ${f(n(c, "d1.rows_read"))}/${f(n(c, "d1.rows_written"))}`,
        `${f(n(c, "do.request"))} · ${f(n(c, "do.rows_read"))}/${f(n(c, "do.rows_written"))}`,
        `${f(n(c, "queue.message"))} · ${f(n(c, "queue.write_op"))}${kb(c)}`,
        others(c),
      ]),
    );
  }
  lines.push("", "Downstream, per request: what the queue consumer did with its hops:", "");
  lines.push(row(["path", "consumer batches", "D1 q · rows r/w", "queue read+delete ops"]));
  lines.push(row(Array(4).fill("---")));
  for (const { path, alone } of results) {
    const c = alone.downstream;
    lines.push(
      row([
        path.name,
        f(n(c, "invocation")),
        `${f(n(c, "d1.query"))} · ${f(n(c, "d1.rows_read"))}/${f(n(c, "d1.rows_written"))}`,
        f(n(c, "queue.read_op", "queue.delete_op")),
      ]),
    );
  }
  lines.push("", `Cost per million requests, USD (burst: ${burst} concurrent requests):`, "");
  lines.push(
    row([
      "path",
      "request",
      "downstream",
      "total alone",
      "total burst",
      "burst: msgs/req, rows written/req",
    ]),
  );
  lines.push(row(Array(6).fill("---")));
  const unpriced = new Set();
  for (const { path, alone, inBurst } of results) {
    const [req, down, b1, b2] = [
      alone.request,
      alone.downstream,
      inBurst.request,
      inBurst.downstream,
    ].map(costPerMillion);
    for (const u of [req, down, b1, b2].flatMap((c) => c.unpriced)) unpriced.add(u);
    const rowsWritten =
      n(inBurst.request, "d1.rows_written", "do.rows_written") +
      n(inBurst.downstream, "d1.rows_written");
    lines.push(
      row([
        path.name,
        req.usd.toFixed(3),
        down.usd.toFixed(3),
        (req.usd + down.usd).toFixed(3),
        (b1.usd + b2.usd).toFixed(3),
        `${f(n(inBurst.request, "queue.message"))}, ${f(rowsWritten)}`,
      ]),
    );
  }
  const alarmWork = Object.entries(alarms).map(([k, v]) => `${k.slice(6)} ${v}`);
  lines.push(
    "",
    `Alarms during the run, counted apart (records that earlier paths made, expiring or purged): ${alarmWork.join(", ") || "none"}.`,
  );
  if (unpriced.size)
    lines.push("", `UNPRICED (add them to bench/prices.mjs): ${[...unpriced].join(", ")}`);
  lines.push(
    "",
    `Assumed: ${CPU_MS_PER_INVOCATION} ms CPU per Worker invocation, a Durable Object active ${DO_ACTIVE_MS_PER_REQUEST} ms per request; a consumer batch is one Worker invocation.`,
    `Prices (USD per million): ${PRICES.map((p) => `${p.unit} ${p.usd}`).join("; ")}.`,
  );
  return lines;
}

export async function run({
  repeat = Number(process.env.BUDGET_REPEAT) || 3,
  burst = Number(process.env.BUDGET_BURST) || 20,
} = {}) {
  const w = await startBenchWorker();
  try {
    const isolates = (await w.send("/__bench/isolates")).json();
    if (isolates.worker !== isolates.object)
      throw new Error("the Durable Object runs in another isolate: its counts would be lost");
    const s = await seed(w);
    const results = [];
    const alarms = {};
    const only = process.env.BUDGET_ONLY;
    for (const path of PATHS.filter((p) => !only || new RegExp(only).test(p.name))) {
      const runs = [];
      for (let i = 0; i < repeat; i++) runs.push(await measure(w, s, path, 1, false));
      const inBurst = await measure(w, s, path, burst, true);
      for (const m of [...runs, inBurst]) addAlarms(alarms, m);
      results.push({ path, alone: runs[0], varies: differences(runs), inBurst });
    }
    return tables(results, repeat, burst, alarms);
  } finally {
    await w.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await run()) console.log(line);
}
