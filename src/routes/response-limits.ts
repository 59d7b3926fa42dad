/**
 * How much one answer of the export and print routes holds. Here, apart from the routes, because
 * the API reference (routes/reference/, in the browser kit) states them too, and importing a route
 * module there would bring its handlers along.
 */

/** Posters in one PDF (100 A4 pages); a bigger selection comes in parts (`part=`). */
export const POSTERS_PER_PDF = 1_200;

/**
 * Logo images in one PDF. PDF/X-1a has no transparency, so a logo is composited over its
 * code's background: one full-size CMYK image per logo and background (up to 512² px, 1 MiB),
 * each held in memory, with its decoded pixels, until the file is written. Without a bound a
 * selection of posters on many backgrounds would outgrow the isolate's memory.
 */
export const MAX_PDF_LOGO_IMAGES = 16;

/** Rows in one dashboard CSV download (the API pages through more). */
export const DASHBOARD_CSV_ROWS = 100_000;

/** Archived hop rows in one page of `GET /v1/hops`. */
export const MAX_EXPORT_PAGE = 10_000;

/**
 * Archive objects read for one page of `GET /v1/hops` (and of the dashboard's CSV). Each is an
 * R2 read (one more D1 read, and a second R2 read in a race, while its rows are still pending),
 * and an invocation may make 1,000 calls to Cloudflare's services (10,000 on Workers Paid): a
 * quiet deployment writes an object every few seconds with a row or two in it, so a page bounded
 * by rows alone read one object per row and failed part-way. A page stops at this many objects
 * and says where to go on (`X-Next-Cursor`).
 */
export const MAX_EXPORT_OBJECTS = 400;
