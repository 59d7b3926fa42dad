// What a page offers for printing a store's or campaign's sheets, from the HEAD answer of its
// SVG sheet (print-links.js). Pure, so the unit tests read it without a page.

/**
 * "none" when no active poster matches (a `404`: the files would be that error, not a sheet),
 * the page count when there is more than one page (a link per SVG page), else null (keep the
 * PDF and the one SVG link, also when the answer says nothing usable).
 *
 * @example
 * sheetPages(404, null) // "none"
 * sheetPages(200, "3")  // 3
 * sheetPages(200, "1")  // null
 */
export function sheetPages(status, totalPages) {
  if (status === 404) return "none";
  const total = Number(totalPages);
  return status >= 200 && status < 300 && Number.isInteger(total) && total > 1 ? total : null;
}
