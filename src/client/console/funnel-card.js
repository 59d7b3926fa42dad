// The funnel of one store, campaign or poster over the last 30 days: four figures and scans per
// day as SVG bars (drawn with DOM calls), from the same JSON as the funnel page.
import { changes, previousTotals } from "./funnel-change.js";
import { api, h, link, money, query, t } from "./lib.js";

const NS = "http://www.w3.org/2000/svg";

function svgEl(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const k in attrs) e.setAttribute(k, String(attrs[k]));
  if (text !== undefined) e.textContent = text;
  return e;
}

function bars(rows) {
  const W = 600;
  const H = 120;
  const max = Math.max(1, ...rows.map((r) => r.scanned));
  const s = svgEl("svg", {
    viewBox: `0 0 ${W} ${H}`,
    role: "img",
    "aria-label": t("funnel.perDay"),
  });
  const w = W / Math.max(1, rows.length);
  rows.forEach((r, i) => {
    const height = Math.max(r.scanned ? 2 : 0, (r.scanned / max) * (H - 16));
    const bar = svgEl("rect", {
      x: i * w + 1,
      y: H - height,
      width: Math.max(1, w - 2),
      height,
      class: "c1",
    });
    bar.append(svgEl("title", {}, `${r.group}: ${r.scanned}`));
    s.append(bar);
  });
  return s;
}

/**
 * A card with the funnel of `filter` ({store_id} | {campaign_id} | {poster_id}); for a poster
 * that is inactive now, `state` (posterState: paused, revoked, scheduled, ended) says how many
 * people still scanned it while it was so.
 * @example miniFunnel({ poster_id: p.id }, posterState(p))
 */
export function miniFunnel(filter, state) {
  const box = h("div", { class: "kpis" }, h("p", { class: "muted", text: t("loading") }));
  const chart = h("div", {});
  const card = h(
    "section",
    { class: "card wide" },
    h("h2", { text: t("funnel.title") }),
    box,
    chart,
    h("p", {}, h("a", { href: link(query(filter)), text: t("funnel.more") })),
  );
  // The card shows no freshness line: it does not pay for the block's reads.
  api("GET", `/funnel${query({ ...filter, group_by: "day", freshness: "none" })}`).then((r) => {
    if (!r.ok) {
      box.replaceChildren(h("p", { class: "muted", text: r.body.message }));
      return;
    }
    const x = r.body.totals;
    const kpi = (label, value) =>
      h("div", { class: "kpi" }, h("span", { text: label }), h("strong", { text: String(value) }));
    const tiles = {
      scans: kpi(t("funnel.scans"), x.scanned),
      unique: kpi(t("funnel.unique"), x.unique_scanners),
      opens: kpi(t("funnel.opens"), x.app_open),
      conversions: kpi(t("funnel.conversions"), x.converted),
      value: kpi(t("funnel.value"), money(x.converted_value) || "–"),
    };
    box.replaceChildren(...Object.values(tiles));
    // Beside each figure, its change from the 30 days before (one more funnel call).
    previousTotals(filter, r.body.from, r.body.to).then((prev) => {
      if (!prev) return;
      const c = changes(x, prev.totals, prev.days);
      for (const [name, tile] of Object.entries(tiles)) if (c[name]) tile.append(c[name]);
    });
    // Scans of a paused or ended poster are not in the funnel: people who still scan it are
    // what its owner acts on (a poster left on a wall, a campaign ended too early). The figure
    // counts scans, not people (one phone scanning five times is 5), and the sentence says so.
    if (x.refused) box.append(kpi(t("funnel.refused"), x.refused));
    const n = x.refused_by_reason?.[state === "scheduled" ? "not_started" : state];
    if (n)
      box.after(
        h("p", {
          class: "notice",
          text: t(n === 1 ? "funnel.refusedWhileOne" : "funnel.refusedWhile", {
            n,
            state: t(`funnel.while.${state}`),
          }),
        }),
      );
    if (!x.scanned)
      // Refused scans are scans too: "no scans" beside them would contradict the sentence above.
      return chart.replaceChildren(
        h("p", { class: "muted", text: t(x.refused ? "funnel.noCounted" : "funnel.noScans") }),
      );
    const rows = r.body.rows;
    // The chart scales with the card, so its labels are page text: the first and last day and
    // the peak, without which one bar at the right edge said neither which day nor how many.
    chart.replaceChildren(
      bars(rows),
      h(
        "p",
        { class: "chart-axis muted" },
        h("span", { text: rows[0].group }),
        h("span", { text: t("funnel.peak", { n: Math.max(...rows.map((d) => d.scanned)) }) }),
        h("span", { text: rows[rows.length - 1].group }),
      ),
    );
  });
  return card;
}
