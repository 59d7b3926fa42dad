// Types of sheet-pages.js for the unit tests (the console's scripts are plain JS, built as they are).
export declare function sheetPages(
  status: number,
  totalPages: string | null,
): "none" | number | null;
