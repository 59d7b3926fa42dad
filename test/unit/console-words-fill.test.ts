// How the console fills a word's {placeholders} (page-lang.js): a right-to-left page isolates a
// text value, so a Latin name inside a Hebrew or Arabic sentence keeps its own direction (as the
// scan pages' <bdi> and the widget do); a value's bidi controls cannot turn the sentence round;
// only the caller's own values fill a placeholder.
import { afterEach, describe, expect, it, vi } from "vitest";
import { words } from "../../src/client/console/words.js";

const FSI = "\u2068";
const PDI = "\u2069";

/** page-lang.js's t as a page in `lang` holds it, its <html dir> as the server writes it. */
async function pageT(lang: string, dir: "ltr" | "rtl") {
  vi.resetModules();
  vi.stubGlobal("document", { body: { dataset: { lang } }, documentElement: { dir } });
  if (lang !== "en") vi.stubGlobal("qbConsoleWords", { lang, words: words[lang] });
  return (await import("../../src/client/console/page-lang.js")).t;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the console's words filled in", () => {
  it("isolates a text value on a right-to-left page", async () => {
    const t = await pageT("he", "rtl");
    const text = t("store.created", { name: "Main St." });
    expect(text).toBe(words.he!["store.created"]!.replace("{name}", `${FSI}Main St.${PDI}`));
  });

  it("leaves numbers as they are there (they read left to right by themselves)", async () => {
    const t = await pageT("ar", "rtl");
    expect(t("print.sheetSvgPage", { n: 2, total: 5 })).toBe(
      words.ar!["print.sheetSvgPage"]!.replace("{n}", "2").replace("{total}", "5"),
    );
  });

  it("isolates nothing on a left-to-right page", async () => {
    const t = await pageT("en", "ltr");
    expect(t("store.created", { name: "Main St." })).toBe("Store Main St. created.");
  });

  it("drops a value's bidi controls, so a name cannot close its isolate and reverse the rest", async () => {
    const t = await pageT("he", "rtl");
    const text = t("store.created", { name: "Main St.\u2069\u202e" });
    expect(text).toContain(`${FSI}Main St.${PDI}`);
    expect(text).not.toMatch(/[\u202a-\u202e]/);
    expect([...text].filter((c) => c === PDI)).toHaveLength(1);
    const ltr = await pageT("en", "ltr");
    expect(ltr("store.created", { name: "\u202eMain St." })).toBe("Store Main St. created.");
  });

  it("fills a placeholder only from the caller's own values", async () => {
    vi.resetModules();
    vi.stubGlobal("document", { body: { dataset: { lang: "xx" } }, documentElement: {} });
    vi.stubGlobal("qbConsoleWords", { lang: "xx", words: { probe: "a {constructor} b {n}" } });
    const { t } = await import("../../src/client/console/page-lang.js");
    expect(t("probe", { n: 1 })).toBe("a {constructor} b 1");
  });
});
