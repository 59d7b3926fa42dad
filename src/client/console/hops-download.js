// The raw-hop CSV of the funnel page, page by page. An export page ends after a bounded number
// of archive objects (one R2 read each, within what one Worker invocation may call), so one
// request no longer holds a quiet month's hops: the download follows `X-Next-Cursor` and joins
// the pages here, each after the first without its header line. Pure but for `fetchPage`, so
// the unit tests drive it without a browser.

/**
 * Fetch every page of the CSV at `url` (the first page's URL, without a cursor) and join them,
 * stopping once `maxRows` rows are held (then `capped` is true). `fetchPage(url)` answers
 * `{ok, status, text, next}` (`next`: the `X-Next-Cursor` header, or null on the last page);
 * `progress(rows)` is told the rows held after each page. Throws `{status}` for a page that
 * is not `ok`, so a half file is never saved as if whole.
 *
 * @example
 * const csv = await joinCsvPages(fetchPage, "/dashboard/api/hops.csv?from=…", 100000);
 * // { text: "event_id,at,…\n…", rows: 1234, capped: false }
 */
export async function joinCsvPages(fetchPage, url, maxRows, progress = () => {}) {
  const parts = [];
  let rows = 0;
  let next = null;
  let first = true;
  do {
    const pageUrl = new URL(url, "https://console.invalid");
    if (next !== null) pageUrl.searchParams.set("cursor", next);
    const page = await fetchPage(first ? url : `${pageUrl.pathname}${pageUrl.search}`);
    if (!page.ok) throw Object.assign(new Error(`HTTP ${page.status}`), { status: page.status });
    // A line per hop: no value holds a line break (`detail` is JSON, the rest are bounded
    // tokens). Every page starts with the header line; the file keeps the first page's.
    const lines = page.text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    const header = lines.shift();
    if (first && header !== undefined) parts.push(`${header}\n`);
    const kept = lines.slice(0, maxRows - rows);
    if (kept.length > 0) parts.push(`${kept.join("\n")}\n`);
    rows += kept.length;
    next = page.next;
    first = false;
    progress(rows);
    if (kept.length < lines.length) return { text: parts.join(""), rows, capped: true };
  } while (next !== null);
  return { text: parts.join(""), rows, capped: false };
}
