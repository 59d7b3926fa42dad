// A poster's page: its QR and manual code, re-targeting, pause / resume / revoke, its funnel and
// its print files.
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
  section,
  showErrors,
  t,
} from "./lib.js";
import { badge, paramsOf, posterState, windowText } from "./posters.js";
import { cardLinks, printWarning } from "./print-links.js";

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
    const span = windowText(p);
    status.replaceChildren(t("poster.status"), ": ", badge(p), span ? ` — ${span}` : "");
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
  const schedule = scheduleForm(
    () => p,
    (saved) => {
      p = saved;
      draw();
    },
  );
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
        printWarning(p.store_name),
        cardLinks(p.id),
      ),
    ),
    canEdit
      ? section(t("poster.edit"), h("p", { class: "muted", text: t("poster.retargetHint") }), edit)
      : null,
    canEdit
      ? section(
          t("poster.schedule"),
          h("p", { class: "muted", text: t("poster.scheduleHint") }),
          schedule,
        )
      : null,
    miniFunnel({ poster_id: p.id }, posterState(p)),
  );
}

/** Unix ms → the value of a `datetime-local` input, in this computer's time zone. */
const localInput = (ms) => {
  if (ms == null) return "";
  const d = new Date(ms);
  return new Date(ms - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
};

/**
 * The poster's window (`active_from`, `active_until`) as two `datetime-local` fields; an empty
 * field is no limit. `current()` is the poster as last saved, `saved(p)` takes the new one.
 */
function scheduleForm(current, saved) {
  const p = current();
  const f = form(
    [
      field("active_from", t("poster.activeFrom"), {
        type: "datetime-local",
        value: localInput(p.active_from),
      }),
      field("active_until", t("poster.activeUntil"), {
        type: "datetime-local",
        value: localInput(p.active_until),
      }),
    ],
    t("poster.scheduleSave"),
    async (v) => {
      const ms = (text) => (text ? new Date(text).getTime() : null);
      const out = await api("PATCH", `/v1/posters/${current().id}`, {
        active_from: ms(v.active_from),
        active_until: ms(v.active_until),
        version: current().version,
      });
      if (!out.ok) return showErrors(f, out.body);
      saved(out.body);
      announce(t("poster.scheduleSaved"));
    },
  );
  return f;
}
