/**
 * `node bench/spool.mjs`: how fast the cron counts the spool — the hops a request put in R2
 * when the hop queue refused them (a burst without queue shards). Spools SPOOL_BENCH_OBJECTS
 * requests (default 10,000; a scan and its landing page each), then runs the minute cron's
 * drain (src/store/spool-drain.ts, 5,000 objects a run) until the spool is empty, in workerd
 * through Miniflare on local D1 and R2, and prints requests counted per second and per run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations, bundleForWorkerd, fmt, loadMiniflare } from "./lib.mjs";

const OBJECTS = Number(process.env.SPOOL_BENCH_OBJECTS) || 10_000;

const Miniflare = await loadMiniflare();
const persistTo = mkdtempSync(join(tmpdir(), "qrbridge-spool-"));
applyMigrations(persistTo);
const mf = new Miniflare({
  modules: true,
  script: await bundleForWorkerd("bench/spool-worker.ts"),
  compatibilityDate: "2026-04-01",
  d1Databases: { DB: "00000000-0000-0000-0000-000000000000" },
  d1Persist: join(persistTo, "v3/d1"),
  r2Buckets: ["HOP_ARCHIVE"],
  r2Persist: join(persistTo, "v3/r2"),
  kvNamespaces: ["CACHE"],
  durableObjects: { HANDOFF: "HandoffObject" },
  bindings: {
    QB_ENV: "development",
    QB_ADMIN_KEY: "qb_admin_bench_key_0123456789abcdef",
    QB_SIGNING_KEYS: "B1:bench-signing-key-0123456789abcdef",
  },
});
const call = async (path, method = "POST") => {
  const res = await mf.dispatchFetch(`http://bench.local${path}`, { method });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
};

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
  await mf.dispose();
  rmSync(persistTo, { recursive: true, force: true });
}
