// Types of key-life.js for the unit tests (the console's scripts are plain JS, built as they are).
interface KeyLife {
  revoked_at: number | null;
  rolled_to: string | null;
  expires_at: number | null;
}
export declare const GRACE_CHOICES: number[];
export declare const GRACE_DEFAULT: number;
export declare function keyState(
  k: KeyLife,
  now: number,
): "revoked" | "rolled" | "expired" | "active";
export declare function untilText(ms: number, locale: string): string;
export declare function endNote(
  k: { expires_at: number | null },
  now: number,
  t: (key: string, vars?: Record<string, string | number>) => string,
  locale: string,
  when: (ms: number) => string,
): string;
export declare const END_CHOICES: string[];
export declare function dayBounds(day: string): { start: number; next: number } | null;
export declare function mintEnd(
  choice: string,
  day: string,
  now: number,
): { at?: number; error?: "missing" | "past" };
export declare function localDay(now: number): string;
export declare function narrowedScopes(current: string[], ticked: string[]): string[] | null;
