// The product's one language list (core/languages.ts) and the copy the browser code keeps: the
// <qr-bridge> element cannot import the Worker's modules, so this test is what keeps its list
// the same as the pages', the console's and the cards'.
import { describe, expect, it } from "vitest";
import { LANGS } from "../../src/client/i18n";
import { CATALOGS } from "../../src/client/langs/catalogs";
import { LANGUAGES } from "../../src/core/languages";
import { CONSOLE_LANGS, SCAN_LANGS } from "../../src/pages/i18n";
import { PRINT_LANGS } from "../../src/pages/print-constants";

describe("the language list", () => {
  it("is the widget's, with a catalog for each, in the same order", () => {
    expect([...LANGS]).toEqual([...LANGUAGES]);
    expect(Object.keys(CATALOGS)).toEqual([...LANGUAGES]);
  });

  it("is what the scan pages, the console and the cards offer", () => {
    for (const list of [SCAN_LANGS, CONSOLE_LANGS, PRINT_LANGS]) expect(list).toBe(LANGUAGES);
  });
});
