// Posters: the list with filters and server paging, creation, and a poster's page (its QR and
// manual code, re-targeting, pause / resume / revoke, its funnel, its print files).
import { miniFunnel } from "./funnel-card.js";
import {
  announce,
  api,
  base,
  canEdit,
  field,
  form,
  h,
  link,
  mount,
  pagedTable,
  query,
  section,
  showErrors,
  t,
} from "./lib.js";

const STATUSES = ["active", "paused", "revoked"];
const badge = (status) => h("span", { class: `badge ${status}`, text: t(`status.${status}`) });

/** Links to the print files (SVG sheet, PDF) of the posters a filter selects. */
export function printLinks(filter) {
  const q = query(filter);
  const a = (file, label) =>
    h("a", {
      class: "button",
      href: `${base}/dashboard/api/v1/posters/${file}${q}`,
      download: true,
      text: label,
    });
  return h(
    "p",
    { class: "downloads" },
    a("print-sheet.pdf", t("print.sheetPdf")),
    a("print-sheet.svg", t("print.sheetSvg")),
  );
}

/** `k=v&k2=v2` → `{k: "v", k2: "v2"}`; empty text → undefined. */
export function paramsOf(text) {
  if (!text) return undefined;
  return Object.fromEntries(new URLSearchParams(text));
}

const paramsText = (params) => new URLSearchParams(params || {}).toString();

async function options(path, key) {
  const r = await api("GET", `${path}?limit=200`);
  return r.ok ? r.body[key].map((x) => [x.id, x.name]) : [];
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
    async (cursor) => {
      const r = await api("GET", `/v1/posters${query({ ...filter, ...fixed, cursor, limit: 25 })}`);
      return {
        ok: r.ok,
        body: r.body,
        items: r.body.posters || [],
        next_cursor: r.body.next_cursor,
      };
    },
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
        h("td", {}, badge(p.status)),
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

/** /dashboard/posters/{id} */
export async function posterView(id) {
  const r = await api("GET", `/v1/posters/${encodeURIComponent(id)}`);
  if (!r.ok) return mount(h("p", { class: "notice", role: "alert", text: r.body.message }));
  let p = r.body;
  const title = h("h1", { text: p.name });
  const status = h("p", { class: "status-line" });
  const actions = h("div", { class: "actions" });
  const draw = () => {
    title.textContent = p.name;
    status.replaceChildren(t("poster.status"), ": ", badge(p.status));
    actions.replaceChildren();
    if (!canEdit) return;
    const act = (to, label, question, cls = "") =>
      h("button", {
        type: "button",
        class: cls,
        "data-action": to,
        text: label,
        onclick: async () => {
          if (!confirm(question)) return;
          const out = await api("PATCH", `/v1/posters/${p.id}`, { status: to, version: p.version });
          if (!out.ok) return announce(out.body.message);
          p = out.body;
          draw();
          announce(t(`poster.now.${to}`));
        },
      });
    if (p.status === "active")
      actions.append(act("paused", t("poster.pause"), t("poster.pauseConfirm")));
    if (p.status === "paused")
      actions.append(act("active", t("poster.resume"), t("poster.resumeConfirm")));
    if (p.status !== "revoked")
      actions.append(act("revoked", t("poster.revoke"), t("poster.revokeConfirm"), "danger"));
  };
  draw();
  const edit = form(
    [
      field("name", t("poster.name"), { required: true, value: p.name }),
      field("path", t("poster.path"), {
        required: true,
        type: "code",
        value: p.path,
        hint: t("poster.pathHint"),
      }),
      field("params", t("poster.params"), {
        type: "code",
        value: paramsText(p.params),
        hint: t("poster.paramsHint"),
      }),
      field("label", t("poster.label"), { value: p.label || "" }),
    ],
    t("poster.retarget"),
    async (v, f) => {
      const out = await api("PATCH", `/v1/posters/${p.id}`, {
        name: v.name,
        path: v.path,
        params: paramsOf(v.params) || {},
        label: v.label || null,
        version: p.version,
      });
      if (!out.ok) return showErrors(f, out.body);
      p = out.body;
      draw();
      announce(t("poster.saved", { path: p.path }));
    },
  );
  const file = (name, label) =>
    h("a", {
      class: "button",
      href: `${base}/dashboard/api/v1/posters/${p.id}/${name}`,
      download: true,
      text: label,
    });
  mount(
    h("p", { class: "crumbs" }, h("a", { href: link("/posters"), text: t("nav.posters") })),
    title,
    h(
      "section",
      { class: "card wide poster-head" },
      h("img", {
        class: "qr",
        src: p.qr.svg,
        alt: t("poster.qrAlt", { name: p.name }),
        width: 180,
        height: 180,
      }),
      h(
        "div",
        {},
        h(
          "p",
          { class: "manual" },
          h("span", { text: t("poster.manual") }),
          h("strong", { class: "code", text: p.display_code }),
        ),
        h("p", { class: "code url", text: p.url }),
        status,
        h(
          "p",
          {},
          t("poster.store"),
          ": ",
          p.store_id
            ? h("a", { href: link(`/stores/${p.store_id}`), text: p.store_name })
            : t("none"),
        ),
        h(
          "p",
          {},
          t("poster.campaign"),
          ": ",
          p.campaign_id
            ? h("a", { href: link(`/campaigns/${p.campaign_id}`), text: p.campaign })
            : t("none"),
        ),
        actions,
        h(
          "p",
          { class: "downloads" },
          file("print.pdf", t("print.cardPdf")),
          file("print.svg", t("print.cardSvg")),
        ),
      ),
    ),
    canEdit
      ? section(t("poster.edit"), h("p", { class: "muted", text: t("poster.retargetHint") }), edit)
      : null,
    miniFunnel({ poster_id: p.id }),
  );
}
