import { serialize } from "node:v8";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { estimatedRowBytes } from "../../src/store/hop-outbox";
import { hopRowFixture } from "./hop-fixture";

// workerd serializes a queue message body with V8's ValueSerializer, as node:v8 does; the
// outbox packs messages by the estimate, so it must never be below what V8 writes.
const v8Bytes = (rows: HopRow[]) => serialize({ t: "hops", rows }).length;

const text = (max: number) =>
  fc.oneof(
    fc.string({ maxLength: max }),
    fc.string({ unit: "grapheme", maxLength: max }), // beyond Latin-1: two bytes a character
  );
const nullable = (max: number) => fc.option(text(max), { nil: null });

const arbitraryRow: fc.Arbitrary<HopRow> = fc
  .record({
    event_id: text(100),
    at: fc.double({ noNaN: true }),
    subject_id: text(200),
    store_id: nullable(200),
    campaign_id: nullable(200),
    poster_id: nullable(200),
    session_id: nullable(200),
    platform: nullable(200),
    in_app: nullable(200),
    country: nullable(200),
    colo: nullable(200),
    referrer_host: nullable(200),
    ip_hash: nullable(200),
    ms_since_created: fc.option(fc.integer(), { nil: null }),
    detail: nullable(2000),
  })
  .map((over) => hopRowFixture(over));

describe("estimatedRowBytes", () => {
  it("is at least what V8 writes for the row in a message, for any row", () => {
    fc.assert(
      fc.property(fc.array(arbitraryRow, { minLength: 1, maxLength: 5 }), (rows) => {
        const estimate = rows.reduce((sum, r) => sum + estimatedRowBytes(r), 0);
        expect(v8Bytes(rows)).toBeLessThanOrEqual(estimate);
      }),
      { numRuns: 300 },
    );
  });

  it("is not far above it for a typical scan row (about 1.5×, so messages stay well filled)", () => {
    const row = hopRowFixture({
      event_id: "0mgx3k2a1b2c3d4e5f6g7h8",
      session_id: "7K2M9Q1MNBE80M1ZC7X9",
      store_id: "st_8f2k1m3n4p5q6r7s8t9v",
      country: "CN",
      colo: "HKG",
      ip_hash: "9f86d081884c7d65",
      ms_since_created: 123_456_789,
      detail: '{"via":"page","browser":"safari","os":"ios"}',
    });
    const actual = v8Bytes([row]) - v8Bytes([]);
    expect(estimatedRowBytes(row)).toBeGreaterThanOrEqual(actual);
    expect(estimatedRowBytes(row)).toBeLessThan(actual * 2);
  });
});
