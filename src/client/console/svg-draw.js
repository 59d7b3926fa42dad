// Drawing helpers of the console's charts (funnel-charts.js, funnel-timeline.js): SVG and text
// made with DOM calls, so data only ever lands in `textContent` and attributes, never in markup.
import { locale } from "./page-lang.js";

/** The document the charts draw into. */
export const d = document;
const $ = (id) => d.getElementById(id);
const NS = "http://www.w3.org/2000/svg";
/** Numbers in the page's language. */
export const nf = new Intl.NumberFormat(locale);
/** A rate as a percentage with one decimal, or "–" when there is none. */
export const pct = (x) =>
  x === null || x === undefined || !Number.isFinite(x) ? "–" : `${(x * 100).toFixed(1)}%`;

/** Appends an SVG element `tag` with `attrs` (and `text`) to `parent`; returns it. */
export function add(parent, tag, attrs, text) {
  const e = d.createElementNS(NS, tag);
  for (const k in attrs) e.setAttribute(k, String(attrs[k]));
  if (text !== undefined) e.textContent = String(text);
  parent.appendChild(e);
  return e;
}
/** An empty SVG drawing `w` × `h` with an accessible label. */
export function svg(w, h, label) {
  const s = d.createElementNS(NS, "svg");
  s.setAttribute("viewBox", `0 0 ${w} ${h}`);
  s.setAttribute("role", "img");
  s.setAttribute("aria-label", label);
  return s;
}
/** Replaces what the element `id` shows with `nodes`. */
export function mount(id, ...nodes) {
  // A chart whose names are links (the top stores, the top posters) is a named group, not an
  // image: an image's contents are hidden from screen readers, so its links would be focusable
  // yet unnamed and unusable to them (axe: nested-interactive).
  for (const n of nodes)
    if (n.getAttribute?.("role") === "img" && n.querySelector("a[href]"))
      n.setAttribute("role", "group");
  $(id).replaceChildren(...nodes);
}
/** Shows `text` (a "nothing yet" line) in the element `id` instead of a chart. */
export function empty(id, text) {
  const p = d.createElement("p");
  p.className = "empty";
  p.textContent = text;
  mount(id, p);
}

// A chart as wide as its card in CSS pixels (at most `most`), so its text keeps its size on a
// phone instead of shrinking with a fixed-width drawing.
export const widthOf = (id, most) =>
  Math.round(Math.min(most, Math.max(280, $(id).clientWidth || most)));
