// Posters: the list with filters and server paging, and creation. (A poster's own page:
// poster-page.js.)
import {
  api,
  canEdit,
  field,
  form,
  h,
  link,
  listAll,
  mount,
  query,
  section,
  showErrors,
  t,
  when,
} from "./lib.js";
import { apiPage, pagedTable } from "./tables.js";

const STATUSES = ["active", "paused", "revoked"];

/**
 * What a scan of poster `p` does at `now`: its status, except that an active poster outside its
 * `active_from`/`active_until` window is `scheduled` or `ended` (its scans are refused as
 * `not_started` / `ended`, so calling it "Active" would be wrong).
 * @example posterState({ status: "active", active_from: Date.now() + 864e5 }) // "scheduled"
 */
export function posterState(p, now = Date.now()) {
  if (p.status !== "active") return p.status;
  if (p.active_from != null && now < p.active_from) return "scheduled";
  if (p.active_until != null && now >= p.active_until) return "ended";
  return "active";
}

/** When poster `p` opens the app, as a sentence; "" without a window. */
export function windowText(p, now = Date.now()) {
  const state = posterState(p, now);
  if (state === "scheduled") return t("status.from", { when: when(p.active_from) });
  if (state === "ended") return t("status.endedAt", { when: when(p.active_until) });
  if (state === "active" && p.active_until != null)
    return t("status.until", { when: when(p.active_until) });
  return "";
}

/** A poster's state (posterState) as a coloured badge; its window in the tooltip. */
export const badge = (p) => {
  const state = posterState(p);
  return h("span", {
    class: `badge ${state}`,
    text: t(`status.${state}`),
    title: windowText(p) || undefined,
  });
};

/** `k=v&k2=v2` → `{k: "v", k2: "v2"}`; empty text → undefined. */
export function paramsOf(text) {
  if (!text) return undefined;
  return Object.fromEntries(new URLSearchParams(text));
}

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** Every `[id, name]` choice for a select, by name as people read it ("Bakery 9" before "Bakery 10"). */
async function options(path, key) {
  const list = (await listAll(path, key)).items.map((x) => [x.id, x.name]);
  return list.sort((a, b) => byName.compare(a[1], b[1]));
}

/** The posters list; `fixed` ({store_id} or {campaign_id}) pins a filter. */
export function posterList(fixed = {}) {
  const filter = { status: "" };
  const list = pagedTable(
    [
      t("poster.name"),
      t("poster.code"),
      t("poster.path"),
      t("poster.store"),
      t("poster.campaign"),
      t("poster.status"),
    ],
    apiPage(
      "posters",
      (cursor) => `/v1/posters${query({ ...filter, ...fixed, cursor, limit: 25 })}`,
    ),
    (p) =>
      h(
        "tr",
        {},
        h("td", {}, h("a", { href: link(`/posters/${p.id}`), text: p.name })),
        h("td", { class: "code", text: p.display_code }),
        h("td", { class: "code", text: p.path }),
        h(
          "td",
          {},
          p.store_id ? h("a", { href: link(`/stores/${p.store_id}`), text: p.store_name }) : "",
        ),
        h(
          "td",
          {},
          p.campaign_id
            ? h("a", { href: link(`/campaigns/${p.campaign_id}`), text: p.campaign })
            : "",
        ),
        h("td", {}, badge(p)),
      ),
    t("posters.none"),
  );
  const bar = h("form", { class: "filters", role: "search" });
  const add = (name, label, opts) => {
    const f = field(name, label, { options: [["", t("all")], ...opts] });
    f.querySelector("select").addEventListener("change", (e) => {
      filter[name] = e.target.value;
      list.reload();
    });
    bar.append(f);
    return f.querySelector("select");
  };
  add(
    "status",
    t("poster.status"),
    STATUSES.map((s) => [s, t(`status.${s}`)]),
  );
  if (!fixed.store_id && !fixed.campaign_id) {
    const stores = add("store_id", t("poster.store"), []);
    const campaigns = add("campaign_id", t("poster.campaign"), []);
    options("/v1/stores", "stores").then((o) =>
      stores.append(...o.map(([v, l]) => h("option", { value: v, text: l }))),
    );
    options("/v1/campaigns", "campaigns").then((o) =>
      campaigns.append(...o.map(([v, l]) => h("option", { value: v, text: l }))),
    );
  }
  bar.addEventListener("submit", (e) => e.preventDefault());
  list.reload();
  return h("div", {}, bar, list.el);
}

/** /dashboard/posters */
export async function postersView() {
  const stores = await options("/v1/stores", "stores");
  const create = form(
    [
      field("name", t("poster.name"), { required: true }),
      field("path", t("poster.path"), {
        required: true,
        type: "code",
        placeholder: "/menu/lunch",
        hint: t("poster.pathHint"),
      }),
      field("store_id", t("poster.store"), { options: [["", t("none")], ...stores] }),
      field("campaign", t("poster.campaign"), { hint: t("poster.campaignHint") }),
      field("params", t("poster.params"), {
        type: "code",
        placeholder: "table=12&lang=en",
        hint: t("poster.paramsHint"),
      }),
      field("label", t("poster.label"), { hint: t("poster.labelHint") }),
    ],
    t("poster.create"),
    async (v, f) => {
      const r = await api("POST", "/v1/posters", {
        name: v.name,
        path: v.path,
        store_id: v.store_id || null,
        campaign: v.campaign || null,
        params: paramsOf(v.params),
        label: v.label || null,
      });
      if (!r.ok) return showErrors(f, r.body);
      location.assign(link(`/posters/${r.body.id}`));
    },
  );
  mount(
    h("h1", { text: t("nav.posters") }),
    canEdit
      ? section(
          t("poster.new"),
          create,
          h("p", {}, h("a", { href: link("/import"), text: t("poster.importMany") })),
        )
      : null,
    section(t("nav.posters"), posterList()),
  );
}
