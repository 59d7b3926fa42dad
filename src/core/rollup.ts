/**
 * Hops → rollup deltas, pure. The funnel is answered from rollup rows keyed by day (or month)
 * × kind × store × campaign × poster — one row per poster and day, however many scans — and,
 * for questions that name no store, campaign or poster, by day × kind alone. Platform and
 * in-app browser are folded into each row's values instead of multiplying its rows; a row
 * holds three mergeable JSON maps:
 *
 * - `counts`: `{hop: n}` with variants `hop@p:<platform>`, `hop@i:<in-app browser>`,
 *   `hop~<via>` (how the app was reached, from `detail.via`) and `hop~<via>@p:…`/`@i:…`. Bots
 *   count only as `bot.<hop>`. A person's `converted` hop with a value also adds it, in
 *   hundredths, to `converted$<currency>` (and its `@p:`/`@i:` variants): core/conversion-value.ts.
 *   The SQL merge and the month fold sum every key and readers skip the keys they do not ask
 *   for, so values go wherever counts go. A person's scan refused because its poster is
 *   inactive also adds `refused:<reason>` (and its `@p:`/`@i:` variants): the plain `rejected`
 *   of the day × kind totals also holds forged codes, which name no poster.
 * - `scanners`: unique-scanner sketches (core/hll.ts) of human scans' IP hashes, one per
 *   platform, one per in-app browser and one per way the scan came (`detail.via`: `page`,
 *   `app`, `same_device`): keys `p:<platform>:<register>`, `i:<in-app>:<register>` and
 *   `v:<via>:<register>`.
 *   The sketch of all scanners is the register-wise max of the platform sketches (every scan
 *   has exactly one platform, maybe '').
 * - `delays`: a histogram (core/delay-histogram.ts) of landing-page scan → app open, from the
 *   app open's `ms_since_created` (the writer sets the subject's creation to the scan): keys
 *   `<bucket>`, `p:<platform>:<bucket>`, `i:<in-app>:<bucket>`.
 *
 * Hops with a deterministic event id (`ev_…`, app events that count once) fold in like any
 * other: the store drops those it counted before it folds (store/hop-ingest.ts).
 */
import { conversionValueOf, VALUE_PREFIX } from "./conversion-value";
import { delayBucket } from "./delay-histogram";
import { sketchEntry } from "./hll";
import type { HopRow } from "./hop-row";

/** The dimensions of a rollup row ('' where the hop has none). */
export interface RollupKey {
  day: string;
  kind: string;
  store_id: string;
  campaign_id: string;
  poster_id: string;
}

/** A JSON map of a rollup row: key → count (or rank). */
export type RollupMap = Record<string, number>;

/** What one batch adds to one rollup row. */
export interface RollupDelta extends RollupKey {
  counts: RollupMap;
  scanners: RollupMap;
  delays: RollupMap;
}

/** How the app was reached, as recorded in `detail.via`; anything else counts as `other`. */
export const VIA_VALUES = [
  "page",
  "direct",
  "app",
  "scheme",
  "install_referrer",
  "smart_banner",
  "clipboard",
  "app_clip",
  "manual_code",
  "same_device",
] as const;
const VIAS = new Set<string>(VIA_VALUES);

/** Why a scan of a real poster is refused (core/attribution.ts `posterState`, not live). */
export const REFUSED_REASONS = ["paused", "revoked", "not_started", "ended"] as const;
// `detail` is the writer's JSON.stringify output (core/hop-row.ts): no spaces to allow for.
const REFUSED = new RegExp(`"reason":"(${REFUSED_REASONS.join("|")})"`);

/** Event ids made by `appEventId` (core/attribution.ts): the same event always has the same id. */
export const ONCE_EVENT_PREFIX = "ev_";

/**
 * The prefix of a folded dimension in the maps' keys.
 *
 * @example
 * dimensionPrefix("platform", "ios") // "p:ios"
 */
export function dimensionPrefix(dimension: "platform" | "in_app", value: string | null): string {
  return `${dimension === "platform" ? "p" : "i"}:${value ?? ""}`;
}

function viaOf(detail: string | null): string | null {
  if (!detail?.includes('"via"')) return null;
  try {
    const via = (JSON.parse(detail) as { via?: unknown }).via;
    if (typeof via !== "string") return null;
    return VIAS.has(via) ? via : "other";
  } catch {
    return null;
  }
}

/**
 * The `counts` keys a hop adds one to.
 *
 * @example
 * countKeysOf({ hop: "app_open", bot: 0, platform: "ios", in_app: null, detail: '{"via":"direct"}' })
 * // ["app_open", "app_open@p:ios", "app_open@i:", "app_open~direct", "app_open~direct@p:ios", "app_open~direct@i:"]
 */
