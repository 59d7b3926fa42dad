// The funnel page's raw-hop CSV, joined from the export's pages in the browser
// (src/client/console/hops-download.js): a page ends after a bounded number of archive objects,
// so a download that saved only the first page held part of the range and said nothing.
import { describe, expect, it } from "vitest";
import { type CsvPage, joinCsvPages } from "../../src/client/console/hops-download.js";
import { words } from "../../src/client/console/words.js";

const HEADER = "event_id,at,hop\r\n";
const row = (i: number) => `ev_${i},${1000 + i},scanned\r\n`;

/** An export of `total` rows served `perPage` at a time, with the cursor as the next row's index. */
function exportOf(total: number, perPage: number) {
  const asked: string[] = [];
  const fetchPage = async (url: string): Promise<CsvPage> => {
    asked.push(url);
    const from = Number(new URL(url, "https://x.test").searchParams.get("cursor") ?? 0);
    const to = Math.min(total, from + perPage);
    let text = HEADER;
    for (let i = from; i < to; i++) text += row(i);
    return { ok: true, status: 200, text, next: to < total ? String(to) : null };
  };
  return { asked, fetchPage };
}

const all = (n: number) => HEADER + Array.from({ length: n }, (_, i) => row(i)).join("");

describe("the raw-hop CSV joined from its pages", () => {
  it("follows X-Next-Cursor to the last page, with one header line, in order", async () => {
    const ex = exportOf(25, 10);
    const seen: number[] = [];
    const file = await joinCsvPages(
      ex.fetchPage,
      "/base/dashboard/api/hops.csv?from=2026-12-01&to=2026-12-07",
      1000,
      (n) => seen.push(n),
    );
    expect(file).toEqual({ text: all(25), rows: 25, capped: false });
    expect(seen).toEqual([10, 20, 25]);
    // Every later page keeps the query and the path, and adds only its cursor.
    expect(ex.asked).toEqual([
      "/base/dashboard/api/hops.csv?from=2026-12-01&to=2026-12-07",
      "/base/dashboard/api/hops.csv?from=2026-12-01&to=2026-12-07&cursor=10",
      "/base/dashboard/api/hops.csv?from=2026-12-01&to=2026-12-07&cursor=20",
    ]);
  });

  it("goes on past pages that hold no rows (a page can end on its objects, not its rows)", async () => {
    const pages = [HEADER + row(0), HEADER, HEADER, HEADER + row(1)];
    let i = 0;
    const file = await joinCsvPages(
      async () => ({
        ok: true,
        status: 200,
        text: pages[i]!,
        next: ++i < pages.length ? `c${i}` : null,
      }),
      "/dashboard/api/hops.csv",
      1000,
    );
    expect(file).toEqual({ text: HEADER + row(0) + row(1), rows: 2, capped: false });
  });

  it("stops at the cap and says so; exactly the cap is not capped", async () => {
    const capped = await joinCsvPages(exportOf(25, 10).fetchPage, "/h.csv", 15);
    expect(capped).toEqual({ text: all(15), rows: 15, capped: true });
    const exact = await joinCsvPages(exportOf(20, 10).fetchPage, "/h.csv", 20);
    expect(exact).toEqual({ text: all(20), rows: 20, capped: false });
  });

  it("an empty range is the header alone", async () => {
    const file = await joinCsvPages(exportOf(0, 10).fetchPage, "/h.csv", 100);
    expect(file).toEqual({ text: HEADER, rows: 0, capped: false });
  });

  it("a failing page throws its status: a half file is never saved as whole", async () => {
    let calls = 0;
    const failing = async (_url: string): Promise<CsvPage> =>
      ++calls === 1
        ? { ok: true, status: 200, text: HEADER + row(0), next: "1" }
        : { ok: false, status: 503, text: "", next: null };
    await expect(joinCsvPages(failing, "/h.csv", 100)).rejects.toMatchObject({ status: 503 });
  });

  it("every console language has the download's words, with its {n}", () => {
    for (const [lang, catalog] of Object.entries(words))
      for (const key of ["csv.loading", "csv.capped"])
        expect(catalog[key], `${lang} ${key}`).toContain("{n}");
  });
});
