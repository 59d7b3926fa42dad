// Types of funnel-table.js for the unit tests (the console's scripts are plain JS, built as they are).
export interface Labels {
  stores?: { id: string; name: string }[];
  campaigns?: { id: string; name: string }[];
  posters?: { id: string; name: string }[];
  in_app?: { id: string; name: string }[];
}
export declare function groupLabel(group: string, labels: Labels): (id: string | null) => string;
export declare function funnelTable(
  fetchFunnel: (group: string, limit: number) => Promise<unknown>,
  labels: Labels,
  days: unknown,
  options?: { picked?: string; onPick?: (group: string) => void },
): HTMLElement;
