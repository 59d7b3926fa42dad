/**
 * The funnel as the API and the dashboard answer it: the range checked and defaulted, the
 * grouping defaulted, the rollups read (store/stats.ts).
 */
import { resolveRange } from "../core/day-range";
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
 * Run a funnel query as the API shapes it.
 *
 * @example
 * return c.json(await funnelReport(c.env.DB, c.req.valid("query")), 200);
 */
export async function funnelReport(
  db: D1Database,
  q: FunnelReportQuery,
): Promise<FunnelResult & { from: string; to: string; group_by: GroupBy }> {
  const range = resolveRange(q.from, q.to);
  const groupBy = q.group_by ?? "day";
  const result = await funnel(db, {
    ...range,
    groupBy,
    limit: q.limit ?? 100,
    store_id: q.store_id,
    campaign_id: q.campaign_id,
    poster_id: q.poster_id,
    source: q.source,
  });
  return { ...range, group_by: groupBy, ...result };
}
