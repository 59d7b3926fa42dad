// The funnel page's table: the funnel of the page's filters by the group a person picks (day,
// store, campaign, poster, platform, in-app browser, source, via), and a link that downloads
// exactly those rows as CSV, built here in the browser from the same columns (funnel-csv.js):
// no route of its own, so nothing is added to the Worker.
import { funnelColumns, funnelCsv, funnelCsvName, TABLE_GROUPS, TABLE_VIAS } from "./funnel-csv.js";
import { field, h, money, t as say } from "./lib.js";
import { nf } from "./svg-draw.js";
import { labelCells, stackedTable } from "./tables.js";

/** Most groups the table asks for (the API's most); `day` always lists every day. */
const TABLE_LIMIT = 1000;
const PLATFORMS = ["ios", "android", "desktop", "other"];
const SOURCES = ["handoff", "poster", "login"];

/**
 * How the console names a group's id in `group` rows: a store, campaign or poster by its name
 * (`labels`: the dashboard's `/labels` answer), a platform, source, in-app browser or way the
 * app was reached (`via`) in words; an id the console has no word for as it is.
 * @example groupLabel("store", labels)("st_1") // "Opéra"
 * @example groupLabel("via", labels)("same_device") // "Tapped on the same phone"
 */
export function groupLabel(group, labels) {
  const names = (list) => new Map((list || []).map((x) => [x.id, x.name]));
  const named = (list, none) => {
    const map = names(list);
    return (g) => (g === null ? say(none) : map.get(g) || g);
  };
  switch (group) {
    case "store":
      return named(labels.stores, "f.noStore");
    case "campaign":
      return named(labels.campaigns, "ft.noCampaign");
    case "poster":
      return named(labels.posters, "f.noPoster");
    case "in_app":
      return named(labels.in_app, "f.regular");
    case "platform":
      return (g) =>
        g === null ? say("f.unknown") : PLATFORMS.includes(g) ? say(`f.platform.${g}`) : g;
    case "source":
      return (g) => (SOURCES.includes(g) ? say(`f.source.${g}`) : g || say("f.unknown"));
    case "via":
      return (g) => (TABLE_VIAS.includes(g) ? say(`ft.via.${g}`) : g || say("f.unknown"));
    default:
      return (g) => g ?? say("f.unknown");
  }
}

/** A cell as the table shows it: counts in the reader's digits, money as money, "–" for none. */
function shown(column, row) {
  const v = column.value(row);
  if (column.kind === "count") return nf.format(v);
  if (column.kind === "money") return v ? money({ [column.currency]: v }) : "–";
  return v;
}

/**
 * The table card. `fetchFunnel(group, limit)` answers the funnel JSON of the page's filters
 * grouped by `group` (its `limit` largest groups); `labels` is the dashboard's `/labels`
 * answer; `days` the by-day funnel the page has already fetched (the table's first view, so
 * opening the page costs no extra request). `picked` is the grouping shown first (one of
 * TABLE_GROUPS; anything else is `day`), `onPick(group)` hears each grouping the person picks.
 * @example grid.append(funnelTable(funnel, labels, days, { picked: "store", onPick: keep }));
 */
export function funnelTable(fetchFunnel, labels, days, { picked = "day", onPick = () => {} } = {}) {
  const first = TABLE_GROUPS.includes(picked) ? picked : "day";
  const picker = field("table-group", say("ft.groupBy"), {
    options: TABLE_GROUPS.map((g) => [g, say(`ft.by.${g}`)]),
    value: first,
  });
  const select = picker.querySelector("select");
  const download = h("a", { class: "button", id: "table-csv", text: say("ft.download") });
  const status = h("p", { class: "muted", role: "status" });
  const box = h("div", {});
  let fileUrl = "";

  function draw(body, group) {
    const label = groupLabel(group, labels);
    const columns = funnelColumns(body.rows, group, label);
    const onScreen = columns.filter((c) => c.onScreen);
    const heading = (c) => (c.kind === "money" ? `${say(c.word)} (${c.currency})` : say(c.word));
    const tbody = h(
      "tbody",
      {},
      ...body.rows.map((r) =>
        h(
          "tr",
          {},
          ...onScreen.map((c) =>
            h("td", { class: c.kind === "text" ? null : "num", text: shown(c, r) }),
          ),
        ),
      ),
    );
    const table = stackedTable(onScreen.map(heading), tbody);
    for (const [i, th] of table.querySelectorAll("th").entries())
      if (onScreen[i].kind !== "text") th.className = "num";
    box.replaceChildren(table);
    labelCells(tbody);
    // The file is made now, from these rows: what is downloaded is what the table shows.
    if (fileUrl) URL.revokeObjectURL(fileUrl);
    const text = funnelCsv(body.rows, group, label);
    fileUrl = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    download.href = fileUrl;
    download.download = funnelCsvName(body, group);
    download.removeAttribute("aria-disabled");
    status.textContent = !body.rows.length
      ? say("f.none")
      : group !== "day" && body.rows.length >= TABLE_LIMIT
        ? say("ft.capped", { n: nf.format(TABLE_LIMIT) })
        : "";
  }

  async function show(group) {
    // No file while the rows load: the last one holds another grouping's rows.
    download.removeAttribute("href");
    download.setAttribute("aria-disabled", "true");
    status.textContent = say("loading");
    try {
      const body = group === "day" ? days : await fetchFunnel(group, TABLE_LIMIT);
      // A later choice was made while this one loaded: it draws its own rows.
      if (select.value === group) draw(body, group);
    } catch (err) {
      if (select.value === group) status.textContent = say("f.failed", { message: err.message });
    }
  }

  select.addEventListener("change", () => {
    onPick(select.value);
    show(select.value);
  });
  const card = h(
    "article",
    { class: "card wide", id: "table-card" },
    h("h2", { text: say("ft.title") }),
    h("div", { class: "downloads" }, picker, download),
    status,
    box,
  );
  show(first);
  return card;
}
