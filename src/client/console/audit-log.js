// The admin's audit log page (/dashboard/audit-log): who changed what and when, newest first,
// a page at a time with the API's cursor, filtered as `GET /v1/audit-log` filters (the kind of
// item and its id, the key that made the change, a range of days).
import {
  AUDIT_SUBJECTS,
  actionWord,
  actorText,
  auditQuery,
  changeSummary,
  subjectPath,
} from "./audit-entries.js";
import { api, field, h, link, mount, query, section, t, when } from "./lib.js";
import { apiPage, pagedTable } from "./tables.js";

const PAGE = 25;

/** /dashboard/audit-log */
export async function auditLogView() {
  let filter = {};
  // The keys by id, to name who made a change; a key revoked since is still listed by the API.
  const keys = await api("GET", "/v1/keys");
  const names = new Map((keys.ok ? keys.body.keys : []).map((k) => [k.id, k.name]));
  const who = (e) => actorText(e, names, t);
  const list = pagedTable(
    [t("audit.when"), t("audit.who"), t("audit.what"), t("audit.action"), t("audit.changes")],
    apiPage("entries", (cursor) => `/v1/audit-log${query({ ...filter, limit: PAGE, cursor })}`),
    (e) => {
      const path = subjectPath(e.subject_type, e.subject_id);
      const id = path
        ? h("a", { href: link(path), text: e.subject_id })
        : h("span", { text: e.subject_id });
      return h(
        "tr",
        { "data-action": e.action },
        h("td", { text: when(e.at) }),
        h("td", { text: who(e) }),
        h("td", {}, `${t(`audit.s.${e.subject_type}`)} `, h("span", { class: "code" }, id)),
        h("td", { text: t(actionWord(e.action)) }),
        h("td", { text: changeSummary(e.changes) }),
      );
    },
    t("audit.none"),
  );

  const bar = h("form", { class: "filters", role: "search", "aria-label": t("audit.filters") });
  bar.append(
    field("subject_type", t("audit.kind"), {
      options: [["", t("all")], ...AUDIT_SUBJECTS.map((s) => [s, t(`audit.s.${s}`)])],
    }),
    field("subject_id", t("audit.id"), { type: "code", hint: t("audit.idHint") }),
    field("actor", t("audit.key"), {
      options: [
        ["", t("all")],
        ["admin", t("audit.admin")],
        ...[...names].map(([id, name]) => [id, `${name} (${id})`]),
      ],
    }),
    field("from", t("audit.from"), { type: "date" }),
    field("to", t("audit.to"), { type: "date" }),
    h("div", { class: "actions" }, h("button", { type: "submit", text: t("audit.apply") })),
  );
  bar.addEventListener("submit", (e) => {
    e.preventDefault();
    const values = {};
    for (const [k, v] of new FormData(bar)) values[k] = String(v);
    filter = auditQuery(values);
    list.reload();
  });

  mount(
    h("h1", { text: t("nav.audit-log") }),
    section(t("nav.audit-log"), h("p", { class: "muted", text: t("audit.lead") }), bar, list.el),
  );
  await list.reload();
}
