// Stores and campaigns: lists with search and server paging, creation, a store's edit form and
// deletion, and each one's page with its posters, funnel and print downloads.
import { miniFunnel } from "./funnel-card.js";
import {
  announce,
  api,
  canEdit,
  field,
  form,
  h,
  link,
  mount,
  query,
  section,
  showErrors,
  t,
  when,
} from "./lib.js";
import { posterList } from "./posters.js";
import { printWarning, sheetLinks } from "./print-links.js";
import { quietCard } from "./quiet-posters.js";
import { apiPage, pagedTable } from "./tables.js";
import { primaryZoneName, zoneChoices } from "./zone-choices.js";

const nameLink = (href, text) => h("a", { href, text });

/**
 * The store's time zone as a choice of the runtime's IANA zones (none bundled), each under the
 * name the API reads back: "" is the deployment's (the page names it), a zone this browser does
 * not list is kept as it is.
 */
function zoneField(current = null) {
  const deployment = document.body.dataset.timeZone || "UTC";
  const zones = zoneChoices(Intl.supportedValuesOf?.("timeZone") ?? [], current);
  return field("time_zone", t("store.timeZone"), {
    options: [["", t("store.timeZoneDefault", { zone: deployment })], ...zones.map((z) => [z, z])],
    // A zone stored in an old spelling (before migration 0028) is shown under its new name.
    value: current ? primaryZoneName(current) : "",
    hint: t("store.timeZoneHint"),
  });
}

function searchBox(onsearch) {
  const input = h("input", { type: "search", id: "q", name: "q", autocomplete: "off" });
  const f = h(
    "form",
    { class: "search", role: "search" },
    h("label", { for: "q", text: t("search") }),
    input,
    h("button", { type: "submit", text: t("search.go") }),
  );
  f.addEventListener("submit", (e) => {
    e.preventDefault();
    onsearch(input.value.trim());
  });
  return f;
}

/** /dashboard/stores */
export function storesView() {
  let q = "";
  const list = pagedTable(
    [t("store.name"), t("store.ref"), t("store.address"), t("created")],
    apiPage("stores", (cursor) => `/v1/stores${query({ q, cursor, limit: 20 })}`),
    (s) =>
      h(
        "tr",
        {},
        h("td", {}, nameLink(link(`/stores/${s.id}`), s.name)),
        h("td", { text: s.ref || "" }),
        h("td", { text: s.address || "" }),
        h("td", { text: when(s.created_at) }),
      ),
    t("stores.none"),
  );
  const create = form(
    [
      field("name", t("store.name"), { required: true }),
      field("address", t("store.address")),
      field("ref", t("store.ref"), { hint: t("store.refHint") }),
      zoneField(),
    ],
    t("store.create"),
    async (v, f) => {
      const r = await api("POST", "/v1/stores", {
        name: v.name,
        address: v.address || null,
        ref: v.ref || null,
        time_zone: v.time_zone || null,
      });
      if (!r.ok) return showErrors(f, r.body);
      f.reset();
      announce(t("store.created", { name: r.body.name }));
      await list.reload();
    },
  );
  mount(
    h("h1", { text: t("nav.stores") }),
    canEdit ? section(t("store.new"), create) : null,
    section(
      t("nav.stores"),
      searchBox((text) => {
        q = text;
        list.reload();
      }),
      list.el,
    ),
  );
  list.reload();
}

/** /dashboard/stores/{id} */
export async function storeView(id) {
  const r = await api("GET", `/v1/stores/${encodeURIComponent(id)}`);
  if (!r.ok) return mount(h("p", { class: "notice", role: "alert", text: r.body.message }));
  const store = r.body;
  const title = h("h1", { text: store.name });
  const edit = form(
    [
      field("name", t("store.name"), { required: true, value: store.name }),
      field("address", t("store.address"), { value: store.address || "" }),
      field("ref", t("store.ref"), { value: store.ref || "" }),
      zoneField(store.time_zone),
    ],
    t("save"),
    async (v, f) => {
      const out = await api("PATCH", `/v1/stores/${store.id}`, {
        name: v.name,
        address: v.address || null,
        ref: v.ref || null,
        // Sent only when changed: a change drops its posters' scan cache entries.
        ...(v.time_zone !== (store.time_zone ?? "") ? { time_zone: v.time_zone || null } : {}),
      });
      if (!out.ok) return showErrors(f, out.body);
      store.time_zone = out.body.time_zone;
      // The zone as the API stored it, which the list offers under that name.
      f.elements.time_zone.value = store.time_zone ?? "";
      title.textContent = out.body.name;
      announce(t("saved"));
    },
  );
  const remove = h("button", {
    type: "button",
    class: "danger",
    text: t("store.delete"),
    onclick: async () => {
      if (!confirm(t("store.deleteConfirm", { name: store.name }))) return;
      const out = await api("DELETE", `/v1/stores/${store.id}`);
      // The API's 409 names the store by its id, for integrators; say it by its name, and what to do.
      if (out.status === 409) return announce(t("store.inUse", { name: store.name }));
      if (!out.ok) return announce(out.body.message);
      location.assign(link("/stores"));
    },
  });
  mount(
    h("p", { class: "crumbs" }, nameLink(link("/stores"), t("nav.stores"))),
    title,
    canEdit ? section(t("store.edit"), edit, h("div", { class: "actions" }, remove)) : null,
    miniFunnel({ store_id: store.id }),
    quietCard({ store_id: store.id }),
    section(
      t("posters.ofStore"),
      printWarning(store.name),
      sheetLinks({ store_id: store.id }),
      posterList({ store_id: store.id }),
    ),
  );
}

/** /dashboard/campaigns */
export function campaignsView() {
  let q = "";
  const list = pagedTable(
    [t("campaign.name"), t("created")],
    apiPage("campaigns", (cursor) => `/v1/campaigns${query({ q, cursor, limit: 20 })}`),
    (c) =>
      h(
        "tr",
        {},
        h("td", {}, nameLink(link(`/campaigns/${c.id}`), c.name)),
        h("td", { text: when(c.created_at) }),
      ),
    t("campaigns.none"),
  );
  const create = form(
    [field("name", t("campaign.name"), { required: true })],
    t("campaign.create"),
    async (v, f) => {
      const r = await api("POST", "/v1/campaigns", { name: v.name });
      if (!r.ok) return showErrors(f, r.body);
      f.reset();
      announce(t("campaign.created", { name: r.body.name }));
      await list.reload();
    },
  );
  mount(
    h("h1", { text: t("nav.campaigns") }),
    canEdit ? section(t("campaign.new"), create) : null,
    section(
      t("nav.campaigns"),
      searchBox((text) => {
        q = text;
        list.reload();
      }),
      list.el,
    ),
  );
  list.reload();
}

/** /dashboard/campaigns/{id} */
export async function campaignView(id) {
  const r = await api("GET", `/v1/campaigns/${encodeURIComponent(id)}`);
  if (!r.ok) return mount(h("p", { class: "notice", role: "alert", text: r.body.message }));
  const c = r.body;
  mount(
    h("p", { class: "crumbs" }, nameLink(link("/campaigns"), t("nav.campaigns"))),
    h("h1", { text: c.name }),
    miniFunnel({ campaign_id: c.id }),
    quietCard({ campaign_id: c.id }),
    section(
      t("posters.ofCampaign"),
      sheetLinks({ campaign_id: c.id }),
      posterList({ campaign_id: c.id }),
    ),
  );
}
