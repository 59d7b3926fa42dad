// The console's print-language picker (src/client/console/print-links.js) lists the languages
// the print routes know (src/pages/print-constants.ts). The console script is plain browser
// JavaScript that reads the page at load, so its list is read from its source here: a language
// added to the routes and not to the picker could not be chosen, and one in the picker that the
// routes do not know would print an error.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PRINT_LANGS } from "../../src/pages/print-constants";

const source = readFileSync(
  new URL("../../src/client/console/print-links.js", import.meta.url),
  "utf8",
);

describe("the console's print-language picker", () => {
  it("offers exactly the languages the print routes know, in their order", () => {
    const list = /const PRINT_LANGS = \[([\s\S]*?)\n\];/.exec(source);
    expect(list, "PRINT_LANGS in print-links.js").not.toBeNull();
    const codes = [...list![1]!.matchAll(/\["([^"]+)",/g)].map((m) => m[1]);
    expect(codes).toEqual([...PRINT_LANGS]);
  });
});
