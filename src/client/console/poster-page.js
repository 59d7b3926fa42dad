// A poster's page: its QR and manual code, re-targeting, pause / resume / revoke, its funnel and
// its print files.
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
  section,
  showErrors,
  t,
} from "./lib.js";
import { badge, paramsOf } from "./posters.js";

/** `{k: "v"}` → `k=v`, as the params field shows them. */
const paramsText = (params) => new URLSearchParams(params || {}).toString();

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
