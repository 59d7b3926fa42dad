// Types of money.js for the unit tests (the console's scripts are plain JS, built as they are).
export declare function moneyDigits(currency: string, value: number): number;
export declare function formatMoney(
  values: Record<string, number> | null | undefined,
  locale: string,
): string;
export declare function moneyDecimal(value: number, currency: string): string;
