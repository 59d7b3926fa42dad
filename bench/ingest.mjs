/**
 * Ingest capacity of the hop writer, timed in workerd (Miniflare) with the real migrations:
 * `ingestHops` (insert ignoring known event ids; the `hops_rollup` trigger updates the daily
 * rollups and unique sets in the same transaction) on consumer-sized batches, against a bare
 * insert of the same rows into a table with no index and no trigger, in the same run.
 *
 * Run: `node bench/ingest.mjs` (env INGEST_ROUNDS, INGEST_ROWS to override).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { applyMigrations, bundleForWorkerd, fmt, loadMiniflare, median } from "./lib.mjs";

export async function run({
  rounds = Number(process.env.INGEST_ROUNDS) || 5,
  rowsPerRound = Number(process.env.INGEST_ROWS) || 10_000,
} = {}) {
  const persist = mkdtempSync(join(tmpdir(), "qrbridge-ingest-"));
  applyMigrations(persist);
  const Miniflare = await loadMiniflare();
  const mf = new Miniflare({
    modules: true,
    script: await bundleForWorkerd("bench/ingest-worker.ts"),
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
