// The store bench seeds a year of rollups (bench/store-worker.ts `/seed`) without the queue: a
// whole day's deltas in chunks of at most so many bytes, the day's totals folded at once
// (bench/seed-chunks.ts). Its funnel figures stand for the consumer's only if the rows are the
// ones the consumer writes, batch after batch, whatever the chunks. (This file's name puts it on
// fresh storage: it reads every rollup row of its days.)
import { describe, expect, it } from "vitest";
import { seedRollupBatches } from "../../bench/seed-chunks";
import { dayOfTraffic } from "../../bench/traffic";
import { rollupDeltas } from "../../src/core/rollup";
import { rollupStatements } from "../../src/store/hop-rollups";
import { testEnv } from "./hop-helpers";

const db = testEnv.DB;

async function claim(id: string) {
  const batch = { at: 1_750_000_000_000, id };
  await db
    .prepare("INSERT INTO hop_batches (at, id, messages) VALUES (?, ?, '[]')")
    .bind(batch.at, batch.id)
    .run();
  return batch;
}

/** A day's rollup rows, day left out, their JSON maps parsed (key order is the SQL merge's). */
async function rowsOf(day: string) {
  const maps = new Set(["counts", "scanners", "delays"]);
  const out: Record<string, string[]> = {};
  for (const table of ["hop_rollups", "hop_rollups_total"]) {
    const { results } = await db
      .prepare(`SELECT * FROM ${table} WHERE day = ?`)
      .bind(day)
      .all<Record<string, unknown>>();
    out[table] = results
      .map((row) => {
        const entries = Object.entries(row)
          .filter(([column]) => column !== "day")
          .map(([column, v]) => [
            column,
            maps.has(column) ? Object.entries(JSON.parse(String(v))).sort() : v,
          ]);
        return JSON.stringify(entries);
      })
      .sort();
  }
  return out;
}

describe("the store bench's seeder", () => {
  it("writes the rows the consumer writes batch by batch, however it chunks the day", async () => {
    const messages = dayOfTraffic("2025-06-01", 2_000, 5);
    // The consumer: batches of 100 messages, each its deltas, poster rows and totals.
    for (let i = 0; i < messages.length; i += 100) {
      const rows = messages.slice(i, i + 100).flatMap((m) => m.rows);
      const batch = await claim(`consumer-${i}`);
      await db.batch(rollupStatements(db, batch, rollupDeltas(rows)));
    }
    // The seeder: the same hops a day later, in chunks of at most 100,000 bytes.
    const later = messages
      .flatMap((m) => m.rows)
      .map((r) => ({ ...r, day: "2025-06-02", at: r.at + 86_400_000 }));
    const groups = seedRollupBatches(db, await claim("seed"), rollupDeltas(later), 100_000);
    expect(groups.length).toBeGreaterThan(3);
    for (const group of groups) await db.batch(group);

    const consumer = await rowsOf("2025-06-01");
    expect(consumer.hop_rollups!.length).toBeGreaterThan(100);
    expect(consumer.hop_rollups_total).toHaveLength(1); // kind poster
    expect(await rowsOf("2025-06-02")).toEqual(consumer);
  });
});
