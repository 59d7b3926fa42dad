// The console's CSV import reads the file in the browser (src/client/console/csv.js): every
// record keeps the line it starts on, so a bad row is named by the line a person sees in their
// spreadsheet; its words exist in both languages.
import { describe, expect, it } from "vitest";
import {
  csvCell,
  csvRecord,
  POSTER_COLUMNS,
  POSTER_TEMPLATE,
  parseCsv,
  postersFromCsv,
  storesByName,
} from "../../src/client/console/csv.js";
import { words } from "../../src/client/console/words.js";

describe("parseCsv", () => {
  it("keeps quoted commas, quotes and line breaks, and numbers records by their first line", () => {
    const text = '\uFEFFname,label\r\n"Window, left","say ""hi"""\r\n\r\n"two\nlines",x\nlast,y';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ["name", "label"] },
      { line: 2, cells: ["Window, left", 'say "hi"'] },
      { line: 4, cells: ["two\nlines", "x"] },
      { line: 6, cells: ["last", "y"] },
    ]);
  });
});

describe("csvCell", () => {
  it("quotes commas, quotes and line breaks (RFC 4180), and reads back as written", () => {
    const cells = ['say "hi", ok', "two\r\nlines", "plain", "名古屋店"];
    expect(csvRecord(cells)).toBe('"say ""hi"", ok","two\r\nlines",plain,名古屋店\r\n');
    expect(parseCsv(csvRecord(cells))[0]!.cells).toEqual(cells);
  });

  it("keeps text from running as a formula, but leaves numbers numbers", () => {
    expect(csvCell('=HYPERLINK("https://evil.example","x")')).toBe(
      `"'=HYPERLINK(""https://evil.example"",""x"")"`,
    );
    for (const text of ["+1+2", "-1+2", "@SUM(A1)", "\tx", "\rx"])
      expect(csvCell(text).replace(/^"/, "")).toMatch(/^'/);
    // A negative sum is a number to a spreadsheet, never a formula: it stays one.
    expect(csvCell("-12.50")).toBe("-12.50");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(null)).toBe("");
  });
});

describe("storesByName", () => {
  const stores = [
    { id: "st_opera", name: "Opéra", ref: "S-01" },
    { id: "st_bastille", name: "Bastille", ref: "S-02" },
    { id: "st_riyadh", name: "الرياض مول", ref: null },
    { id: "st_twin1", name: "Gare", ref: "S-07" },
    { id: "st_twin2", name: "Gare", ref: "S-08" },
  ];

  it("finds a store by its store number, else by its exact name, whatever the case", () => {
    const { rows } = postersFromCsv(
      "name,path,store\nA,/a,s-02\nB,/b, Opéra \nC,/c,الرياض مول\nD,/d,\n",
      1000,
    );
    expect(storesByName(rows, stores)).toEqual([]);
    expect(rows.map((r) => r.poster.store_id)).toEqual([
      "st_bastille",
      "st_opera",
      "st_riyadh",
      undefined,
    ]);
    expect(rows.some((r) => "store" in r.poster)).toBe(false);
  });

  it("names by line a store that is not there, a shared name, and store beside store_id", () => {
    const { rows } = postersFromCsv(
      "name,path,store,store_id\nA,/a,S-99,\nB,/b,Gare,\nC,/c,S-01,st_opera\nD,/d,S-07,\n",
      1000,
    );
    expect(storesByName(rows, stores)).toEqual([
      { line: 2, message: 'store "S-99": no store has this number or name' },
      { line: 3, message: 'store "Gare": two stores have this name; use the store number' },
      { line: 4, message: "store and store_id: give one of them" },
    ]);
    expect(rows[3]!.poster.store_id).toBe("st_twin1");
  });

  it("refuses a store number two stores share, rather than filing the poster under either", () => {
    // Store numbers are the company's free text, not unique: two regions may both have a "12".
    const chain = [
      { id: "st_north12", name: "Lille Centre", ref: "12" },
      { id: "st_south12", name: "Nice Port", ref: "12" },
    ];
    const { rows } = postersFromCsv("name,path,store\nA,/a,12\nB,/b,Nice Port\n", 1000);
    expect(storesByName(rows, chain)).toEqual([
      { line: 2, message: 'store "12": two stores have this number; use the store\'s name' },
    ]);
    expect(rows[0]!.poster.store_id).toBeUndefined();
    expect(rows[1]!.poster.store_id).toBe("st_south12");
  });
});

describe("postersFromCsv", () => {
  it("reads the downloadable template into batch rows", () => {
    const { rows, errors } = postersFromCsv(POSTER_TEMPLATE, 1000);
    expect(errors).toEqual([]);
    // Every column but store_id, which the template leaves to those who know the API's ids.
    expect(POSTER_TEMPLATE.split("\r\n")[0]).toBe(
      POSTER_COLUMNS.filter((c) => c !== "store_id").join(","),
    );
    expect(rows).toEqual([
      {
        line: 2,
        poster: {
          name: "Window A",
          path: "/menu/lunch",
          campaign: "Summer 2026",
          params: { table: "12", lang: "en" },
          label: "Window, left",
          status: "active",
        },
      },
      {
        line: 3,
        poster: {
          name: "Counter",
          path: "/menu/drinks",
          campaign: "Summer 2026",
          status: "paused",
        },
      },
    ]);
  });

  it("names every shape problem by its line, header problems as line 1", () => {
    const text = "Name,PATH,colour\nA,/a\nB,/b,x,extra\n";
    expect(postersFromCsv(text, 1000).errors).toEqual([
      { line: 1, message: 'unknown column "colour"' },
      { line: 3, message: "4 cells; the header has 3" },
    ]);
    expect(postersFromCsv("name\nA\n", 1000).errors).toEqual([
      { line: 1, message: 'missing column "path"' },
    ]);
  });

  it("refuses more rows than one batch may hold", () => {
    const text = `name,path\n${"A,/a\n".repeat(3)}`;
    expect(postersFromCsv(text, 2).errors).toEqual([{ line: 1, message: "3 rows; at most 2" }]);
    expect(postersFromCsv(text, 3).errors).toEqual([]);
  });
});

describe("the console's words", () => {
  it("has every English word in Simplified Chinese and no other", () => {
    expect(Object.keys(words.zh).sort()).toEqual(Object.keys(words.en).sort());
    for (const [k, v] of Object.entries(words.zh)) expect(v, k).not.toBe("");
  });
});

describe("importBatchKey", () => {
  it("is the same for the same file and batch, a valid Idempotency-Key, and differs otherwise", async () => {
    const { importBatchKey } = await import("../../src/client/console/csv.js");
    const { validIdempotencyKey } = await import("../../src/core/idempotency");
    const batch = [{ name: "Table 1", path: "/t/1" }];
    const key = await importBatchKey("name,path\nTable 1,/t/1", 0, batch);
    expect(validIdempotencyKey(key)).toBe(true);
    expect(key).toMatch(/^csv-[0-9a-f]{64}$/);
    expect(await importBatchKey("name,path\nTable 1,/t/1", 0, batch)).toBe(key);
    const others = await Promise.all([
      importBatchKey("name,path\nTable 1,/t/1\n", 0, batch),
      importBatchKey("name,path\nTable 1,/t/1", 25, batch),
      importBatchKey("name,path\nTable 1,/t/1", 0, [
        { name: "Table 1", path: "/t/1", store_id: "st_x" },
      ]),
    ]);
    expect(new Set([key, ...others]).size).toBe(4);
  });
});
