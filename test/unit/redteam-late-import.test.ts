// The console's CSV import (src/client/console/csv.js), fed what spreadsheets really write: a
// BOM, CRLF and lone CR line ends, quoted line breaks (each bad row still named by the line a
// person sees), 10,001 rows, a formula-looking name, and store numbers that two stores share in
// another case or with spaces around them.
import { describe, expect, it } from "vitest";
import { parseCsv, postersFromCsv, storesByName } from "../../src/client/console/csv.js";

describe("the file's shape", () => {
  it("a BOM, CRLF, a lone CR and a quoted CRLF: every record and its first line", () => {
    const text = '\uFEFFname,path\r\n"Window\r\nleft",/a\r\rDoor,/b\rLast,"/c"';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ["name", "path"] },
      { line: 2, cells: ["Window\r\nleft", "/a"] },
      { line: 5, cells: ["Door", "/b"] },
      { line: 6, cells: ["Last", "/c"] },
    ]);
    // The BOM is not part of the first column's name.
    expect(postersFromCsv(text, 10).errors).toEqual([]);
  });

  it("a row after a quoted line break is named by its own line", () => {
    const text = 'name,path,label\n"a\nb\nc",/a,x\nDoor,/b,1,extra\n';
    expect(postersFromCsv(text, 10).errors).toEqual([
      { line: 5, message: "4 cells; the header has 3" },
    ]);
  });

  it("10,001 rows: one error on the header line naming the limit, before any request", () => {
    const text = `name,path\n${Array.from({ length: 10_001 }, (_, i) => `P${i},/m`).join("\n")}`;
    const { errors } = postersFromCsv(text, 1000);
    expect(errors).toEqual([{ line: 1, message: "10001 rows; at most 1000" }]);
  });

  it("a name that looks like a formula is sent as written (the API stores text, nothing runs it)", () => {
    const text = "name,path,label\n\"=cmd|' /C calc'!A0\",/m,+SUM(A1)\n";
    const { rows, errors } = postersFromCsv(text, 10);
    expect(errors).toEqual([]);
    expect(rows[0]!.poster).toEqual({ name: "=cmd|' /C calc'!A0", path: "/m", label: "+SUM(A1)" });
  });
});

describe("store numbers and names", () => {
  const stores = [
    { id: "st_a", name: "Opéra", ref: "S-01" },
    { id: "st_b", name: "Bastille", ref: " s-01 " },
    { id: "st_c", name: "Louvre", ref: "S-03" },
  ];
  const row = (store: string) => [
    { line: 2, poster: { name: "x", path: "/", store } as Record<string, unknown> },
  ];

  it("a number two stores share in another case or spacing is refused, not filed under either", () => {
    const rows = row("S-01");
    expect(storesByName(rows, stores)).toEqual([
      { line: 2, message: 'store "S-01": two stores have this number; use the store\'s name' },
    ]);
    expect(rows[0]!.poster.store_id).toBeUndefined();
  });

  it("the name of one of them still names it", () => {
    const rows = row("  bastille ");
    expect(storesByName(rows, stores)).toEqual([]);
    expect(rows[0]!.poster).toEqual({ name: "x", path: "/", store_id: "st_b" });
  });

  it("a store that no longer exists is an error naming what was written", () => {
    const rows = row('=HYPERLINK("x")');
    expect(storesByName(rows, stores)).toEqual([
      { line: 2, message: 'store "=HYPERLINK("x")": no store has this number or name' },
    ]);
  });
});
