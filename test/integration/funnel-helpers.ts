// Reading the funnel through the HTTP API (GET /v1/stats/funnel), as a business would, once the
// hops a test caused have travelled through the queue.
import type { StageCounts } from "../../src/core/funnel";
import type { FunnelFigures, FunnelResult } from "../../src/store/stats";
import { call, mintKey } from "./helpers";
import { eventually } from "./hop-helpers";

let statsKey: Promise<string> | null = null;

/** The funnel of one poster from yesterday to tomorrow (UTC), optionally grouped. */
export async function posterFunnel(posterId: string, groupBy?: string): Promise<FunnelResult> {
  statsKey ??= mintKey("secret", ["stats:read"]);
  const day = (offset: number) =>
    new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const query = new URLSearchParams({ from: day(-1), to: day(1), poster_id: posterId });
  if (groupBy) query.set("group_by", groupBy);
  const res = await call(`/v1/stats/funnel?${query}`, { key: await statsKey });
  if (res.status !== 200) throw new Error(`funnel: ${res.status} ${await res.text()}`);
  return (await res.json()) as FunnelResult;
}

/**
 * The poster's funnel once `ready(totals)` holds (hops arrive through a queue), through the one
 * polling helper.
 */
export function waitForFunnel(
  posterId: string,
  ready: (totals: FunnelFigures) => boolean,
  groupBy?: string,
): Promise<FunnelResult> {
  return eventually(async () => {
    const f = await posterFunnel(posterId, groupBy);
    return ready(f.totals) && f;
  }, `the funnel of ${posterId}`);
}

/**
 * A {@link waitForFunnel} condition: every stage named has reached its figure. Name each stage the
 * test then checks, not only the last one it caused: a scan from a client address sends its hops
 * only once that address is hashed (with the day's salt, read from D1 on the day's first scan in
 * an isolate), so an app event sent after the scan may reach the queue, and be counted, first.
 *
 * @example
 * const f = await waitForFunnel(p.id, reached({ scanned: 1, app_open: 1 }));
 */
export const reached =
  (want: Partial<StageCounts>) =>
  (t: FunnelFigures): boolean =>
    Object.entries(want).every(([stage, n]) => t[stage as keyof StageCounts] >= (n ?? 0));

/** scanned, landing, app_open, converted of a row or the totals. */
export const stages = (f: FunnelFigures) => [f.scanned, f.landing, f.app_open, f.converted];
