// Types of money.js for the unit tests (the console's scripts are plain JS, built as they are).
export declare function formatMoney(
  values: Record<string, number> | null | undefined,
  locale: string,
): string;
