/**
 * `npm run bench -- store`: what the hop store costs and how it reads, measured in workerd
 * (Miniflare directly, no dev proxy) through the real queue consumer, with D1's own `meta`
 * figures (rows read and written, database size) and every R2 operation counted
 * (bench/store-worker.ts; the traffic is bench/traffic.ts).
 *
 * 1. Writes and cost: a day of realistic traffic, then the cron until every bookkeeping row the
 *    day left has been deleted; D1 rows written and the cost per million person poster scans
 *    from the one price table (bench/prices.mjs).
 * 2. Throughput and size: ≥ 1 M hops through the consumer (rows/s by batch size), D1 bytes per
 *    million hops, and the bytes of the rollups' map columns before and after the cron compacts
 *    the day's sketches (the data itself, whatever SQLite's free pages).
 * 3. Reads: rollups for 5 M and 50 M hops over a year (folded by the consumer's own code), then
 *    the cron until every finished day is compacted, then funnels over 7, 30, 90 and 365 days by
 *    day, store, campaign, poster, platform and source: time (Node side, median of 3) and D1
 *    rows read; and the rollup columns' bytes per million hops.
 *
 * Run: `node bench/store.mjs` (STORE_BENCH_SCANS, STORE_BENCH_BURST_SCANS and
 * STORE_BENCH_READ_HOPS override the volumes, e.g. for a quick look; STORE_BENCH_CLAIMED_RESOLVES=1
 * measures the traffic of a deployment with `QB_POSTER_CLAIMED_RESOLVES`).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { fmt, median, startHopStoreWorker } from "./lib.mjs";
import { CPU_MS_PER_INVOCATION, usd } from "./prices.mjs";

// Yesterday: the consumer counts at the real clock, and a once-only app event counted more than
// a week after it happened is set aside, not counted (src/store/hop-ingest.ts).
const daysAgo = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const DAY = daysAgo(1);
const SCANS = Number(process.env.STORE_BENCH_SCANS) || 20_000;
const CLAIMED = process.env.STORE_BENCH_CLAIMED_RESOLVES === "1" ? "&claimed=1" : "";
const BURST_SCANS = Number(process.env.STORE_BENCH_BURST_SCANS) || 460_000;
// STORE_BENCH_READ_HOPS=0 skips the reads.
const READ_HOPS = (process.env.STORE_BENCH_READ_HOPS ?? "5000000,50000000")
  .split(",")
  .map(Number)
  .filter(Boolean);
/** Hops per person scan in the traffic model (bench/traffic.ts), measured on its first day. */
let hopsPerScan = 2.3;

async function start() {
  const { call, stop, persistTo } = await startHopStoreWorker("bench/store-worker.ts", "store");
  return {
    call,
    /**
     * The database's bytes without its free pages: a `VACUUM INTO` copy made by the `sqlite3`
     * command (Debian's `sqlite3`; null without it). D1 answers `PRAGMA freelist_count` with
     * "not authorized" and has no `dbstat`, and a local file never shrinks after deletes, so
     * this is how what stays is measured.
     */
    liveBytes() {
      const dir = join(persistTo, "v3/d1/miniflare-D1DatabaseObject");
      const file = readdirSync(dir).find((f) => f.endsWith(".sqlite"));
      const copy = join(persistTo, "vacuumed.sqlite");
      try {
        rmSync(copy, { force: true });
        execFileSync("sqlite3", [join(dir, file), `VACUUM INTO '${copy}'`], { stdio: "ignore" });
        return statSync(copy).size;
      } catch {
        return null;
      }
    },
    stop,
  };
}

const money = (x) => `$${x.toFixed(2)}`;

/** Run the cron at `now` until compaction has nothing left (it handles a bounded number of rows a run). */
async function compactAll(w, now) {
  let runs = 0;
  for (let more = true; more && runs < 10_000; runs++)
    more = (await w.call(`/maintain?now=${now}`)).report.compactionPending;
  return runs;
}

/** The rollup tables' map columns in MB per million hops, one line per table. */
async function columnLines(w, hops) {
  const tables = await w.call("/columns");
  return Object.entries(tables).map(([table, c]) => {
    const mb = (bytes) => fmt(((bytes / hops) * 1e6) / 1e6, 2);
    const total = c.counts + c.delays + c.scanners + c.sketch_all + c.sketch_dims;
    return `    ${table} (${c.rows.toLocaleString("en")} rows): ${mb(total)} MB (counts ${mb(c.counts)}, delays ${mb(c.delays)}, scanners JSON ${mb(c.scanners)}, sketch_all ${mb(c.sketch_all)}, sketch_dims ${mb(c.sketch_dims)})`;
  });
}

