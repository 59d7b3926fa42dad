/**
 * Ingest capacity of the hop writer, timed in workerd (Miniflare) with the real migrations:
 * `ingestHops` (insert ignoring known event ids; the `hops_rollup` trigger updates the daily
 * rollups and unique sets in the same transaction) on consumer-sized batches, against a bare
 * insert of the same rows into a table with no index and no trigger, in the same run.
 *
 * Run: `node bench/ingest.mjs` (env INGEST_ROUNDS, INGEST_ROWS to override).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { fmt, median } from "./lib.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

async function loadMiniflare() {
  const require = createRequire(pathToFileURL(`${ROOT}node_modules/wrangler/package.json`));
  return (await import(pathToFileURL(require.resolve("miniflare")).href)).Miniflare;
}

export async function run({
  rounds = Number(process.env.INGEST_ROUNDS) || 5,
  rowsPerRound = Number(process.env.INGEST_ROWS) || 10_000,
} = {}) {
  const persist = mkdtempSync(join(tmpdir(), "qrbridge-ingest-"));
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" };
  const args = ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", persist];
  const mig = spawnSync("npx", args, { cwd: ROOT, env, encoding: "utf8" });
  if (mig.status !== 0) throw new Error(`migrations failed: ${mig.stderr || mig.stdout}`);
  const bundle = await build({
    entryPoints: [`${ROOT}bench/ingest-worker.ts`],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    write: false,
    logLevel: "warning",
  });
  const Miniflare = await loadMiniflare();
  const mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0].text,
    compatibilityDate: "2026-04-01",
    // wrangler's --persist-to keeps D1 under v3/d1; the binding's id names the database.
    d1Databases: { DB: "00000000-0000-0000-0000-000000000000" },
    d1Persist: join(persist, "v3", "d1"),
  });
  try {
    await mf.dispatchFetch("http://bench/setup");
    const time = async (path, batch, expectAtLeast) => {
      const t0 = performance.now();
      const res = await mf.dispatchFetch(`http://bench${path}?n=${rowsPerRound}&batch=${batch}`);
      const { n } = await res.json();
      if (!res.ok || n < expectAtLeast) throw new Error(`${path} wrote ${n} rows`);
      return (performance.now() - t0) / rowsPerRound;
    };
    const results = { ingest2000: [], ingest100: [], bare2000: [] };
    for (let r = 1; r <= rounds; r++) {
      results.bare2000.push(await time("/bare", 2000, r * rowsPerRound));
      results.ingest2000.push(await time("/ingest", 2000, 0));
      results.ingest100.push(await time("/ingest", 100, 0));
    }
    const big = median(results.ingest2000);
    const small = median(results.ingest100);
    const bare = median(results.bare2000);
    return [
      `ingest: ${Math.round(1000 / big)} hops/s per consumer (${fmt(big * 1000, 1)} µs/row, batches of 2,000 rows = 100 messages × 20), ${fmt(big / bare)}× a bare insert of the same rows (${fmt(bare * 1000, 1)} µs/row, no index, no trigger)`,
      `ingest: batches of 100 rows ${fmt(small * 1000, 1)} µs/row (${fmt(small / big)}× the cost per row of 2,000-row batches: the per-batch round trip)`,
      `ingest: median of ${rounds} rounds × ${rowsPerRound} rows, workerd (Miniflare) with local D1, migrations applied`,
    ];
  } finally {
    await mf.dispose();
    rmSync(persist, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await run()) console.log(line);
}
