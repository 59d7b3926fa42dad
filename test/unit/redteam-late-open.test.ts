// Findings of redteam-late in the console's CSV import (src/client/console/csv.js): a quote left
// open folded later rows into one poster's name with no error, and a store number that is
// another store's name filed the poster under the number's store without a word.
import { describe, expect, it } from "vitest";
import { parseCsv, postersFromCsv, storesByName } from "../../src/client/console/csv.js";
import { words } from "../../src/client/console/words.js";

describe("console CSV import: a quote left open", () => {
  it("a quote opened and never closed is an error on its line, not later rows folded into one name", () => {
    // Excel writes `"Window A` when a cell starts with a quote; the rows after it vanish.
    const text = 'path,name\r\n/menu/a,"Window A\r\n/menu/b,Window B\r\n/menu/c,Window C\r\n';
    const { rows, errors } = postersFromCsv(text, 1000);
    expect(errors.map((e) => e.line)).toContain(2);
    expect(rows.every((r) => !String(r.poster.name).includes("/menu/b"))).toBe(true);
  });

  it("names the line the field began on, after rows with quoted line breaks, in the console's words", () => {
    const text = 'name,path\n"Two\nlines",/a\nDoor,/b\n"Open,/c\nLast,/d\n';
    const { rows, errors } = postersFromCsv(text, 10);
    expect(errors).toEqual([
      { line: 5, message: expect.stringContaining("quote"), word: "import.quote" },
    ]);
    // The rows before it are read as written; nothing from line 5 on becomes a poster.
    expect(rows.map((r) => r.poster.path)).toEqual(["/a", "/b"]);
    for (const lang of [words.en, words.zh]) expect(lang["import.quote"]).toBeTruthy();
  });

  it('a quote left open that the next quoted cell closes (`Window C"` after it) is refused too', () => {
    const text = 'name,path\n"Window A,/a\nWindow B,/b\n"Window C",/c\n';
    const { rows, errors } = postersFromCsv(text, 10);
    expect(errors).toEqual([{ line: 2, message: expect.any(String), word: "import.quote" }]);
    expect(rows).toEqual([]);
  });

  it("a quote left open in the header is one error and no rows", () => {
    const { rows, errors } = postersFromCsv('name,"path\nDoor,/a\n', 10);
    expect(errors).toEqual([{ line: 1, message: expect.any(String), word: "import.quote" }]);
    expect(rows).toEqual([]);
  });

  it("quoted line breaks, doubled quotes and spaces after a closing quote still read as before", () => {
    const text = 'name,path,label\r\n"Window\r\nleft ""A""" ,/a,"x"\r\nDoor,/b,\r\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ["name", "path", "label"] },
      { line: 2, cells: ['Window\r\nleft "A" ', "/a", "x"] },
      { line: 4, cells: ["Door", "/b", ""] },
    ]);
    const { rows, errors } = postersFromCsv(text, 10);
    expect(errors).toEqual([]);
    expect(rows[0]).toEqual({
      line: 2,
      poster: { name: 'Window\r\nleft "A"', path: "/a", label: "x" },
    });
  });
});

describe("console CSV import: a store number that is another store's name", () => {
  const stores = [
    { id: "st_a", name: "Shibuya", ref: "Central" },
    { id: "st_b", name: "Central", ref: "S-09" },
  ];
  const row = (store: string) => [
    { line: 2, poster: { name: "x", path: "/", store } as Record<string, unknown> },
  ];

  it("is refused as ambiguous, naming both stores, not filed under the number's store", () => {
    const rows = row(" central ");
    const errors = storesByName(rows, stores);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(2);
    expect(errors[0]!.message).toContain('"Shibuya" (st_a)');
    expect(errors[0]!.message).toContain('"Central" (st_b)');
    expect(rows[0]!.poster.store_id).toBeUndefined();
  });

  it("a store whose number is its own name, and each store's other value, still name one store", () => {
    const own = row("Ginza");
    expect(storesByName(own, [{ id: "st_g", name: "Ginza", ref: "ginza" }])).toEqual([]);
    expect(own[0]!.poster.store_id).toBe("st_g");
    const number = row("S-09");
    const name = row("Shibuya");
    expect(storesByName([...number, ...name], stores)).toEqual([]);
    expect([number[0]!.poster.store_id, name[0]!.poster.store_id]).toEqual(["st_b", "st_a"]);
  });
});
