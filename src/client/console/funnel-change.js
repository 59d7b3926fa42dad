// A funnel's KPIs beside the same KPIs of the days just before ("▲ +12 %", said in full to a
// screen reader), for the funnel page's tiles and a store's, campaign's or poster's card alike:
// one more funnel call, the comparison itself in change.js.
import { changeText, previousRange } from "./change.js";
import { api, h, locale, money, query, t } from "./lib.js";

/**
 * The change of a KPI from the previous period as a node: the arrow and percentage shown, the
 * sentence (changeText's `long`) said instead; null when there is no change to show.
 * @example tile.append(changeNode(changeText(1232, 1100, 30, "en", t)))
 */
export function changeNode(c) {
  if (!c) return null;
  return h(
    "small",
    { class: `change ${c.dir}` },
    h("b", { "aria-hidden": "true", text: c.short }),
    h("span", { class: "sr-only", text: c.long }),
  );
}

/**
 * The one currency of two `converted_value`s, or null when they hold none or several (a change
 * of a sum in two currencies says nothing).
 */
function oneCurrency(a, b) {
  const all = new Set([...Object.keys(a || {}), ...Object.keys(b || {})]);
  return all.size === 1 ? [...all][0] : null;
}

/**
 * The KPI figures of `now` and of the period before it (`before`, the same days): each tile's
 * change node, by KPI (scans, unique, opens, conversions, value).
 * @example changes(days.totals, prev.totals, 30).scans // <small class="change up">…
 */
export function changes(now, before, days) {
  const of = (a, b, prevText) => changeNode(changeText(a, b, days, locale, t, prevText));
  const currency = oneCurrency(now.converted_value, before.converted_value);
  const value = (x) => x.converted_value?.[currency] ?? 0;
  return {
    scans: of(now.scanned, before.scanned),
    unique: of(now.unique_scanners, before.unique_scanners),
    opens: of(now.app_open, before.app_open),
    conversions: of(now.converted, before.converted),
    value: currency ? of(value(now), value(before), money({ [currency]: value(before) })) : null,
  };
}

/**
 * The totals of the `days` days before `from` (YYYY-MM-DD) under `filter`, without the
 * freshness block; null when the call fails (the tiles then show no change).
 * @example const prev = await previousTotals({ store_id }, "2026-03-01", "2026-03-30")
 */
export async function previousTotals(filter, from, to) {
  const p = previousRange(from, to);
  const r = await api(
    "GET",
    `/funnel${query({ ...filter, from: p.from, to: p.to, group_by: "source", freshness: "none" })}`,
  );
  return r.ok ? { totals: r.body.totals, days: p.days } : null;
}
