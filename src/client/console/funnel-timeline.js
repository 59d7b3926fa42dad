// The funnel page's timeline: scans and app opens per day as lines (svg-draw.js draws).
import { t as say } from "./lib.js";
import { add, d, empty, mount, nf, svg, widthOf } from "./svg-draw.js";

/**
 * The axis top: four equal whole-number steps of 1, 2, 2.5 or 5 × 10ⁿ reaching at least `v`,
 * so every grid line's label is exactly its value (a top of 50 made lines at 12.5 and 37.5
 * labelled "13" and "38").
 */
function niceMax(v) {
  const want = Math.max(1, v / 4);
  const p = 10 ** Math.floor(Math.log10(want));
  for (const m of [1, 2, 2.5, 5, 10])
    if (m * p >= want && Number.isInteger(m * p)) return 4 * m * p;
  return 4 * Math.ceil(want);
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