/** The cost of `scans` person scans' traffic from its counted operations, per million scans. */
function costPerMillion(scans, day, cron) {
  const per = (x) => (x / scans) * 1e6;
  const requests = per(day.messages) + per(day.batches);
  const cost = {
    "Workers requests (every request that records hops; consumer batches)":
      (requests * usd("Workers request")) / 1e6,
    "Workers CPU": (requests * CPU_MS_PER_INVOCATION * usd("Workers CPU")) / 1e6,
    "Queue operations (3 per message)": (per(day.messages) * 3 * usd("Queues")) / 1e6,
    "D1 rows written": (per(day.rowsWritten + cron.rowsWritten) * usd("D1 row written")) / 1e6,
    "D1 rows read": (per(day.rowsRead + cron.rowsRead) * usd("D1 row read")) / 1e6,
    "R2 class A / B":
      (per(day.r2ClassA + cron.r2ClassA) * usd("R2 class A") +
        per(day.r2ClassB + cron.r2ClassB) * usd("R2 class B")) /
      1e6,
    "KV (hot posters: read from the isolate)": 0,
  };
  return { cost, total: Object.values(cost).reduce((a, b) => a + b, 0) };
}

/** 1. A day of traffic, then the cron past every window; D1 rows and costs per person scan. */
async function writesAndCost(lines) {
  for (const only of ["", "scans"]) {
    const w = await start();
    try {
      const day = await w.call(
        `/ingest?day=${DAY}&scans=${SCANS}&batch=100&seed=1&only=${only}${CLAIMED}`,
      );
      if (!only) hopsPerScan = day.rows / SCANS;
      const cron = { rowsWritten: 0, rowsRead: 0, r2ClassA: 0, r2ClassB: 0 };
      for (const days of [2, 9]) {
        const now = Date.parse(`${DAY}T12:00:00Z`) + days * 86_400_000;
        const r = await w.call(`/maintain?now=${now}`);
        for (const k of Object.keys(cron)) cron[k] += r[k];
      }
      const { cost, total } = costPerMillion(SCANS, day, cron);
      const written = (day.rowsWritten + cron.rowsWritten) / SCANS;
      lines.push(
        only
          ? `store: the person poster scans alone (${SCANS.toLocaleString("en")}: one request and one message each, landing page or straight into the app):`
          : `store: one day of a realistic funnel, ${SCANS.toLocaleString("en")} person poster scans (${day.messages.toLocaleString("en")} requests with app opens, conversions, bots and forged codes; ${day.rows.toLocaleString("en")} hops; ${day.batches} consumer batches of ≤ 100):`,
        `  D1 rows written per person scan: ${fmt(written, 3)} (consumer ${fmt(day.rowsWritten / SCANS, 3)}, cron ${fmt(cron.rowsWritten / SCANS, 3)}); rows read ${fmt((day.rowsRead + cron.rowsRead) / SCANS, 2)}; R2 class A ${fmt((day.r2ClassA + cron.r2ClassA) / SCANS, 4)}`,
        "  cost per million person poster scans (list prices):",
        ...Object.entries(cost).map(([k, v]) => `    ${k}: ${money(v)}`),
        `    total: ${money(total)}`,
      );
    } finally {
      await w.stop();
    }
  }
}

