/**
 * The funnel as the API and the dashboard answer it: the range checked and defaulted, the
 * grouping defaulted, the rollups read (store/stats.ts), and how current they are
 * (store/funnel-freshness.ts).
 */
import { resolveRange } from "../core/day-range";
import type { Env } from "../env";
import { type FunnelFreshness, funnelFreshness } from "./funnel-freshness";
import { type FunnelResult, funnel, type GroupBy } from "./stats";
import { filteredDayZone, zonesInUse } from "./store-zones";

/** A funnel query as the API takes it (every field optional). */
export interface FunnelReportQuery {
  from?: string;
  to?: string;
  group_by?: GroupBy;
  limit?: number;
  store_id?: string;
  campaign_id?: string;
  poster_id?: string;
  source?: "handoff" | "poster" | "login";
}

/**
 * Run a funnel query as the API shapes it. Rows are filed by each hop's local day (its poster's
 * store's zone, else `timeZone`, the reporting time zone). Filtered to one store or one poster,
 * its default range and "today" are that store's (the poster's store's) zone's, named in the
 * answer's `time_zone`; otherwise `timeZone`'s, and `time_zones` lists every zone in use (the
 * deployment's first). One small read either way. `freshness: false` (a store key) leaves the freshness block
 * out (null): every figure of it is the whole deployment's traffic.
 *
 * @example
 * return c.json(await funnelReport(c.env, c.req.valid("query"), { timeZone: "Asia/Tokyo" }), 200);
 */
export async function funnelReport(
  env: Pick<Env, "DB" | "HOP_ARCHIVE">,
  q: FunnelReportQuery,
  {
    freshness: withFreshness = true,
    timeZone = "UTC",
  }: { freshness?: boolean; timeZone?: string } = {},
): Promise<
  FunnelResult & {
    from: string;
    to: string;
    time_zone: string;
    time_zones: string[];
    group_by: GroupBy;
    freshness: FunnelFreshness | null;
  }
> {
  const own = await filteredDayZone(env.DB, q, timeZone);
  const zones = own === null ? await zonesInUse(env.DB, timeZone) : [own];
  const zone = zones[0]!;
  const range = resolveRange(q.from, q.to, Date.now(), zone);
  const groupBy = q.group_by ?? "day";
  const [result, freshness] = await Promise.all([
    funnel(env.DB, {
      ...range,
      groupBy,
      limit: q.limit ?? 100,
      store_id: q.store_id,
      campaign_id: q.campaign_id,
      poster_id: q.poster_id,
      source: q.source,
    }),
    withFreshness ? funnelFreshness(env.DB, env.HOP_ARCHIVE) : null,
  ]);
  return { ...range, time_zone: zone, time_zones: zones, group_by: groupBy, ...result, freshness };
}
