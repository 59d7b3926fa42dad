// Types of bench/soak-ledger.mjs, for test/unit/soak-zones.test.ts.
import type { StoreZones } from "./soak-zones.mjs";

export interface LedgerHop {
  kind: string;
  hop: string;
  zone: string;
  day: string;
  maybe: string[] | null;
  store_id: string | null;
  poster_id: string | null;
}
export interface FunnelRow {
  scanned: number;
  app_open: number;
  converted: number;
  direct_app_opens: number;
  extra: Record<string, number>;
  uniques: Set<string>;
  maybeUniques: Set<string>;
}
export const STAGES: string[];
export function withinSketchBound(expected: number, counted: number): boolean;
export class Ledger {
  constructor(zones?: StoreZones);
  hops: LedgerHop[];
  unsure: number;
  hop(h: Record<string, unknown>): void;
  funnel(
    groupBy: string,
    filter?: { by: string; value: string } | null,
  ): Map<string | null, FunnelRow>;
}
