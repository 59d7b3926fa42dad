// The store bench's seeder binds a day's rollup deltas in chunks (bench/seed-chunks.ts): every
// delta exactly once and in order, no chunk past the bytes D1 binds. A fixed 500 deltas a chunk
// bound 3 MB at 50 M hops a year and workerd refused it (`SQLITE_TOOBIG`).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkDeltasByBytes, SEED_CHUNK_BYTES } from "../../bench/seed-chunks";
import { dayOfTraffic } from "../../bench/traffic";
import { type RollupDelta, rollupDeltas } from "../../src/core/rollup";
import { deltasJson } from "../../src/store/hop-rollups";

const bytes = (deltas: readonly RollupDelta[]) =>
  new TextEncoder().encode(deltasJson(deltas)).length;

/** A delta of poster `i` whose maps hold `keys` keys (some not ASCII: bytes, not characters). */
const delta = (i: number, keys: number): RollupDelta => ({
  day: "2025-06-01",
  kind: "poster",
  store_id: "s",
  campaign_id: "",
  poster_id: `P${i}`,
  counts: Object.fromEntries(Array.from({ length: keys }, (_, k) => [`scanned@i:微信${k}`, k + 1])),
  scanners: Object.fromEntries(Array.from({ length: keys }, (_, k) => [`p:ios:${k}`, 3])),
  delays: {},
});

describe("chunkDeltasByBytes", () => {
  it("keeps every delta once, in order, each chunk within the bytes, closed only when the next would not fit", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 60 }),
        fc.integer({ min: 3_000, max: 20_000 }),
        (sizes, max) => {
          const deltas = sizes.map((keys, i) => delta(i, keys));
          const chunks = chunkDeltasByBytes(deltas, max);
          expect(chunks.flat()).toEqual(deltas);
          expect(chunks.flat().every((d, i) => d === deltas[i])).toBe(true);
          for (const [i, chunk] of chunks.entries()) {
            expect(chunk.length).toBeGreaterThan(0);
            expect(bytes(chunk)).toBeLessThanOrEqual(max);
            const next = chunks[i + 1];
            if (next) expect(bytes([...chunk, next[0]!])).toBeGreaterThan(max);
          }
        },
      ),
    );
  });

  it("refuses a delta bigger than the bytes on its own, rather than bind it", () => {
    const big = delta(1, 400);
    expect(() => chunkDeltasByBytes([delta(0, 1), big], bytes([big]) - 1)).toThrow(/on its own/);
    expect(chunkDeltasByBytes([delta(0, 1), big], bytes([big]))).toEqual([[delta(0, 1)], [big]]);
  });

  it("binds a day of the bench's traffic at 50 M hops a year in values D1 accepts, where 500 deltas a chunk did not", () => {
    // 50 M hops / 365 days / 2.3 hops a scan: the seeder's volume that failed.
    const rows = dayOfTraffic("2025-06-01", 59_560, 1)
      .flatMap((m) => m.rows)
      .map((r) => ({ ...r, event_id: r.event_id.replace(/^ev_/, "") }));
    const deltas = rollupDeltas(rows);
    expect(bytes(deltas.slice(0, 500))).toBeGreaterThan(2_000_000); // D1's limit per string
    const chunks = chunkDeltasByBytes(deltas);
    expect(chunks.flat()).toHaveLength(deltas.length);
    for (const chunk of chunks) expect(bytes(chunk)).toBeLessThanOrEqual(SEED_CHUNK_BYTES);
  });
});
