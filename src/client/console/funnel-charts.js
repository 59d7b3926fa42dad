// The funnel page's charts (funnel, top-N bars, donuts; the timeline is funnel-timeline.js),
// each drawn as SVG into the element with the given id (svg-draw.js). The page logic that fetches
// the data is in funnel.js.
import { money, t as say } from "./lib.js";
import { add, d, empty, mount, nf, pct, svg, widthOf } from "./svg-draw.js";

export { nf, pct } from "./svg-draw.js";

// [key, label, what its rate divides by]: each kind by its own earlier stage (core/funnel RATE_BASES).
const STAGES = ["scanned", "landing", "app_open", "redeemed", "converted"].map((key, i) => [
  key,
  say(`f.${key}`),
  i ? say(`f.of.${key}`) : "",
]);
/** Width right of the bars: a count of up to 9 digits, then the longest rate text. */
const RIGHT_COLUMN = 360;

/**
 * Draws the stages of the funnel totals `t` as bars into #funnel (two lines a stage when narrow).
 * @example drawFunnel(days.totals);
 */
export function drawFunnel(t) {
  const W = widthOf("funnel", 1100),
    max = Math.max(1, t.scanned);
  if (W < 720) return drawFunnelNarrow(t, W, max);
  const s = svg(W, STAGES.length * 46, say("f.funnelLabel"));
  // The bar gives way to the count and the longest rate text ("33.3% of app opens and
  // redemptions" is about 230 px), so the two never run into each other.
  const track = W - 130 - RIGHT_COLUMN;
  STAGES.forEach(([key, label, base], i) => {
    const y = i * 46,
      w = Math.max(2, (t[key] / max) * track);
    add(s, "text", { x: 0, y: y + 24, "font-size": 14 }, label);
    add(s, "rect", { x: 130, y: y + 6, width: track, height: 26, rx: 7, class: "track" });
    const bar = add(s, "rect", {
      x: 130,
      y: y + 6,
      width: w,
      height: 26,
      rx: 7,
      class: `c${i + 1}`,
    });
    add(bar, "title", {}, `${label}: ${nf.format(t[key])}`);
    add(
      s,
      "text",
      { x: 130 + track + 16, y: y + 24, "font-weight": 700, "font-size": 15, class: "count" },
      nf.format(t[key]),
    );
    if (base)
      add(
        s,
        "text",
        { x: W, y: y + 24, "text-anchor": "end", class: "muted rate", "font-size": 13 },
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

/**
 * Draws the groups with scans as labelled bars into #`id`; `href(group)` is the console page of
 * the store or poster a bar names, or null.
 * @example drawBars("stores", stores.rows, (g) => names.get(g), "Top stores", () => null);
 */
export function drawBars(id, rows, name, what, href) {
  // A group people only scanned while it was inactive is listed too: that is the one to act on.
  const refused = (r) => (r.refused ? ` · ${say("funnel.refused")} ${nf.format(r.refused)}` : "");
  rows = rows.filter((r) => r.scanned > 0 || r.refused > 0);
  if (!rows.length) return empty(id, say("f.none"));
  const BW = widthOf(id, 520),
    max = Math.max(1, ...rows.map((r) => r.scanned)),
    s = svg(BW, rows.length * 40, what);
  rows.forEach((r, i) => {
    const y = i * 40;
    const to = href(r.group);
    // What the group's conversions were worth stands left of its scans: revenue is what a shop
    // compares stores and posters by.
    const worth = money(r.converted_value);
    add(to ? add(s, "a", { href: to }) : s, "text", { x: 0, y: y + 13 }, name(r.group));
    add(
      s,
      "text",
      { x: BW, y: y + 13, "text-anchor": "end", "font-weight": 700 },
      (worth ? `${worth} · ${nf.format(r.scanned)}` : nf.format(r.scanned)) + refused(r),
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
      }) + (worth ? `, ${say("f.worth", { value: worth })}` : ""),
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
