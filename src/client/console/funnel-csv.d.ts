// Types of funnel-csv.js for the unit tests (the console's scripts are plain JS, built as they are).
export interface FunnelRow {
  group: string | null;
  scanned: number;
  landing: number;
  app_open: number;
  redeemed: number;
  converted: number;
  unique_scanners: number;
  converted_value: Record<string, number>;
  refused: number;
  refused_by_reason: { paused: number; revoked: number; not_started: number; ended: number };
}
export interface FunnelColumn {
  key: string;
  word: string;
  kind: "text" | "count" | "money";
  currency?: string;
  value(row: FunnelRow): string | number | null;
  onScreen: boolean;
}
export declare const TABLE_GROUPS: readonly string[];
export declare const TABLE_VIAS: readonly string[];
export declare function funnelColumns(
  rows: readonly FunnelRow[],
  group: string,
  label: (id: string | null) => string,
): FunnelColumn[];
export declare function funnelCsv(
  rows: readonly FunnelRow[],
  group: string,
  label: (id: string | null) => string,
): string;
export declare function funnelCsvName(range: { from: string; to: string }, group: string): string;
