// The funnel page's charts (funnel, timeline, top-N bars, donuts), each drawn as SVG with DOM
// calls into the element with the given id: data only ever lands in `textContent` and
// attributes, never in markup. The page logic that fetches the data is in funnel.js.
import { t as say } from "./lib.js";

const d = document,
  $ = (id) => d.getElementById(id),
  NS = "http://www.w3.org/2000/svg";
/** Numbers in the reader's locale. */
export const nf = new Intl.NumberFormat();
// [key, label, what its rate divides by]: each kind by its own earlier stage (core/funnel RATE_BASES).
const STAGES = ["scanned", "landing", "app_open", "redeemed", "converted"].map((key, i) => [
  key,
  say(`f.${key}`),
  i ? say(`f.of.${key}`) : "",
]);
/** A rate as a percentage with one decimal, or "–" when there is none. */
export const pct = (x) =>
  x === null || x === undefined || !Number.isFinite(x) ? "–" : `${(x * 100).toFixed(1)}%`;

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

// A chart as wide as its card in CSS pixels (at most `most`), so its text keeps its size on a
// phone instead of shrinking with a fixed-width drawing.
const widthOf = (id, most) => Math.round(Math.min(most, Math.max(280, $(id).clientWidth || most)));

/**
 * Draws the stages of the funnel totals `t` as bars into #funnel (two lines a stage when narrow).
 * @example drawFunnel(days.totals);
 */
export function drawFunnel(t) {
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

/**
 * Draws scans and app opens per day as lines into #timeline, or says there is nothing.
 * @example drawTimeline(days.rows);
 */
export function drawTimeline(rows) {
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

/**
 * Draws the groups with scans as labelled bars into #`id`; `href(group)` is the console page of
 * the store or poster a bar names, or null.
 * @example drawBars("stores", stores.rows, (g) => names.get(g), "Top stores", () => null);
 */
export function drawBars(id, rows, name, what, href) {
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

/**
 * Draws each group's share of the scans as a donut and a legend into #`id`.
 * @example drawDonut("platforms", platforms.rows, (g) => g ?? "Unknown", "Scans by platform");
 */
export function drawDonut(id, rows, name, label) {
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
