// What the console offers for printing a store's or campaign's sheets, from the HEAD answer of
// its SVG sheet (src/client/console/sheet-pages.js): a store with no active poster got two
// print links that downloaded a 404's JSON; it now gets a line saying there is nothing to print.
import { describe, expect, it } from "vitest";
import { sheetPages } from "../../src/client/console/sheet-pages.js";
import { words } from "../../src/client/console/words.js";

describe("the sheets a page offers", () => {
  it("nothing, when no active poster matches (404)", () => {
    expect(sheetPages(404, null)).toBe("none");
    for (const [lang, catalog] of Object.entries(words))
      expect(catalog["print.none"]?.trim(), lang).toBeTruthy();
  });

  it("a link per SVG page past one page", () => {
    expect(sheetPages(200, "3")).toBe(3);
    expect(sheetPages(204, "12")).toBe(12);
  });

  it("the PDF and one SVG link otherwise, also when the answer says nothing usable", () => {
    for (const [status, total] of [
      [200, "1"],
      [200, null],
      [200, "two"],
      [200, "2.5"],
      [500, "4"],
      [401, null],
      [403, "3"],
    ] as const)
      expect(sheetPages(status, total), `${status} ${total}`).toBeNull();
  });
});
