/**
 * The traffic the store bench feeds the real queue consumer: a day of poster scans shaped like
 * a real funnel, deterministic from a seed.
 *
 * - POSTERS posters in STORES stores and CAMPAIGNS campaigns; each scan picks a poster by a
 *   Zipf law (s = 1.1): a few posters take most scans, most posters get a few (the long tail).
 * - Platforms: iOS 55 %, Android 40 %, desktop 3 %, other 2 %; in-app browsers: none 85 %,
 *   WeChat 5 %, Instagram 4 %, Facebook 3 %, LINE 3 %.
 * - A person's scan: 80 % through the landing page (one request: `scanned` + `landing`), of
 *   whom 45 % then open the app (`app_open`, a request of its own); 20 % open the app straight
 *   from the QR (one request: `scanned` + `app_open`). 30 % of app openers convert (a request).
 * - Beside them, one bot preview per 10 person scans and one forged code per 50.
 * - Scanners come from a pool of 0.8 × the day's scans (some people scan twice).
 *
 * - The app sends a claim with every resolve (as src/client/app.ts does). Its rows are the same
 *   either way, unless the deployment counts a retried resolve's scan once
 *   (`QB_POSTER_CLAIMED_RESOLVES`, `claimedResolves` here): then the scan of a person who opened
 *   the app straight from the QR carries a once-only id too, as its `app_open` always does.
 *
 * Every request is one queue message `{t: "hops", rows}`, as the Worker sends it.
 */
import { buildHop, type HopInput, type HopRow } from "../src/store/hops";

export const POSTERS = 2_000;
export const STORES = 200;
export const CAMPAIGNS = 20;

/** A message as the consumer gets it (before the runtime wraps it). */
export interface TrafficMessage {
  id: string;
  at: number;
  rows: HopRow[];
}

/** mulberry32: a small, fast, seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const zipf = (() => {
  const cdf: number[] = [];
  let sum = 0;
  for (let r = 1; r <= POSTERS; r++) {
    sum += 1 / r ** 1.1;
    cdf.push(sum);
  }
  return cdf.map((c) => c / sum);
})();

function pick<T>(rand: number, table: readonly [T, number][]): T {
  let acc = 0;
  for (const [value, p] of table) {
    acc += p;
    if (rand < acc) return value;
  }
  return table[table.length - 1]![0];
}

const PLATFORMS: [string, number][] = [
  ["ios", 0.55],
  ["android", 0.4],
  ["desktop", 0.03],
  ["other", 0.02],
];
const IN_APP: [string | null, number][] = [
  [null, 0.85],
  ["wechat", 0.05],
  ["instagram", 0.04],
  ["facebook", 0.03],
  ["line", 0.03],
];

function posterOf(rand: number) {
  let lo = 0;
  let hi = POSTERS - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (zipf[mid]! < rand) lo = mid + 1;
    else hi = mid;
  }
  const id = `P${String(lo).padStart(5, "0")}`;
  return {
    subject_id: id,
    poster_id: id,
    store_id: `st_${lo % STORES}`,
    campaign_id: lo % 3 === 0 ? null : `cp_${lo % CAMPAIGNS}`,
  };
}

function ipHash(n: number, day: string): string {
  let h = 0x9e3779b97f4a7c15n ^ BigInt(n) ^ (BigInt(Date.parse(day)) << 8n);
  const mask = 0xffffffffffffffffn;
  h = ((h ^ (h >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
  h = ((h ^ (h >> 27n)) * 0x94d049bb133111ebn) & mask;
  return (h ^ (h >> 31n)).toString(16).padStart(16, "0");
}

/**
 * A day of traffic with `scans` person scans, in time order, as queue messages. With
 * `scansOnly`, only the scan requests (no app opens, conversions, bots or forged codes): what a
 * person's poster scan costs by itself; with `claimedResolves`, as a deployment that counts a
 * retried resolve's scan once records a scan straight into the app.
 *
 * @example
 * const messages = dayOfTraffic("2026-12-06", 10_000, 1);
 */
export function dayOfTraffic(
  day: string,
  scans: number,
  seed: number,
  opts: { scansOnly?: boolean; claimedResolves?: boolean } = {},
): TrafficMessage[] {
  const rand = prng(seed);
  const start = Date.parse(`${day}T00:00:00Z`);
  const end = start + 86_400_000 - 120_000; // the last app opens still fall on the day
  const out: TrafficMessage[] = [];
  let n = 0;
  const message = (at: number, inputs: HopInput[], ip?: string): void => {
    const rows = inputs.map((input) => buildHop(input, null, at));
    if (ip) rows[0]!.ip_hash = ip;
    out.push({ id: `m${seed}-${n++}`, at, rows });
  };
  const pool = Math.max(1, Math.floor(scans * 0.8));
  const directScan = (i: number) =>
    opts.claimedResolves ? { event_id: `ev_scan_${seed}_${i}` } : {};
  for (let i = 0; i < scans; i++) {
    const at = start + Math.floor(rand() * (end - start));
    const poster = { kind: "poster" as const, ...posterOf(rand()) };
    const device = { platform: pick(rand(), PLATFORMS), in_app: pick(rand(), IN_APP) };
    const session = `${poster.poster_id}${i}`;
    const facts = { ...poster, ...device, session_id: session };
    const ip = ipHash(Math.floor(rand() * pool), day);
    let openedAt: number | null = null;
    if (opts.scansOnly) {
      const via = rand() < 0.8 ? "page" : "app";
      message(
        at,
        [
          { ...facts, hop: "scanned", detail: { via }, ...(via === "app" ? directScan(i) : {}) },
          { ...facts, hop: via === "page" ? "landing" : "app_open" },
        ],
        ip,
      );
      continue;
    }
    if (rand() < 0.8) {
      message(
        at,
        [
          { ...facts, hop: "scanned", detail: { via: "page" } },
          { ...facts, hop: "landing" },
        ],
        ip,
      );
      if (rand() < 0.45) {
        openedAt = at + 1_000 + Math.floor(rand() * 60_000);
        const app = { ...facts, hop: "app_open" as const, created_at: at, detail: { via: "page" } };
        message(openedAt, [{ ...app, event_id: `ev_open_${seed}_${i}` }]);
      }
    } else {
      openedAt = at;
      const app = { ...facts, hop: "app_open" as const, detail: { via: "direct" } };
      message(
        at,
        [
          { ...facts, hop: "scanned", detail: { via: "app" }, ...directScan(i) },
          { ...app, event_id: `ev_open_${seed}_${i}` },
        ],
        ip,
      );
    }
    if (openedAt !== null && rand() < 0.3) {
      const converted = { ...facts, hop: "converted" as const, event_id: `ev_conv_${seed}_${i}` };
      message(openedAt + 30_000, [{ ...converted, detail: { value: 25 } }]);
    }
    if (i % 10 === 9)
      message(at + 7, [{ ...facts, hop: "previewed", bot: true, session_id: null }]);
    if (i % 50 === 49)
      message(at + 11, [{ kind: "poster", subject_id: "invalid", hop: "rejected", ...device }]);
  }
  return out.sort((a, b) => a.at - b.at);
}
