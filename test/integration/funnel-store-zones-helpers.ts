/**
 * What the store time zone funnel tests share (funnel-store-zones.test.ts,
 * funnel-store-zones-journeys.test.ts): instants, a person's scan at a given instant of the
 * Worker's clock, and the funnel as a key reads it.
 */
import { expect } from "vitest";
import type { FunnelResult } from "../../src/store/stats";
import { atClock, call } from "./helpers";
import { IPHONE, scan } from "./poster-helpers";

export type Funnel = FunnelResult & {
  from: string;
  to: string;
  time_zone: string;
  time_zones: string[];
};

/** An ISO instant as unix ms. */
export const Z = (iso: string) => Date.parse(iso);
export const DAY = 86_400_000;

/**
 * A person's scan of `code` through the real route with the Worker's clock at `at`.
 *
 * @example
 * const html = await scanAt(poster.code, Z("2026-12-05T15:00:00Z"));
 */
export const scanAt = (code: string, at: number, ip?: string) =>
  atClock(at, async () => {
    const res = await scan(`/p/${code}`, IPHONE, ip ? { "cf-connecting-ip": ip } : {});
    expect(res.status).toBe(200);
    return res.text();
  });

/**
 * The funnel of `query`, read with `key` (a 200 expected).
 *
 * @example
 * const f = await funnel("from=2026-12-06&to=2026-12-06&group_by=day", statsKey);
 */
export async function funnel(query: string, key: string): Promise<Funnel> {
  const res = await call(`/v1/stats/funnel?${query}`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Funnel;
}
