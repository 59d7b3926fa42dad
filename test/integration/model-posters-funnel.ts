// The funnel check of test/integration/model-posters.test.ts: a run's hops through the Worker's
// own queue consumer, then `GET /v1/stats/funnel?group_by=poster` for each of its posters equals
// the model's counts (people's stages and refused scans by reason; bots and previewers none).
import { expect } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { atClock } from "./helpers";
import { hopMessages, runQueue } from "./hop-helpers";
import type { MHop } from "./model-posters-model";
import { apiRequest } from "./model-posters-ops";

const STAGES = ["scanned", "landing", "app_open", "converted"] as const;
const REASONS = ["paused", "revoked", "not_started", "ended"] as const;

/** What the funnel should say of one poster, from the model's hops (once-only ids once). */
export function modelFunnel(hops: MHop[], poster: string) {
  const seen = new Set<string>();
  const people = hops.filter((h) => {
    if (h.subject !== poster || h.bot) return false;
    if (h.once === undefined) return true;
    if (seen.has(h.once)) return false;
    seen.add(h.once);
    return true;
  });
  const count = (hop: string, reason?: string) =>
    people.filter((h) => h.hop === hop && (reason === undefined || h.reason === reason)).length;
  return {
    ...Object.fromEntries(STAGES.map((s) => [s, count(s)])),
    refused_by_reason: Object.fromEntries(REASONS.map((r) => [r, count("rejected", r)])),
  };
}

/**
 * Ingest `rows` through the queue handler, each at its time, then read each poster's funnel at
 * `now` over `days`
 * (`[from, to]`, wide enough for every store's local days) and compare.
 */
export async function checkFunnel(
  rows: HopRow[],
  hops: MHop[],
  posters: string[],
  days: [string, string],
  now: number,
  send: (r: Request) => Promise<Response>,
  statsKey: string,
  log: string,
): Promise<void> {
  // Each hop counted at the time it was sent, as the queue delivers within seconds: a once-only
  // event that reaches the consumer a week late is set aside (ONCE_LATE_MS), not counted.
  for (const at of [...new Set(rows.map((r) => r.at))].sort((a, b) => a - b)) {
    const sent = rows.filter((r) => r.at === at);
    const result = await atClock(at, () => runQueue("qrbridge-hops", hopMessages(sent)));
    expect(result.retryMessages, log).toEqual([]);
  }
  for (const id of posters) {
    const query = `group_by=poster&poster_id=${id}&from=${days[0]}&to=${days[1]}&freshness=none`;
    const res = await atClock(now, () =>
      send(apiRequest("GET", `/v1/stats/funnel?${query}`, undefined, statsKey)),
    );
    const body = (await res.json()) as { rows: Record<string, unknown>[] };
    expect(res.status, JSON.stringify(body)).toBe(200);
    const want = modelFunnel(hops, id);
    const row = body.rows.find((r) => r.group === id);
    const got = row
      ? {
          ...Object.fromEntries(STAGES.map((s) => [s, row[s]])),
          refused_by_reason: row.refused_by_reason,
        }
      : modelFunnel([], id);
    expect(got, `the funnel of ${id}\n${log}`).toEqual(want);
  }
}
