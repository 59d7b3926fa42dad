// Types of hold-note.js for the unit tests (the console's scripts are plain JS, built as they are).
export declare const HOLD_DAYS: number;
export declare const HOLD_MAX: number;
export declare const RANGE_DAYS: number;
export declare function holdNotes(
  w: {
    enabled: boolean;
    held?: number;
    hold_expired: { count: number; from: number; to: number } | null;
  },
  t: (key: string, vars?: Record<string, string | number>) => string,
  num: (n: number) => string,
  day: (ms: number) => string,
): { held: string; limit: string; notKept: string };
export declare function failingNote(
  w: { enabled: boolean; paused_reason?: "manual" | "failing" | null; paused_at: number | null },
  t: (key: string, vars?: Record<string, string | number>) => string,
  day: (ms: number) => string,
): string;
export declare function exportQuery(e: { from: number; to: number }): string;
