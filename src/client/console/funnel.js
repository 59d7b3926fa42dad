// The funnel page of the console (/dashboard). It reads the filter form, fetches the funnel
// JSON (cookie session, same origin), fills the KPI tiles and hands the rows to the charts
// (funnel-charts.js, funnel-timeline.js: SVG built with DOM calls: data never lands in markup).
import { changes, previousTotals } from "./funnel-change.js";
import { drawBars, drawDonut, drawFunnel, nf, pct } from "./funnel-charts.js";
import { TABLE_GROUPS } from "./funnel-csv.js";
import { freshnessLine } from "./funnel-freshness.js";
import { funnelTable, groupLabel } from "./funnel-table.js";
import { drawTimeline } from "./funnel-timeline.js";
import { joinCsvPages } from "./hops-download.js";
import { canEdit, link, locale, money, t as say } from "./lib.js";
import { quietCard } from "./quiet-posters.js";

/** The page URL's query parameter that keeps the funnel table's grouping. */
const TABLE_PARAM = "table";

/** Draw the funnel page. */
export function funnelPage() {
  const d = document,
    base = d.body.dataset.base || "";
  const form = d.getElementById("filters"),
    $ = (id) => d.getElementById(id);
  const ms = (v) =>
    v === null
      ? "–"
      : v < 1000
        ? `${v} ms`
        : v < 60000
          ? `${(v / 1000).toFixed(1)} s`
          : v < 3600000
            ? `${(v / 60000).toFixed(1)} min`
            : `${(v / 3600000).toFixed(1)} h`;
  const params = () => {
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v && k !== TABLE_PARAM) p.set(k, String(v));
    return p;
  };

  // The table's grouping lives in the page's URL like the filters (`table=store`), so a reload
  // or a link sent to a colleague shows the same rows. Picking replaces the URL (no history
  // entry per pick); a hidden field carries the grouping through the filters' own submit.
  const tableField = d.createElement("input");
  tableField.type = "hidden";
  tableField.name = TABLE_PARAM;
  form.append(tableField);
  const keepTable = (group) => {
    tableField.value = group;
    // `day` is the default: no parameter for it.
    tableField.disabled = group === "day";
    const url = new URL(location.href);
    if (tableField.disabled) url.searchParams.delete(TABLE_PARAM);
    else url.searchParams.set(TABLE_PARAM, group);
    history.replaceState(history.state, "", url);
  };
  const askedTable = new URLSearchParams(location.search).get(TABLE_PARAM);
  const pickedTable = TABLE_GROUPS.includes(askedTable) ? askedTable : "day";
  tableField.value = pickedTable;
  tableField.disabled = pickedTable === "day";

  // The funnel's days are the reporting time zone's (the answer's `time_zone`): "last 7 days"
  // ends today there, not in UTC nor on this computer. The page says it before any answer does.
  let timeZone = document.body.dataset.timeZone || "UTC";
  for (const b of form.querySelectorAll("[data-days]"))
    b.addEventListener("click", () => {
      const day = {};
      for (const p of new Intl.DateTimeFormat("en-US", {
        timeZone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      }).formatToParts(new Date()))
        day[p.type] = p.value;
      const to = new Date(`${day.year}-${day.month}-${day.day}T00:00:00Z`),
        from = new Date(to.getTime() - (Number(b.dataset.days) - 1) * 864e5);
      form.elements.to.value = to.toISOString().slice(0, 10);
      form.elements.from.value = from.toISOString().slice(0, 10);
      form.submit();
    });
  for (const name of ["store_id", "campaign_id", "poster_id"])
    form.elements[name].addEventListener("change", () => form.submit());
  // The filters the page was opened with: a date typed but not applied yet changes neither the
  // charts nor what the table fetches later, so the table and its CSV stay the page's numbers.
  const applied = params();
  const csv = $("csv");
  csv.href = `${base}/dashboard/api/hops.csv?${applied}`;
  csv.addEventListener("click", (event) => {
    event.preventDefault();
    downloadHops();
  });

  // The raw hops come page by page (hops-download.js says why) and are saved as one file; the
  // link's own href stays the first page, for a browser without this script.
  async function downloadHops() {
    if (csv.getAttribute("aria-busy") === "true") return;
    const csvNote = $("csv-note");
    const counting = (rows) => {
      csvNote.textContent = say("csv.loading", { n: nf.format(rows) });
    };
    csv.setAttribute("aria-busy", "true");
    counting(0);
    try {
      const max = Number(csv.dataset.rows);
      const file = await joinCsvPages(csvPage, csv.getAttribute("href"), max, counting);
      const url = URL.createObjectURL(new Blob([file.text], { type: "text/csv;charset=utf-8" }));
      const save = d.createElement("a");
      save.href = url;
      save.download = `hops-${applied.get("from")}-${applied.get("to")}.csv`;
      d.body.append(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      csvNote.textContent = file.capped ? say("csv.capped", { n: nf.format(file.rows) }) : "";
    } catch (err) {
      csvNote.textContent = err.status
        ? say("error.server", { status: err.status })
        : say("error.offline");
    } finally {
      csv.removeAttribute("aria-busy");
    }
  }
  async function csvPage(url) {
    const r = await fetch(url, { credentials: "same-origin" });
    if (r.status === 401) location.assign(`${base}/dashboard`);
    return {
      ok: r.ok,
      status: r.status,
      text: r.ok ? await r.text() : "",
      next: r.headers.get("x-next-cursor"),
    };
  }

  function note(id, text) {
    $(`${id}-note`).textContent = text ? ` ${text}` : "";
  }
  function kpi(id, value, sub) {
    $(id).textContent = value;
    $(`${id}-sub`).textContent = sub || "";
  }

  async function get(path) {
    const r = await fetch(base + path, {
      headers: { accept: "application/json" },
      credentials: "same-origin",
    }).catch(() => {
      throw new Error(say("error.offline"));
    });
    if (r.status === 401) {
      location.assign(`${base}/dashboard`);
      throw new Error("your session ended; sign in again");
    }
    const body = await r.json().catch(() => null);
    if (!r.ok) throw new Error(body?.message || say("error.server", { status: r.status }));
    return body;
  }
  // The freshness block reads D1 rows and lists R2 on every call, and it is the deployment's,
  // not the call's: only the by-day call (the line under the filters) asks for it.
  const funnel = (group, limit, fresh = false) => {
    const p = new URLSearchParams(applied);
    p.set("group_by", group);
    if (limit) p.set("limit", limit);
    if (!fresh) p.set("freshness", "none");
    return get(`/dashboard/api/funnel?${p}`);
  };

  const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  function fillSelect(name, items) {
    const sel = form.elements[name],
      current = sel.value;
    for (const it of items) {
      let opt = [...sel.options].find((o) => o.value === it.id);
      if (!opt) {
        opt = d.createElement("option");
        opt.value = it.id;
        sel.append(opt);
      }
      opt.textContent = it.name;
    }
    // "Bakery 9" before "Bakery 10": the server sorts names as text, people read numbers.
    const [all, ...named] = [...sel.options];
    named.sort((a, b) => byName.compare(a.textContent, b.textContent));
    sel.replaceChildren(all, ...named);
    sel.value = current;
  }

  async function load() {
    const status = $("status");
    try {
      const [days, stores, posters, platforms, inapp, sources, labels] = await Promise.all([
        funnel("day", undefined, true),
        funnel("store", 8),
        funnel("poster", 8),
        funnel("platform"),
        funnel("in_app"),
        funnel("source"),
        get("/dashboard/api/labels"),
      ]);
      fillSelect("store_id", labels.stores);
      fillSelect("campaign_id", labels.campaigns);
      fillSelect("poster_id", labels.posters);
      const t = days.totals;
      kpi("k-scans", nf.format(t.scanned), say("f.days", { n: days.rows.length }));
      kpi("k-unique", nf.format(t.unique_scanners), say("f.byIp"));
      kpi(
        "k-opens",
        nf.format(t.app_open),
        say("f.ofScans", { rate: pct(t.scanned ? t.app_open / t.scanned : null) }),
      );
      const worth = money(t.converted_value);
      const ofScans = say("f.ofScans", { rate: pct(t.scanned ? t.converted / t.scanned : null) });
      kpi("k-conv", nf.format(t.converted), worth ? `${worth} · ${ofScans}` : ofScans);
      kpi(
        "k-median",
        ms(t.median_scan_to_app_open_ms),
        days.median_sample.pairs
          ? say("f.pairs", { n: nf.format(days.median_sample.pairs) })
          : say("f.noPairs"),
      );
      // Each KPI beside the same days just before (one more funnel call, not waited for).
      const filter = Object.fromEntries(
        ["store_id", "campaign_id", "poster_id"].map((k) => [k, applied.get(k) ?? undefined]),
      );
      previousTotals(filter, days.from, days.to).then((prev) => {
        if (!prev) return;
        const c = changes(t, prev.totals, prev.days);
        const ids = {
          scans: "k-scans",
          unique: "k-unique",
          opens: "k-opens",
          conversions: "k-conv",
        };
        for (const [name, id] of Object.entries(ids)) if (c[name]) $(id).after(c[name]);
      });
      drawFunnel(t);
      drawTimeline(days.rows);
      drawBars("stores", stores.rows, groupLabel("store", labels), say("f.topStores"), (g) =>
        g !== null && canEdit ? link(`/stores/${encodeURIComponent(g)}`) : null,
      );
      drawBars("posters", posters.rows, groupLabel("poster", labels), say("f.topPosters"), (g) =>
        g !== null && canEdit ? link(`/posters/${encodeURIComponent(g)}`) : null,
      );
      drawDonut(
        "platforms",
        platforms.rows,
        groupLabel("platform", labels),
        say("f.platformsLabel"),
      );
      drawDonut("sources", sources.rows, groupLabel("source", labels), say("f.sourcesLabel"));
      drawDonut("inapp", inapp.rows, groupLabel("in_app", labels), say("f.inappLabel"));
      // The days are the reporting time zone's (absent from a server before it: nothing said).
      if (days.time_zone) timeZone = days.time_zone;
      const zone = days.time_zone ? ` · ${say("f.timeZone", { zone: days.time_zone })}` : "";
      note("timeline", `${days.from} → ${days.to}${zone}`);
      d.querySelector("main .grid").append(
        funnelTable(funnel, labels, days, { picked: pickedTable, onPick: keepTable }),
        // Quiet posters are about today, not the range picked: a poster filter does not narrow them.
        quietCard({ store_id: filter.store_id, campaign_id: filter.campaign_id }),
      );
      // How current the figures are, where "Loading…" was (the line keeps its height): its
      // "2 minutes ago" is kept true while the page stays open, without asking again, and
      // without a screen reader announcing each minute (only the first line is).
      const fresh = () => freshnessLine(days.freshness, Date.now(), say, locale);
      status.textContent = fresh();
      setInterval(() => {
        const text = fresh();
        if (text === status.textContent) return;
        status.setAttribute("aria-live", "off");
        status.textContent = text;
      }, 30_000);
    } catch (err) {
      status.className = "status error";
      status.textContent = say("f.failed", { message: err.message });
    }
  }
  load();
}
