// Types of delivery-retry.js for the unit tests (the console's scripts are plain JS, built as they are).
export declare function waitText(ms: number, locale: string): string;
export declare function retryNote(
  d: {
    status: string;
    attempts: number;
    next_attempt_at: number | null;
    attempts_left: number;
  },
  now: number,
  t: (key: string, vars?: Record<string, string | number>) => string,
  locale: string,
): string;
