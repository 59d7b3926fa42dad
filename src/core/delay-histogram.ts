/**
 * Delays (scan → app open) as a mergeable histogram with log-spaced buckets: bucket k holds
 * the delays from 1.1^k ms up to 1.1^(k+1) ms, so the median read back from merged rollups is
 * within ~5 % of the true one, from a few counters per rollup row instead of a row per scan.
 * Stored as a sparse JSON object `{bucket: count}`; D1 merges two by adding counts per bucket.
 * The migration that rebuilt rollups from raw hops (0007) builds the same boundaries in SQL by
 * repeated multiplication, which is why {@link BOUNDARIES} is built that way too.
 */

/** Bucket boundaries in ms: 1, 1.1, 1.21, … up to past 30 days. */
const GROWTH = 1.1;
const BOUNDARIES: number[] = [];
for (let v = 1; v < 40 * 86_400_000; v *= GROWTH) BOUNDARIES.push(v);

/** A sparse histogram: bucket (decimal string) → count. */
export type Histogram = Record<string, number>;

/**
 * The bucket of a delay in ms (delays under 1 ms share bucket 0).
 *
 * @example
 * delayBucket(0) // 0
 * delayBucket(1000) // 72 (1.1^72 ≈ 955 ≤ 1000 < 1.1^73 ≈ 1051)
 */
export function delayBucket(ms: number): number {
  if (!(ms >= 1)) return 0;
  let lo = 0;
  let hi = BOUNDARIES.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (BOUNDARIES[mid]! <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Count a delay into a histogram (in place); returns the histogram.
 *
 * @example
 * addDelay({}, 1000) // { "72": 1 }
 */
export function addDelay(h: Histogram, ms: number): Histogram {
  const key = String(delayBucket(ms));
  h[key] = (h[key] ?? 0) + 1;
  return h;
}

/**
 * Add `from` into `into` (in place).
 *
 * @example
 * mergeHistograms({ "3": 1 }, { "3": 2, "9": 1 }) // { "3": 3, "9": 1 }
 */
export function mergeHistograms(into: Histogram, from: Histogram): Histogram {
  for (const [key, n] of Object.entries(from)) {
    if (typeof n === "number") into[key] = (into[key] ?? 0) + n;
  }
  return into;
}

/**
 * How many delays a histogram holds.
 *
 * @example
 * histogramCount({ "3": 2, "9": 1 }) // 3
 */
export function histogramCount(h: Histogram): number {
  let n = 0;
  for (const c of Object.values(h)) n += c;
  return n;
}

/**
 * The median delay in ms, as the geometric middle of the bucket holding the middle delay (the
 * lower of the two middles of an even count): within 5 % of it for delays of a second or more;
 * null when empty.
 *
 * @example
 * histogramMedian({ "72": 3 }) // 1003
 */
export function histogramMedian(h: Histogram): number | null {
  const entries = Object.entries(h)
    .map(([k, n]) => [Number(k), n] as const)
    .filter(([k, n]) => Number.isInteger(k) && k >= 0 && k < BOUNDARIES.length && n > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const middle = Math.ceil(total / 2); // the lower middle of an even count
  let seen = 0;
  for (const [k, n] of entries) {
    seen += n;
    if (seen >= middle) return Math.round(BOUNDARIES[k]! * Math.sqrt(GROWTH));
  }
  return null;
}
