/**
 * Ingest capacity of the hop writer, timed in workerd (Miniflare) with the real migrations:
 * `ingestHops` (insert ignoring known event ids; the `hops_rollup` trigger updates the daily
 * rollups and unique sets in the same transaction) on consumer-sized batches, against a bare
 * insert of the same rows into a table with no index and no trigger, in the same run.
 *
 * The same rows with fully random event and session ids (as they were before they were
 * time-ordered, see eventId in src/store/hops.ts) into a table that grows, against
 * production's ids, show what the order of keys costs a big table.
 *
 * Run: `node bench/ingest.mjs` (env INGEST_ROUNDS, INGEST_ROWS, INGEST_GROW_ROUNDS,
 * INGEST_GROW_ROWS to override).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { applyMigrations, bundleForWorkerd, fmt, loadMiniflare, median } from "./lib.mjs";

/** A Miniflare with the real migrations applied to a fresh local D1, and the bench worker. */
async function start() {
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
  await mf.dispatchFetch("http://bench/setup");
  /** µs per row of writing `n` rows through `path` in batches of `batch`. */
  const time = async (path, n, batch, ids = "time") => {
    const t0 = performance.now();
    const res = await mf.dispatchFetch(`http://bench${path}?n=${n}&batch=${batch}&ids=${ids}`);
    const body = await res.json();
    if (!res.ok || !(body.n > 0)) throw new Error(`${path} failed: ${JSON.stringify(body)}`);
    return ((performance.now() - t0) * 1000) / n;
  };
  return {
    time,
    async stop() {
      await mf.dispose();
      rmSync(persist, { recursive: true, force: true });
    },
  };
}

/** µs/row of each round of `rows` rows (2,000-row batches) into one table that keeps growing. */
async function growing(ids, rounds, rows) {
  const db = await start();
  try {
    const perRound = [];
    for (let r = 0; r < rounds; r++) perRound.push(await db.time("/ingest", rows, 2000, ids));
    return perRound;
  } finally {
    await db.stop();
  }
}

export async function run({
  rounds = Number(process.env.INGEST_ROUNDS) || 5,
  rowsPerRound = Number(process.env.INGEST_ROWS) || 10_000,
  growRounds = Number(process.env.INGEST_GROW_ROUNDS) || 10,
  growRows = Number(process.env.INGEST_GROW_ROWS) || 20_000,
} = {}) {
  const db = await start();
  const results = { ingest2000: [], ingest100: [], bare2000: [] };
  try {
    for (let r = 1; r <= rounds; r++) {
      results.bare2000.push(await db.time("/bare", rowsPerRound, 2000));
      results.ingest2000.push(await db.time("/ingest", rowsPerRound, 2000));
      results.ingest100.push(await db.time("/ingest", rowsPerRound, 100));
    }
  } finally {
    await db.stop();
  }
  const big = median(results.ingest2000);
  const small = median(results.ingest100);
  const bare = median(results.bare2000);
  // The same rows with random ids, into a table that grows as a long benchmark's does.
  const timed = await growing("time", growRounds, growRows);
  const random = await growing("random", growRounds, growRows);
  const total = (growRounds * growRows).toLocaleString("en-US");
  const ends = (xs) => `${fmt(xs[0], 1)} → ${fmt(xs.at(-1), 1)} µs/row`;
  return [
    `ingest: ${Math.round(1e6 / big)} hops/s per consumer (${fmt(big, 1)} µs/row, batches of 2,000 rows), ${fmt(big / bare)}× a bare insert of the same rows (${fmt(bare, 1)} µs/row, no index, no trigger)`,
    `ingest: batches of 100 rows ${fmt(small, 1)} µs/row (${fmt(small / big)}× the cost per row of 2,000-row batches: the per-batch round trip)`,
    `ingest: as the table grows to ${total} rows: time-ordered ids ${ends(timed)}; random ids ${ends(random)} (last round ${fmt(random.at(-1) / timed.at(-1))}× time-ordered)`,
    `ingest: median of ${rounds} rounds × ${rowsPerRound} rows; growth in ${growRounds} rounds × ${growRows}; workerd (Miniflare) with local D1, migrations applied`,
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await run()) console.log(line);
}