export function countKeysOf(
  row: Pick<HopRow, "hop" | "bot" | "detail" | "platform" | "in_app">,
): string[] {
  if (row.bot) return [`bot.${row.hop}`];
  const dims = [dimensionPrefix("platform", row.platform), dimensionPrefix("in_app", row.in_app)];
  const via = viaOf(row.detail);
  const names = via ? [row.hop, `${row.hop}~${via}`] : [row.hop];
  return names.flatMap((name) => [name, ...dims.map((dim) => `${name}@${dim}`)]);
}

/**
 * The rollup key of a hop.
 *
 * @example
 * rollupKeyOf(row) // { day: "2026-12-06", kind: "poster", store_id: "st_…", campaign_id: "", poster_id: "7K2M9Q" }
 */
export function rollupKeyOf(row: HopRow): RollupKey {
  return {
    day: row.day,
    kind: row.kind,
    store_id: row.store_id ?? "",
    campaign_id: row.campaign_id ?? "",
    poster_id: row.poster_id ?? "",
  };
}

const bump = (map: RollupMap, key: string) => {
  map[key] = (map[key] ?? 0) + 1;
};

function addRow(delta: RollupDelta, row: HopRow): void {
  for (const key of countKeysOf(row)) bump(delta.counts, key);
  if (row.bot) return;
  const dims = [dimensionPrefix("platform", row.platform), dimensionPrefix("in_app", row.in_app)];
  // Only a poster that exists has a state: a forged or unknown code is on the '' poster row.
  const refused = row.hop === "rejected" && row.poster_id && REFUSED.exec(row.detail ?? "");
  if (refused)
    for (const k of ["", ...dims]) bump(delta.counts, `refused:${refused[1]}${k && "@"}${k}`);
  const entry = row.hop === "scanned" && row.ip_hash ? sketchEntry(row.ip_hash) : null;
  if (entry) {
    // A funnel by way in counts the scanners whose scan came that way, not the row's all.
    const via = viaOf(row.detail);
    for (const dim of via ? [...dims, `v:${via}`] : dims) {
      const key = `${dim}:${entry[0]}`;
      if ((delta.scanners[key] ?? 0) < entry[1]) delta.scanners[key] = entry[1];
    }
  }
  const value = conversionValueOf(row);
  if (value) {
    const key = `${VALUE_PREFIX}${value[0]}`;
    for (const k of [key, ...dims.map((dim) => `${key}@${dim}`)])
      delta.counts[k] = (delta.counts[k] ?? 0) + value[1];
  }
  if (row.hop === "app_open" && row.ms_since_created !== null && viaOf(row.detail) === "page") {
    const bucket = delayBucket(row.ms_since_created);
    bump(delta.delays, String(bucket));
    for (const dim of dims) bump(delta.delays, `${dim}:${bucket}`);
  }
}

function mergeMaps(into: RollupMap, from: RollupMap, merge: "sum" | "max"): void {
  for (const [key, v] of Object.entries(from)) {
    const old = into[key] ?? 0;
    into[key] = merge === "sum" ? old + v : Math.max(old, v);
  }
}

/**
 * Fold rows into rollup deltas: one per poster key.
 *
 * @example
 * const deltas = rollupDeltas(rows); // 100 scans of 3 posters → 3 deltas
 */
export function rollupDeltas(rows: readonly HopRow[]): RollupDelta[] {
  const byKey = new Map<string, RollupDelta>();
  for (const row of rows) {
    const key = rollupKeyOf(row);
    const id = JSON.stringify(Object.values(key));
    let delta = byKey.get(id);
    if (!delta) {
      delta = { ...key, counts: {}, scanners: {}, delays: {} };
      byKey.set(id, delta);
    }
    addRow(delta, row);
  }
  return [...byKey.values()];
}

/**
 * The same deltas for the day × kind totals: store, campaign and poster dropped, deltas of one
 * day and kind merged.
 *
 * @example
 * totalDeltas(rollupDeltas(rows)) // one delta per day and kind
 */
export function totalDeltas(deltas: readonly RollupDelta[]): RollupDelta[] {
  const byKey = new Map<string, RollupDelta>();
  for (const d of deltas) {
    const id = `${d.day}|${d.kind}`;
    let total = byKey.get(id);
    if (!total) {
      total = {
        day: d.day,
        kind: d.kind,
        store_id: "",
        campaign_id: "",
        poster_id: "",
        counts: {},
        scanners: {},
        delays: {},
      };
      byKey.set(id, total);
    }
    mergeRollup(total, d);
  }
  return [...byKey.values()];
}

/**
 * Merge the maps of one rollup row into another (as the store's SQL does on upsert).
 *
 * @example
 * mergeRollup(a, b) // a with b's counts and delays added, sketches maxed
 */
export function mergeRollup(
  into: Pick<RollupDelta, "counts" | "scanners" | "delays">,
  from: Pick<RollupDelta, "counts" | "scanners" | "delays">,
): void {
  mergeMaps(into.counts, from.counts, "sum");
  mergeMaps(into.scanners, from.scanners, "max");
  mergeMaps(into.delays, from.delays, "sum");
}
