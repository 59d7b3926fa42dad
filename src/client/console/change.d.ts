// Types of change.js for the unit tests (the console's scripts are plain JS, built as they are).
export declare function periodChange(
  current: number,
  previous: number,
): { dir: "new" | "up" | "down" | "same"; ratio: number | null } | null;
export declare function changeText(
  current: number,
  previous: number,
  days: number,
  locale: string,
  say: (key: string, vars?: Record<string, unknown>) => string,
  prevText?: string,
): { dir: "new" | "up" | "down" | "same"; short: string; long: string } | null;
export declare function dayCount(from: string, to: string): number;
export declare function previousRange(
  from: string,
  to: string,
): { days: number; from: string; to: string };
