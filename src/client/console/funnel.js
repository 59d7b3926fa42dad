// The funnel page of the console (/dashboard). It reads the filter form, fetches the funnel
// JSON (cookie session, same origin) and draws every chart as SVG built with DOM calls: data
// only ever lands in `textContent` and attributes, never in markup.
import { canEdit, link, t as say } from "./lib.js";

/** Draw the funnel page. */
export function funnelPage() {
  const d = document,
    base = d.body.dataset.base || "",
    NS = "http://www.w3.org/2000/svg";
  const form = d.getElementById("filters"),
    $ = (id) => d.getElementById(id);
  const nf = new Intl.NumberFormat();
  // [key, label, what its rate divides by]: each kind by its own earlier stage (core/funnel RATE_BASES).
  const STAGES = ["scanned", "landing", "app_open", "redeemed", "converted"].map((key, i) => [
    key,
    say(`f.${key}`),
    i ? say(`f.of.${key}`) : "",
  ]);
  const PLATFORMS = ["ios", "android", "desktop", "other"];
  const SOURCES = ["handoff", "poster", "login"];
  const pct = (x) =>
    x === null || x === undefined || !Number.isFinite(x) ? "–" : `${(x * 100).toFixed(1)}%`;
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
    for (const [k, v] of new FormData(form)) if (v) p.set(k, String(v));
    return p;
  };

  for (const b of form.querySelectorAll("[data-days]"))
    b.addEventListener("click", () => {
      const to = new Date(),
        from = new Date(to.getTime() - (Number(b.dataset.days) - 1) * 864e5);
      form.elements.to.value = to.toISOString().slice(0, 10);
      form.elements.from.value = from.toISOString().slice(0, 10);
      form.submit();
    });
  for (const name of ["store_id", "campaign_id"])
    form.elements[name].addEventListener("change", () => form.submit());
  $("csv").href = `${base}/dashboard/api/hops.csv?${params()}`;

  function add(parent, tag, attrs, text) {
    const e = d.createElementNS(NS, tag);
    for (const k in attrs) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined) e.textContent = String(text);
    parent.appendChild(e);
    return e;
  }
  function svg(w, h, label) {
    const s = d.createElementNS(NS, "svg");
    s.setAttribute("viewBox", `0 0 ${w} ${h}`);
    s.setAttribute("role", "img");
    s.setAttribute("aria-label", label);
    return s;
  }
  function mount(id, ...nodes) {
    $(id).replaceChildren(...nodes);
  }
  function empty(id, text) {
    const p = d.createElement("p");
    p.className = "empty";
    p.textContent = text;
    mount(id, p);
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
    });
    if (r.status === 401) {
      location.assign(`${base}/dashboard`);
      throw new Error("your session ended; sign in again");
    }
    const body = await r.json().catch(() => null);
    if (!r.ok) throw new Error(body?.message || `HTTP ${r.status}`);
    return body;
  }
  const funnel = (group, limit) => {
    const p = params();
    p.set("group_by", group);
    if (limit) p.set("limit", limit);
    return get(`/dashboard/api/funnel?${p}`);
  };

  // A chart as wide as its card in CSS pixels (at most `most`), so its text keeps its size on a
  // phone instead of shrinking with a fixed-width drawing.
  const widthOf = (id, most) =>
    Math.round(Math.min(most, Math.max(280, $(id).clientWidth || most)));

  function drawFunnel(t) {
    const W = widthOf("funnel", 1100),
      max = Math.max(1, t.scanned);
    if (W < 640) return drawFunnelNarrow(t, W, max);
    const s = svg(W, STAGES.length * 46, say("f.funnelLabel"));
    STAGES.forEach(([key, label, base], i) => {
      const y = i * 46,
        w = Math.max(2, (t[key] / max) * 720);
      add(s, "text", { x: 0, y: y + 24, "font-size": 14 }, label);
      add(s, "rect", { x: 130, y: y + 6, width: 720, height: 26, rx: 7, class: "track" });
      const bar = add(s, "rect", {
        x: 130,
        y: y + 6,
        width: w,
        height: 26,
        rx: 7,
        class: `c${i + 1}`,
      });
      add(bar, "title", {}, `${label}: ${nf.format(t[key])}`);
      add(s, "text", { x: 866, y: y + 24, "font-weight": 700, "font-size": 15 }, nf.format(t[key]));
      if (base)
        add(
          s,
          "text",
          { x: W, y: y + 24, "text-anchor": "end", class: "muted", "font-size": 13 },
          `${pct(t.rates[key])} ${base}`,
        );
    });
    mount("funnel", s);
  }

  /** On a narrow card each stage takes two lines: its name, count and rate, then its bar. */
  function drawFunnelNarrow(t, W, max) {
    const s = svg(W, STAGES.length * 50, say("f.funnelLabel"));
    STAGES.forEach(([key, label, base], i) => {
      const y = i * 50;
      add(s, "text", { x: 0, y: y + 16, "font-size": 14 }, `${label} · ${nf.format(t[key])}`);
      if (base)
        add(
          s,
          "text",
          { x: W, y: y + 16, "text-anchor": "end", class: "muted", "font-size": 12 },
          pct(t.rates[key]),
        );
      add(s, "rect", { x: 0, y: y + 24, width: W, height: 14, rx: 7, class: "track" });
      const bar = add(s, "rect", {
        x: 0,
        y: y + 24,
        width: Math.max(2, (t[key] / max) * W),
        height: 14,
        rx: 7,
        class: `c${i + 1}`,
      });
      add(
        bar,
        "title",
        {},
        `${label}: ${nf.format(t[key])}${base ? `, ${pct(t.rates[key])} ${base}` : ""}`,
      );
    });
    mount("funnel", s);
  }

  function niceMax(v) {
    if (v <= 5) return 5;
    const p = 10 ** Math.floor(Math.log10(v));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return v;
  }

  function drawTimeline(rows) {
    if (!rows.some((r) => r.scanned || r.app_open)) return empty("timeline", say("f.none"));
    const W = widthOf("timeline", 1100),
      H = 260,
      L = 44,
      B = 26,
      top = 10,
      n = rows.length;
    const ymax = niceMax(Math.max(...rows.map((r) => Math.max(r.scanned, r.app_open))));
    const x = (i) => L + (n === 1 ? (W - L) / 2 : (i * (W - L - 8)) / (n - 1));
    const y = (v) => top + (H - B - top) * (1 - v / ymax);
    const s = svg(W, H, say("f.timelineLabel"));
    for (let k = 0; k <= 4; k++) {
      const v = (ymax * k) / 4;
      add(s, "line", { x1: L, x2: W, y1: y(v), y2: y(v), class: "grid-line" });
      add(
        s,
        "text",
        { x: L - 8, y: y(v) + 4, "text-anchor": "end", class: "muted" },
        nf.format(Math.round(v)),
      );
    }
    const step = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(W / 90))));
    rows.forEach((r, i) => {
      if (i % step === 0 || i === n - 1)
        add(
          s,
          "text",
          { x: x(i), y: H - 6, "text-anchor": "middle", class: "muted" },
          r.group.slice(5),
        );
    });
    const pts = (key) => rows.map((r, i) => `${x(i).toFixed(1)},${y(r[key]).toFixed(1)}`);
    add(s, "path", {
      d:
        "M" +
        x(0) +
        "," +
        y(0) +
        " L" +
        pts("scanned").join(" L") +
        " L" +
        x(n - 1) +
        "," +
        y(0) +
        "Z",
      class: "area1",
    });
    add(s, "polyline", { points: pts("scanned").join(" "), class: "line1" });
    add(s, "polyline", { points: pts("app_open").join(" "), class: "line2" });
    if (n <= 92)
      rows.forEach((r, i) => {
        const dot = add(s, "circle", { cx: x(i), cy: y(r.scanned), r: 3, class: "c1" });
        add(
          dot,
          "title",
          {},
          say("f.dayTitle", {
            day: r.group,
            scans: nf.format(r.scanned),
            opens: nf.format(r.app_open),
          }),
        );
      });
    const legend = d.createElement("div");
    legend.className = "inline-legend";
    for (const [cls, text] of [
      ["c1", say("f.scans")],
      ["c2", say("f.opens")],
    ]) {
      const sp = d.createElement("span"),
        i = d.createElement("i");
      i.className = cls;
      sp.append(i, text);
      legend.append(sp);
    }
    mount("timeline", s, legend);
  }

  // `href(group)`: the console page of a store or poster the bar names, or null.
  function drawBars(id, rows, name, what, href) {
    rows = rows.filter((r) => r.scanned > 0);
    if (!rows.length) return empty(id, say("f.none"));
    const BW = widthOf(id, 520),
      max = Math.max(...rows.map((r) => r.scanned)),
      s = svg(BW, rows.length * 40, what);
    rows.forEach((r, i) => {
      const y = i * 40;
      const to = href(r.group);
      add(to ? add(s, "a", { href: to }) : s, "text", { x: 0, y: y + 13 }, name(r.group));
      add(
        s,
        "text",
        { x: BW, y: y + 13, "text-anchor": "end", "font-weight": 700 },
        nf.format(r.scanned),
      );
      add(s, "rect", { x: 0, y: y + 20, width: BW, height: 9, rx: 4.5, class: "track" });
      const bar = add(s, "rect", {
        x: 0,
        y: y + 20,
        width: Math.max(3, (r.scanned / max) * BW),
        height: 9,
        rx: 4.5,
        class: `c${(i % 2) + 1}`,
      });
      add(
        bar,
        "title",
        {},
        say("f.barTitle", {
          name: name(r.group),
          scans: nf.format(r.scanned),
          rate: pct(r.scanned ? r.app_open / r.scanned : null),
        }),
      );
    });
    mount(id, s);
  }

  function drawDonut(id, rows, name, label) {
    rows = rows.filter((r) => r.scanned > 0);
    const total = rows.reduce((a, r) => a + r.scanned, 0);
    if (!total) return empty(id, say("f.none"));
    const s = svg(160, 160, label),
      R = 74,
      r0 = 46;
    let a0 = -Math.PI / 2;
    rows.forEach((r, i) => {
      const frac = r.scanned / total,
        // A whole ring stops just short of closing: an arc whose ends meet is not drawn at all.
        a1 = a0 + frac * 2 * Math.PI - (frac === 1 ? 1e-3 : 0),
        big = a1 - a0 > Math.PI ? 1 : 0;
      const p = (rad, a) =>
        `${(80 + rad * Math.cos(a)).toFixed(3)} ${(80 + rad * Math.sin(a)).toFixed(3)}`;
      const seg = add(s, "path", {
        d:
          "M" +
          p(R, a0) +
          " A" +
          R +
          " " +
          R +
          " 0 " +
          big +
          " 1 " +
          p(R, a1) +
          " L" +
          p(r0, a1) +
          " A" +
          r0 +
          " " +
          r0 +
          " 0 " +
          big +
          " 0 " +
          p(r0, a0) +
          "Z",
        class: `c${(i % 6) + 1}`,
      });
      add(seg, "title", {}, `${name(r.group)}: ${nf.format(r.scanned)}`);
      a0 = a1;
    });
    add(
      s,
      "text",
      { x: 80, y: 78, "text-anchor": "middle", "font-weight": 700, "font-size": 20 },
      nf.format(total),
    );
    add(s, "text", { x: 80, y: 96, "text-anchor": "middle", class: "muted" }, say("f.scansUnit"));
    const ul = d.createElement("ul");
    ul.className = "legend";
    rows.forEach((r, i) => {
      const li = d.createElement("li"),
        sw = d.createElement("i"),
        n = d.createElement("span"),
        b = d.createElement("b");
      sw.className = `c${(i % 6) + 1}`;
      n.className = "name";
      n.textContent = name(r.group);
      b.textContent = pct(r.scanned / total);
      li.append(sw, n, b);
      ul.append(li);
    });
    const wrap = d.createElement("div");
    wrap.className = "split";
    wrap.append(s, ul);
    mount(id, wrap);
  }

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
    sel.value = current;
  }

  async function load() {
    const status = $("status");
    try {
      const [days, stores, posters, platforms, inapp, sources, labels] = await Promise.all([
        funnel("day"),
        funnel("store", 8),
        funnel("poster", 8),
        funnel("platform"),
        funnel("in_app"),
        funnel("source"),
        get("/dashboard/api/labels"),
      ]);
      const names = (list) => new Map(list.map((x) => [x.id, x.name]));
      const storeNames = names(labels.stores),
        posterNames = names(labels.posters);
      fillSelect("store_id", labels.stores);
      fillSelect("campaign_id", labels.campaigns);
      const t = days.totals;
      kpi("k-scans", nf.format(t.scanned), say("f.days", { n: days.rows.length }));
      kpi("k-unique", nf.format(t.unique_scanners), say("f.byIp"));
      kpi(
        "k-opens",
        nf.format(t.app_open),
        say("f.ofScans", { rate: pct(t.scanned ? t.app_open / t.scanned : null) }),
      );
      kpi(
        "k-conv",
        nf.format(t.converted),
        say("f.ofScans", { rate: pct(t.scanned ? t.converted / t.scanned : null) }),
      );
      kpi(
        "k-median",
        ms(t.median_scan_to_app_open_ms),
        days.median_sample.pairs
          ? say("f.pairs", { n: nf.format(days.median_sample.pairs) })
          : say("f.noPairs"),
      );
      drawFunnel(t);
      drawTimeline(days.rows);
      drawBars(
        "stores",
        stores.rows,
        (g) => (g === null ? say("f.noStore") : storeNames.get(g) || g),
        say("f.topStores"),
        (g) => (g !== null && canEdit ? link(`/stores/${encodeURIComponent(g)}`) : null),
      );
      drawBars(
        "posters",
        posters.rows,
        (g) => (g === null ? say("f.noPoster") : posterNames.get(g) || g),
        say("f.topPosters"),
        (g) => (g !== null && canEdit ? link(`/posters/${encodeURIComponent(g)}`) : null),
      );
      drawDonut(
        "platforms",
        platforms.rows,
        (g) => (g === null ? say("f.unknown") : PLATFORMS.includes(g) ? say(`f.platform.${g}`) : g),
        say("f.platformsLabel"),
      );
      drawDonut(
        "sources",
        sources.rows,
        (g) => (SOURCES.includes(g) ? say(`f.source.${g}`) : g || say("f.unknown")),
        say("f.sourcesLabel"),
      );
      drawDonut(
        "inapp",
        inapp.rows,
        (g) => (g === null ? say("f.regular") : g),
        say("f.inappLabel"),
      );
      note("timeline", `${days.from} → ${days.to}`);
      status.textContent = "";
    } catch (err) {
      status.className = "status error";
      status.textContent = say("f.failed", { message: err.message });
    }
  }
  load();
}
