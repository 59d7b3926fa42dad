// How the funnel table names the ways the app was reached (`via`): the console spells the list
// itself (browser code imports nothing of the Worker's), so a way the Worker adds must get a word
// here too, in every console language; the CSV keeps the raw id next to the word.
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseCsv } from "../../src/client/console/csv.js";
import { type FunnelRow, funnelCsv, TABLE_VIAS } from "../../src/client/console/funnel-csv.js";
import { words } from "../../src/client/console/words.js";
import { STATED_VIAS } from "../../src/core/app-via";
import { VIA_VALUES } from "../../src/core/rollup";
import { CONSOLE_LANGS } from "../../src/pages/i18n";

/**
 * groupLabel of funnel-table.js in `lang`, as a page in it holds it: the language on its body,
 * and (but for English) the words file loaded before the script setting `qbConsoleWords`.
 */
async function viaLabel(lang: string) {
  vi.resetModules();
  vi.stubGlobal("document", { body: { dataset: { lang } } });
  if (lang !== "en") vi.stubGlobal("qbConsoleWords", { lang, words: words[lang] });
  const { groupLabel } = await import("../../src/client/console/funnel-table.js");
  return groupLabel("via", {});
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const row = (group: string | null, scanned: number): FunnelRow => ({
  group,
  scanned,
  landing: 0,
  app_open: 0,
  redeemed: 0,
  converted: 0,
  unique_scanners: 0,
  converted_value: {},
  refused: 0,
  refused_by_reason: { paused: 0, revoked: 0, not_started: 0, ended: 0 },
});

describe("the funnel table's via words", () => {
  it("lists every via the funnel counts (core/rollup.ts), and `other` for the rest", () => {
    expect([...TABLE_VIAS].sort()).toEqual([...VIA_VALUES, "other"].sort());
    // What an app may state, what the bridge records itself, and the widget's same-phone tap.
    for (const via of [
      ...STATED_VIAS,
      "install_referrer",
      "page",
      "direct",
      "app",
      "same_device",
      "other",
    ])
      expect(TABLE_VIAS).toContain(via);
  });

  it("has a word for each in every console language, no two alike", () => {
    for (const lang of CONSOLE_LANGS) {
      const said = TABLE_VIAS.map((via) => words[lang]![`ft.via.${via}`]);
      for (const [i, word] of said.entries()) expect(word, `${lang} ${TABLE_VIAS[i]}`).toBeTruthy();
      expect(new Set(said).size, lang).toBe(TABLE_VIAS.length);
    }
  });

  it("names each via in the page's language; an unknown id stays as it is", async () => {
    const en = await viaLabel("en");
    expect(en("page")).toBe("Landing page");
    expect(en("same_device")).toBe("Tapped on the same phone");
    expect(en("manual_code")).toBe("Code typed in the app");
    expect(en("smart_banner")).toBe("Smart App Banner");
    expect(en("future_path")).toBe("future_path");
    expect(en(null)).toBe("Unknown");
    const zh = await viaLabel("zh");
    for (const via of TABLE_VIAS) expect(zh(via)).toBe(words.zh[`ft.via.${via}`]);
    expect(zh("same_device")).not.toBe(en("same_device"));
  });

  it("reads English as a whole when the page's words file is missing or another language's", async () => {
    vi.resetModules();
    vi.stubGlobal("document", { body: { dataset: { lang: "ja" } } });
    const missing = (await import("../../src/client/console/funnel-table.js")).groupLabel(
      "via",
      {},
    );
    expect(missing("page")).toBe("Landing page");
    vi.resetModules();
    vi.stubGlobal("qbConsoleWords", { lang: "es", words: words.es });
    const other = (await import("../../src/client/console/funnel-table.js")).groupLabel("via", {});
    expect(other("page")).toBe("Landing page");
    expect((await viaLabel("ja"))("page")).toBe(words.ja!["ft.via.page"]);
  });

  it("keeps the raw id in the CSV's via column and the word in via_name", async () => {
    const label = await viaLabel("en");
    const text = funnelCsv([row("same_device", 4), row("install_referrer", 2)], "via", label);
    const [header, ...records] = parseCsv(text).map((r) => r.cells);
    expect(header!.slice(0, 3)).toEqual(["via", "via_name", "scanned"]);
    expect(records.map((cells) => cells.slice(0, 3))).toEqual([
      ["same_device", "Tapped on the same phone", "4"],
      ["install_referrer", "Install referrer", "2"],
    ]);
  });
});
