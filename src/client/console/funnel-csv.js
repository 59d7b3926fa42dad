// The funnel table's columns and its CSV, pure (no page, so a unit test runs it): the table on
// screen (funnel-table.js) and the downloaded file are drawn from the same columns and the same
// rows, so the file holds exactly what the table shows.
import { csvRecord } from "./csv.js";
import { moneyDecimal } from "./money.js";

// The API's lists, spelled here (browser code imports nothing of the Worker's); a unit test ties
// each to its source: GROUP_BY (store/stats.ts), FUNNEL_STAGES, REFUSED_REASONS and VIA_VALUES
// (core/rollup.ts).

/** What the funnel can be grouped by (the API's `group_by`), in the picker's order. */
export const TABLE_GROUPS = [
  "day",
  "store",
  "campaign",
  "poster",
  "platform",
  "in_app",
  "source",
  "via",
];
/**
 * How the app was reached (the `via` groups): the API's values, and `other` for anything else.
 * Each has a word (`ft.via.<via>`) in every console language.
 */
export const TABLE_VIAS = [
  "page",
  "direct",
  "app",
  "scheme",
  "install_referrer",
  "smart_banner",
  "clipboard",
  "app_clip",
  "manual_code",
  "same_device",
  "other",
];
const STAGES = ["scanned", "landing", "app_open", "redeemed", "converted"];
const REFUSED_REASONS = ["paused", "revoked", "not_started", "ended"];
/** A group's id column is named as the API names the field elsewhere (`store_id`). */
const ID_COLUMN = { store: "store_id", campaign: "campaign_id", poster: "poster_id" };

/**
 * The funnel table's columns for the funnel `rows` grouped by `group`, each `{ key, word, kind,
 * value(row), currency?, onScreen }`: `key` is the CSV heading (the API's field names), `word`
 * the console word of the table heading, `kind` "text", "count" or "money". The group's id and,
 * but for days, its `label(id)` as the console shows it (the table shows the label only); one
 * column per stage; unique scanners; one `converted_value_<CUR>` per currency any row has;
 * refused scans, and refused by reason when any row has a refused scan.
 *
 * @example
 * funnelColumns(rows, "store", (id) => names.get(id)).map((c) => c.key)
 * // ["store_id", "store_name", "scanned", …, "converted_value_EUR", "refused"]
 */
export function funnelColumns(rows, group, label) {
  const count = (key, word, value) => ({ key, word, kind: "count", value, onScreen: true });
  const columns = [
    {
      key: ID_COLUMN[group] ?? group,
      word: `ft.by.${group}`,
      kind: "text",
      value: (r) => r.group,
      onScreen: group === "day",
    },
  ];
  if (group !== "day")
    columns.push({
      key: `${group}_name`,
      word: `ft.by.${group}`,
      kind: "text",
      value: (r) => label(r.group),
      onScreen: true,
    });
  for (const stage of STAGES) columns.push(count(stage, `f.${stage}`, (r) => r[stage]));
  columns.push(count("unique_scanners", "funnel.unique", (r) => r.unique_scanners));
  const currencies = [...new Set(rows.flatMap((r) => Object.keys(r.converted_value || {})))];
  for (const currency of currencies.sort())
    columns.push({
      key: `converted_value_${currency}`,
      word: "funnel.value",
      kind: "money",
      currency,
      value: (r) => r.converted_value?.[currency] ?? 0,
      onScreen: true,
    });
  columns.push(count("refused", "funnel.refused", (r) => r.refused));
  if (rows.some((r) => r.refused > 0))
    for (const reason of REFUSED_REASONS)
      columns.push(
        count(`refused_${reason}`, `ft.refused.${reason}`, (r) => r.refused_by_reason[reason]),
      );
  return columns;
}

/**
 * The funnel table as a CSV file's text: a UTF-8 byte order mark (so Excel reads Japanese or
 * Arabic store names as such), the headings, one record per row. Counts are plain integers,
 * money a plain decimal with the digits the console shows it with (money.js), days ISO
 * (YYYY-MM-DD, as the API gives them); text is quoted and kept from running as a formula.
 *
 * @example
 * funnelCsv(stores.rows, "store", (id) => names.get(id) ?? "No store")
 * // "\uFEFFstore_id,store_name,scanned,…\r\nst_1,Opéra,12,…\r\n"
 */
export function funnelCsv(rows, group, label) {
  const columns = funnelColumns(rows, group, label);
  const cell = (c, r) => {
    const v = c.value(r);
    return c.kind === "money" ? moneyDecimal(v, c.currency) : v;
  };
  return (
    "\uFEFF" +
    csvRecord(columns.map((c) => c.key)) +
    rows.map((r) => csvRecord(columns.map((c) => cell(c, r)))).join("")
  );
}

/**
 * The downloaded file's name: what it is, its days and its grouping.
 *
 * @example
 * funnelCsvName({ from: "2026-11-01", to: "2026-11-30" }, "in_app")
 * // "funnel_2026-11-01_2026-11-30_by-in-app.csv"
 */
export function funnelCsvName(range, group) {
  return `funnel_${range.from}_${range.to}_by-${group.replace(/_/g, "-")}.csv`;
}
