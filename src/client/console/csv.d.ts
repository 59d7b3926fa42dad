// Types of csv.js for the unit tests (the console's scripts are plain JS, built as they are).
export declare const POSTER_COLUMNS: readonly string[];
export declare const POSTER_TEMPLATE: string;
export declare function parseCsv(text: string): { line: number; cells: string[]; quote?: number }[];
export declare function postersFromCsv(
  text: string,
  maxRows: number,
): {
  rows: { line: number; poster: Record<string, unknown> }[];
  errors: { line: number; message: string; word?: string }[];
};
export declare function storesByName(
  rows: { line: number; poster: Record<string, unknown> }[],
  stores: { id: string; name: string; ref?: string | null }[],
): { line: number; message: string }[];
export declare function csvCell(value: string | number | null | undefined): string;
export declare function csvRecord(values: readonly (string | number | null | undefined)[]): string;
export declare function importBatchKey(
  fileText: string,
  start: number,
  batch: unknown[],
): Promise<string>;