/** 2. ≥ 1 M hops through the consumer; throughput by batch size; bytes per million hops. */
async function throughputAndSize(lines) {
  const w = await start();
  try {
    let hops = 0;
    // Four recent days (see DAY), one per batch size and the burst's.
    for (const [i, batch] of [10, 50, 100].entries()) {
      const r = await w.call(
        `/ingest?day=${daysAgo(6 - i)}&scans=10000&batch=${batch}&seed=${batch}`,
      );
      hops += r.rows;
      lines.push(
        `store: batches of ${batch}: ${Math.round((r.rows / r.ms) * 1000).toLocaleString("en")} hops/s through one consumer, ${fmt(r.rowsWritten / r.batches, 1)} D1 rows written and ${fmt(r.r2ClassA / r.batches, 1)} R2 writes a batch`,
      );
    }
    const before = (await w.call("/size")).sizeAfter;
    const burst = await w.call(`/ingest?day=${daysAgo(3)}&scans=${BURST_SCANS}&batch=100&seed=7`);
    const after = (await w.call("/size")).sizeAfter;
    lines.push(
      `store: burst of ${burst.rows.toLocaleString("en")} hops (${burst.messages.toLocaleString("en")} messages) through the real consumer in ${fmt(burst.ms / 1000, 1)} s: ${Math.round((burst.rows / burst.ms) * 1000).toLocaleString("en")} hops/s, ${Math.round((burst.batches / burst.ms) * 1000)} batches/s`,
      `store: D1 grew ${fmt((after - before) / 1e6, 2)} MB for them: ${fmt((((after - before) / burst.rows) * 1e6) / 1e6, 2)} MB per million hops (rollups, bookkeeping; raw hops are in R2)`,
      "  rollup map columns per million hops of the four days, while open (JSON sketches):",
      ...(await columnLines(w, hops + burst.rows)),
    );
    const runs = await compactAll(w, Date.parse(`${daysAgo(3)}T12:00:00Z`) + 3 * 86_400_000);
    lines.push(
      `  the same once the cron compacted the finished days (${runs} runs):`,
      ...(await columnLines(w, hops + burst.rows)),
      liveLine(w.liveBytes(), hops + burst.rows),
    );
  } finally {
    await w.stop();
  }
}

/** The live-bytes line: what the database keeps once SQLite's free pages are dropped. */
function liveLine(bytes, hops) {
  if (bytes === null) return "  D1 without free pages: not measured (install Debian's sqlite3)";
  return `  D1 without free pages (VACUUM INTO): ${fmt(bytes / 1e6, 1)} MB, ${fmt(bytes / hops, 1)} MB per million hops`;
}

/** 3. A year of rollups for `hops` hops, then funnels over 7 to 365 days. */
async function reads(lines, hops) {
  const w = await start();
  try {
    const scansPerDay = Math.round(hops / 365 / hopsPerScan);
    const end = Date.parse("2025-12-31T00:00:00Z");
    let rows = 0;
    for (let d = 364; d >= 0; d--) {
      const day = new Date(end - d * 86_400_000).toISOString().slice(0, 10);
      rows += (await w.call(`/seed?day=${day}&scans=${scansPerDay}&seed=${d + 1}`)).rows;
    }
    // The cron folds finished days into month rows and makes their sketches compact.
    const runs = await compactAll(w, end + 2 * 86_400_000);
    const size = (await w.call("/size")).sizeAfter;
    lines.push(
      `store: funnels over ${rows.toLocaleString("en")} hops in a year (${scansPerDay.toLocaleString("en")} person scans a day, 2,000 posters; the cron compacted it in ${runs} runs):`,
      `  D1 ${fmt(size / 1e6, 1)} MB (${fmt(size / rows, 1)} MB per million hops, free pages included); rollup map columns per million hops:`,
      ...(await columnLines(w, rows)),
      liveLine(w.liveBytes(), rows),
    );
    for (const days of [7, 30, 90, 365]) {
      const from = new Date(end - (days - 1) * 86_400_000).toISOString().slice(0, 10);
      const cells = [];
      for (const group of ["day", "store", "campaign", "poster", "platform", "source"]) {
        const q = `/funnel?from=${from}&to=2025-12-31&group_by=${group}`;
        const times = [];
        let rowsRead = 0;
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now();
          rowsRead = (await w.call(q)).rowsRead;
          times.push(performance.now() - t0);
        }
        cells.push(`${group} ${fmt(median(times), 0)} ms / ${rowsRead.toLocaleString("en")} rows`);
      }
      lines.push(`  ${days} days: ${cells.join("; ")}`);
    }
  } finally {
    await w.stop();
  }
}

/**
 * Every figure, as lines; `onLine` sees each line as soon as it is measured (the read runs
 * take a while).
 */
export async function run({ onLine = () => {} } = {}) {
  const all = [];
  const lines = {
    push(...more) {
      all.push(...more);
      for (const line of more) onLine(line);
    },
  };
  await writesAndCost(lines);
  await throughputAndSize(lines);
  for (const hops of READ_HOPS) await reads(lines, hops);
  lines.push(
    "store: workerd via Miniflare on this machine; times are environment-dependent, counts are not",
  );
  return all;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  await run({ onLine: (line) => console.log(line) });
