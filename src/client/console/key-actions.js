// The keys page's changes to one key: roll it (a new key shown once, the old one kept for the
// grace chosen) and edit its name, a publishable key's origins or its scopes (only ever fewer).
// Each opens its form in the page's panel, above the list.

import { GRACE_CHOICES, GRACE_DEFAULT, narrowedScopes } from "./key-life.js";
import { announce, api, field, form, h, showErrors, t, when } from "./lib.js";
import { shownOnce } from "./webhooks.js";

const path = (k, tail = "") => `/v1/keys/${encodeURIComponent(k.id)}${tail}`;

/**
 * The Roll and Edit buttons of key `k`, whose forms open in `panel`; `reload()` refreshes the
 * list after a change.
 */
export function keyActions(k, panel, reload) {
  const open = (...children) => {
    panel.replaceChildren(...children);
    panel.querySelector("input,select,textarea")?.focus();
  };
  const roll = h("button", {
    type: "button",
    text: t("key.roll"),
    "aria-label": t("key.rollNamed", { name: k.name }),
    onclick: () => open(...rollForm(k, panel, reload)),
  });
  const edit = h("button", {
    type: "button",
    text: t("key.edit"),
    "aria-label": t("key.editNamed", { name: k.name }),
    onclick: () => open(...editForm(k, panel, reload)),
  });
  return [roll, edit];
}

function rollForm(k, panel, reload) {
  const grace = field("expires_in", t("key.grace"), {
    options: GRACE_CHOICES.map((s) => [String(s), t(`key.grace.${s}`)]),
    value: String(GRACE_DEFAULT),
  });
  const f = form([grace], t("key.rollGo"), async (v, f) => {
    const r = await api("POST", path(k, "/roll"), { expires_in: Number(v.expires_in) });
    if (!r.ok) return showErrors(f, r.body);
    const old = r.body.previous;
    announce(
      old.expires_at > Date.now()
        ? t("key.rolledNow", { name: k.name, when: when(old.expires_at) })
        : t("key.rolledDead", { name: k.name }),
    );
    panel.replaceChildren(shownOnce(t("key.shown"), r.body.key));
    panel.querySelector("button").focus();
    await reload();
  });
  return [
    h("h3", { text: t("key.rollNamed", { name: k.name }) }),
    h("p", { class: "muted", text: t("key.rollLead") }),
    f,
  ];
}

/**
 * The key's scopes, each ticked: unticking takes one away. None is offered that the key lacks:
 * a key already handed out (perhaps leaked) never gains power quietly, so the hint says to mint
 * a new key for more. A key with one scope keeps it (the box cannot be unticked).
 */
function scopeBoxes(k) {
  const hintId = `narrow-${k.id}`;
  const only = k.scopes.length === 1;
  return h(
    "fieldset",
    { class: "field checks", "data-field": "scopes", "aria-describedby": hintId },
    h("legend", { text: t("key.scopes") }),
    ...k.scopes.map((s) =>
      h(
        "label",
        {},
        h("input", { type: "checkbox", name: "scopes", value: s, disabled: only }),
        ` ${s}`,
      ),
    ),
    h("p", { class: "hint", id: hintId, text: t(only ? "key.scopesOnly" : "key.scopesNarrow") }),
    h("p", { class: "field-error" }),
  );
}

function editForm(k, panel, reload) {
  const fields = [field("name", t("key.name"), { required: true, value: k.name })];
  if (k.kind === "publishable")
    fields.push(
      field("origins", t("key.origins"), {
        rows: 2,
        value: k.origins.join("\n"),
        hint: t("key.originsHint"),
      }),
    );
  const scopes = scopeBoxes(k);
  for (const box of scopes.querySelectorAll("input")) box.checked = true;
  fields.push(scopes);
  const f = form(fields, t("save"), async (v, f) => {
    const patch = { name: v.name };
    if (k.kind === "publishable") patch.origins = (v.origins || "").split(/\s+/).filter(Boolean);
    const ticked = [...scopes.querySelectorAll("input:checked")].map((i) => i.value);
    const kept = narrowedScopes(k.scopes, ticked);
    if (kept) {
      if (!kept.length)
        return showErrors(f, { message: t("key.scopesNone"), details: { field: "scopes" } });
      const dropped = k.scopes.filter((s) => !kept.includes(s)).join(", ");
      if (!confirm(t("key.narrowConfirm", { name: k.name, scopes: dropped }))) return;
      patch.scopes = kept;
    }
    const r = await api("PATCH", path(k), patch);
    if (!r.ok) return showErrors(f, r.body);
    panel.replaceChildren();
    announce(t("key.saved", { name: r.body.name }));
    await reload();
  });
  return [h("h3", { text: t("key.editNamed", { name: k.name }) }), f];
}
