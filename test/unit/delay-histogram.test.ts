import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDelay,
  delayBucket,
  type Histogram,
  histogramCount,
  histogramMedian,
  mergeHistograms,
} from "../../src/core/delay-histogram";

describe("delay histogram", () => {
  it("puts a delay in the bucket whose range holds it", () => {
    expect(delayBucket(0)).toBe(0);
    expect(delayBucket(1)).toBe(0);
    expect(delayBucket(1.1)).toBe(1);
    expect(delayBucket(1000)).toBe(72); // 1.1^72 ≈ 955 ≤ 1000 < 1.1^73 ≈ 1051
    expect(delayBucket(7 * 86_400_000)).toBeGreaterThan(delayBucket(86_400_000));
  });

  it("gives the median within 5 % of the exact one (delays of a second or more), merged from any split", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1000, max: 7 * 86_400_000 }), { minLength: 1, maxLength: 200 }),
        fc.nat(200),
        (delays, cut) => {
          const a: Histogram = {};
          const b: Histogram = {};
          delays.forEach((d, i) => {
            addDelay(i < cut ? a : b, d);
          });
          const merged = mergeHistograms(a, b);
          expect(histogramCount(merged)).toBe(delays.length);
          // Of an even count, the histogram answers with the lower middle's bucket.
          const sorted = [...delays].sort((x, y) => x - y);
          const lowerMiddle = sorted[Math.ceil(sorted.length / 2) - 1]!;
          const estimate = histogramMedian(merged)!;
          expect(Math.abs(estimate - lowerMiddle) / lowerMiddle).toBeLessThanOrEqual(0.05);
        },
      ),
    );
  });

  it("has no median when empty", () => {
    expect(histogramMedian({})).toBeNull();
  });
});
