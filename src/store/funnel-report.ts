/**
 * The funnel as the API and the dashboard answer it: the range checked and defaulted, the
 * grouping defaulted, the rollups read (store/stats.ts), and how current they are
 * (store/funnel-freshness.ts).
 */
import { resolveRange } from "../core/day-range";
import type { Env } from "../env";
import { type FunnelFreshness, funnelFreshness } from "./funnel-freshness";
import { type FunnelResult, funnel, type GroupBy } from "./stats";

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
 * Run a funnel query as the API shapes it. Its days are those of `timeZone` (the reporting
 * time zone, named in the answer). `freshness: false` (a store key) leaves the freshness block
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
    group_by: GroupBy;
    freshness: FunnelFreshness | null;
  }
> {
  const range = resolveRange(q.from, q.to, Date.now(), timeZone);
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
  return { ...range, time_zone: timeZone, group_by: groupBy, ...result, freshness };
}
