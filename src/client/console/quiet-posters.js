// "Posters gone quiet": the active posters with no scan in the last days that were scanned in
// the weeks before (GET /v1/stats/quiet-posters, its default windows), each linked to its page.
// On the funnel page, and filtered on a store's or a campaign's page; a table like the console's
// others (tables.js): a card per poster on a phone, scrolled by keyboard when it is too wide.
import { dayCount } from "./change.js";
import { api, canEdit, h, link, locale, query, t } from "./lib.js";
import { labelCells, stackedTable } from "./tables.js";

const MAX_LISTED = 50;

/**
 * The card of the posters gone quiet under `filter` ({ store_id } or { campaign_id }, or none).
 * @example main.append(quietCard({ store_id: "st_abc" }))
 */
export function quietCard(filter = {}) {
  const lead = h("p", { class: "muted" });
  const body = h("div", {}, h("p", { class: "muted", text: t("loading") }));
  const card = h(
    "section",
    { class: "card wide", id: "quiet-posters" },
    h("h2", { text: t("quiet.title") }),
    lead,
    body,
  );
  const nf = new Intl.NumberFormat(locale);
  api("GET", `/v1/stats/quiet-posters${query({ ...filter, limit: MAX_LISTED })}`).then((r) => {
    if (!r.ok) return body.replaceChildren(h("p", { class: "muted", text: r.body.message }));
    const a = r.body;
    lead.textContent = t("quiet.lead", {
      days: dayCount(a.quiet_from, a.today),
      baseline: dayCount(a.baseline_from, a.baseline_to),
    });
    if (a.posters.length === 0)
      return body.replaceChildren(h("p", { class: "empty", text: t("quiet.none") }));
    // A poster's page is the poster editor's: a reader without posters:write sees the name only.
    const to = (path, text) => (canEdit ? h("a", { href: link(path), text }) : text);
    const named = (id, name, path) =>
      id ? to(`${path}/${encodeURIComponent(id)}`, name ?? id) : "";
    const head = [t("audit.s.poster"), t("poster.store"), t("poster.campaign")];
    const rows = h(
      "tbody",
      {},
      ...a.posters.map((p) =>
        h(
          "tr",
          { "data-poster": p.poster_id },
          h("td", {}, named(p.poster_id, p.name, "/posters")),
          h("td", {}, named(p.store_id, p.store_name, "/stores")),
          h("td", {}, named(p.campaign_id, p.campaign_name, "/campaigns")),
          h("td", { text: nf.format(p.baseline_scans) }),
          h("td", { text: t("quiet.ago", { day: p.last_scanned_day, n: p.quiet_days }) }),
        ),
      ),
    );
    body.replaceChildren(
      stackedTable([...head, t("quiet.scans"), t("quiet.last")], rows),
      a.more
        ? h("p", {
            class: "muted",
            text: t("quiet.capped", {
              shown: nf.format(a.posters.length),
              count: nf.format(a.count),
            }),
          })
        : null,
    );
    labelCells(rows);
  });
  return card;
}
