/**
 * How the store bench's seeder (bench/store-worker.ts `/seed`) splits a day's rollup deltas into
 * upserts. The consumer binds one batch's deltas (≤ 100 messages, a few hundred hops) as one
 * JSON value; the seeder folds a whole day at once, and at 50 M hops a year a fixed 500 deltas
 * made a 3 MB value, past D1's 2,000,000 bytes per string (`SQLITE_TOOBIG` in workerd too). So
 * the deltas go in chunks by the bytes they bind: the same deltas, in order, each once, into the
 * same upserts, whose merge (counts and histograms summed, sketches maxed) does not depend on
 * how the deltas are grouped (test/integration/rollup-seed-chunks.test.ts).
 */
import { type RollupDelta, totalDeltas } from "../src/core/rollup";
import { deltasJson, posterRollupStatements, totalRollupStatement } from "../src/store/hop-rollups";

/** D1's maximum string, BLOB or row size is 2,000,000 bytes; half leaves room for the merge. */
export const SEED_CHUNK_BYTES = 1_000_000;

const utf8 = new TextEncoder();
const bytesOf = (s: string) => utf8.encode(s).length;

/**
 * The deltas in consecutive chunks whose `deltasJson` takes at most `maxBytes` UTF-8 bytes; a
 * chunk is closed only when the next delta would not fit. A delta bigger than `maxBytes` on its
 * own is refused: no chunking could bind it.
 *
 * @example
 * chunkDeltasByBytes(rollupDeltas(rows)) // [[…412 deltas], [… 980], …], each ≤ 1 MB bound
 */
export function chunkDeltasByBytes(
  deltas: readonly RollupDelta[],
  maxBytes = SEED_CHUNK_BYTES,
): RollupDelta[][] {
  const chunks: RollupDelta[][] = [];
  let chunk: RollupDelta[] = [];
  let bytes = 2; // "[" and "]"
  for (const d of deltas) {
    const item = bytesOf(deltasJson([d])) - 2;
    if (item + 2 > maxBytes)
      throw new Error(`a rollup delta of ${item + 2} bytes is over ${maxBytes} on its own`);
    if (chunk.length > 0 && bytes + 1 + item > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = 2;
    }
    bytes += chunk.length === 0 ? item : item + 1; // a comma before every item but the first
    chunk.push(d);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/**
 * A claimed batch's rollup statements for a whole day's deltas, as groups to run one
 * `DB.batch()` each: the statements of the consumer's `rollupStatements`, the poster rows' in
 * chunks of at most `maxBytes`, and the day's totals folded over all the deltas at once. Merged
 * chunk by chunk in SQL, a day's total sketches (tens of thousands of keys at 50 M hops a year)
 * took 80 % of the seeding: the merge looks every incoming key up in the stored map (SQL in
 * store/hop-rollups.ts `mergedJson`), keys in × keys stored.
 *
 * @example
 * for (const group of seedRollupBatches(db, batch, rollupDeltas(rows))) await db.batch(group);
 */
export function seedRollupBatches(
  db: D1Database,
  batch: { at: number; id: string },
  deltas: readonly RollupDelta[],
  maxBytes = SEED_CHUNK_BYTES,
): D1PreparedStatement[][] {
  return [
    ...chunkDeltasByBytes(deltas, maxBytes).map((chunk) =>
      posterRollupStatements(db, batch, chunk),
    ),
    ...chunkDeltasByBytes(totalDeltas(deltas), maxBytes).map((totals) => [
      totalRollupStatement(db, batch, totals),
    ]),
  ];
}
