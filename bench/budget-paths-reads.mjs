// The reads the budget bench measures (bench/budget-paths.mjs has the requests of people, apps
// and pages): a business reading its funnel, by an unrestricted key and a store's, with and
// without the freshness block, and which posters went quiet. Each comes after the paths whose
// traffic made the rollups it reads.
import { ok } from "./budget-seed.mjs";

export const READ_PATHS = [
  {
    // A marketer's read: the default 30 days by day, over the rollups the earlier paths made.
    name: "funnel GET /v1/stats/funnel (secret key cached)",
    async prepare(s, n) {
      await s.cacheKeys();
      return Array(n).fill(s.secret);
    },
    request: (key) => ["/v1/stats/funnel", { key }],
    status: 200,
  },
  {
    // The same read without the freshness block, as the console's funnel page makes all but one
    // of its funnel calls: the difference to the path above is what `freshness=none` saves.
    name: "funnel GET /v1/stats/funnel?freshness=none (secret key cached)",
    async prepare(s, n) {
      await s.cacheKeys();
      return Array(n).fill(s.secret);
    },
    request: (key) => ["/v1/stats/funnel?freshness=none", { key }],
    status: 200,
  },
  {
    // The same read by a store manager's key: held to its store, so the store's poster rows by
    // day (store/rollup-reader.ts), not the totals by day.
    name: "funnel GET /v1/stats/funnel (store key cached)",
    async prepare(s, n, w) {
      await s.cacheKeys();
      await ok(w.send("/v1/stats/funnel", { key: s.storeKey }), 200, "store key");
      return Array(n).fill(s.storeKey);
    },
    request: (key) => ["/v1/stats/funnel", { key }],
    status: 200,
  },
  {
    // Which posters went quiet, over 2,000 posters × 35 days of rollups (bench/budget-worker.ts
    // seeds them once): rows read follow posters × days, never scans (docs/performance.md).
    name: "quiet posters GET /v1/stats/quiet-posters (2,000 posters × 35 days)",
    async prepare(s, n, w) {
      s.quietSeeded ??= await ok(w.send("/__bench/quiet-posters"), 200, "quiet posters seed");
      await s.cacheKeys();
      return Array(n).fill(s.secret);
    },
    request: (key) => ["/v1/stats/quiet-posters", { key }],
    status: 200,
    body: /"count":1000\b/,
  },
];
