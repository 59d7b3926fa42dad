/**
 * Hops → rollup deltas, pure. The funnel is answered from daily rollup rows (one per day ×
 * kind × store × campaign × poster × platform × in-app browser, table `hop_rollups`), each
 * holding three mergeable values:
 *
 * - `counts`: hop name → count, e.g. `{"scanned": 3, "landing": 3, "app_open": 1,
 *   "app_open~direct": 1}`. Bots count under `bot.<hop>` and never as people; a hop that says
 *   how the app was reached (`detail.via`) also counts under `<hop>~<via>`.
 * - `scanners`: a unique-scanner sketch (core/hll.ts) of human `scanned` hops' IP hashes.
 * - `delays`: a histogram (core/delay-histogram.ts) of scan → app open for app opens reached
 *   through the landing page (`via: "page"`), from the hop's `ms_since_created` (the writer
 *   sets the subject's creation to the time of the scan for these hops).
 *
 * A consumer batch becomes one delta per key, so a batch of many scans of few posters writes
 * few rows. Hops with a deterministic event id (`ev_…`, app events that count once per
 * session) are kept apart, one delta each, because only the store knows whether such an event
 * was already counted (store/hop-rollups.ts).
 */
import { addDelay, type Histogram } from "./delay-histogram";
import { addToSketch, type Sketch } from "./hll";
import type { HopRow } from "./hop-row";

/** The dimensions of a rollup row ('' where the hop has none). */
export interface RollupKey {
  day: string;
  kind: string;
  store_id: string;
  campaign_id: string;
  poster_id: string;
  platform: string;
  in_app: string;
}

/** What one batch adds to one rollup row. */
export interface RollupDelta extends RollupKey {
  counts: Record<string, number>;
  scanners: Sketch;
  delays: Histogram;
  /** The event id when this delta counts only if that event was not counted before. */
  once: string | null;
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
] as const;
const VIAS = new Set<string>(VIA_VALUES);

/** Event ids made by `appEventId` (core/attribution.ts): the same event always has the same id. */
export const ONCE_EVENT_PREFIX = "ev_";

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
 * countKeysOf({ ...row, hop: "app_open", bot: 0, detail: '{"via":"direct"}' }) // ["app_open", "app_open~direct"]
 * countKeysOf({ ...row, hop: "previewed", bot: 1 }) // ["bot.previewed"]
 */
export function countKeysOf(row: Pick<HopRow, "hop" | "bot" | "detail">): string[] {
  if (row.bot) return [`bot.${row.hop}`];
  const via = viaOf(row.detail);
  return via ? [row.hop, `${row.hop}~${via}`] : [row.hop];
}

/**
 * The rollup key of a hop.
 *
 * @example
 * rollupKeyOf(row) // { day: "2026-12-06", kind: "poster", store_id: "st_…", …, in_app: "" }
 */
export function rollupKeyOf(row: HopRow): RollupKey {
  return {
    day: row.day,
    kind: row.kind,
    store_id: row.store_id ?? "",
    campaign_id: row.campaign_id ?? "",
    poster_id: row.poster_id ?? "",
    platform: row.platform ?? "",
    in_app: row.in_app ?? "",
  };
}

function addRow(delta: RollupDelta, row: HopRow): void {
  for (const key of countKeysOf(row)) delta.counts[key] = (delta.counts[key] ?? 0) + 1;
  if (row.bot) return;
  if (row.hop === "scanned" && row.ip_hash) addToSketch(delta.scanners, row.ip_hash);
  if (row.hop === "app_open" && row.ms_since_created !== null && viaOf(row.detail) === "page")
    addDelay(delta.delays, row.ms_since_created);
}

/**
 * Fold rows into rollup deltas: one per key, plus one per once-only event.
 *
 * @example
 * const deltas = rollupDeltas(rows); // 100 scans of 3 posters → 3 deltas
 */
export function rollupDeltas(rows: readonly HopRow[]): RollupDelta[] {
  const byKey = new Map<string, RollupDelta>();
  const once: RollupDelta[] = [];
  for (const row of rows) {
    const key = rollupKeyOf(row);
    if (row.event_id.startsWith(ONCE_EVENT_PREFIX)) {
      const delta = { ...key, counts: {}, scanners: {}, delays: {}, once: row.event_id };
      addRow(delta, row);
      once.push(delta);
      continue;
    }
    const id = JSON.stringify(Object.values(key));
    let delta = byKey.get(id);
    if (!delta) {
      delta = { ...key, counts: {}, scanners: {}, delays: {}, once: null };
      byKey.set(id, delta);
    }
    addRow(delta, row);
  }
  return [...byKey.values(), ...once];
}
