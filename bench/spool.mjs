/**
 * `node bench/spool.mjs`: how fast the cron counts the spool — the hops a request put in R2
 * when the hop queue refused them (a burst without queue shards). Spools SPOOL_BENCH_OBJECTS
 * requests (default 10,000; a scan and its landing page each), then runs the minute cron's
 * drain (src/store/spool-drain.ts, 5,000 objects a run) until the spool is empty, in workerd
 * through Miniflare on local D1 and R2, and prints requests counted per second and per run.
 */
import { fmt, startHopStoreWorker } from "./lib.mjs";

const OBJECTS = Number(process.env.SPOOL_BENCH_OBJECTS) || 10_000;

const { call, stop } = await startHopStoreWorker("bench/spool-worker.ts", "spool");

try {
  const at = Date.now();
  for (let i = 0; i < OBJECTS; i += 1_000)
    await call(`/spool?n=${Math.min(1_000, OBJECTS - i)}&at=${at + i}`);
  const runs = [];
  const start = performance.now();
  for (;;) {
    const t = performance.now();
    const { objects, rows } = await call(`/drain?now=${Date.now()}`);
    if (objects === 0) break;
    runs.push({ objects, rows, ms: performance.now() - t });
  }
  const seconds = (performance.now() - start) / 1000;
  const { left } = await call("/left", "GET");
  const objects = runs.reduce((n, r) => n + r.objects, 0);
  const rows = runs.reduce((n, r) => n + r.rows, 0);
  console.log(
    `spool: ${objects.toLocaleString("en")} spooled requests (${rows.toLocaleString("en")} hops) counted in ${runs.length} run(s), ${fmt(seconds, 1)} s: ${Math.round(objects / seconds).toLocaleString("en")} requests/s; ${left} left`,
  );
  for (const r of runs)
    console.log(`  run: ${r.objects.toLocaleString("en")} requests in ${fmt(r.ms / 1000, 1)} s`);
  console.log("spool: workerd via Miniflare on this machine; times are environment-dependent");
} finally {
  await stop();
}
