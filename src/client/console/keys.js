// The admin's pages: API keys (mint one, for good or until an end: key-end.js; shown once with
// a copy button; list with each key's end; roll, edit, narrow, revoke: key-actions.js) and the
// dead letters (list; replay the chosen ones).

import { keyActions } from "./key-actions.js";
import { endFields } from "./key-end.js";
import { endNote, keyState } from "./key-life.js";
import { mintBody } from "./key-store.js";
import {
  announce,
  api,
  field,
  form,
  h,
  locale,
  mount,
  section,
  showErrors,
  t,
  when,
} from "./lib.js";
import { storePicker } from "./store-picker.js";
import { labelCells, stackedTable } from "./tables.js";
import { checkboxes, shownOnce } from "./webhooks.js";

/** /dashboard/keys */
export async function keysView() {
  const rows = h("tbody");
  const once = h("div");
  // Where a key's roll or edit form opens, above the list.
  const panel = h("div", { class: "key-panel" });
  async function load() {
    const r = await api("GET", "/v1/keys");
    if (!r.ok) return announce(r.body.message);
    const now = Date.now();
    rows.replaceChildren(
      ...r.body.keys.map((k) => {
        const state = keyState(k, now);
        const revoke = k.revoked_at
          ? null
          : h("button", {
              type: "button",
              class: "danger",
              text: t("key.revoke"),
              "aria-label": t("key.revokeNamed", { name: k.name }),
              onclick: async () => {
                if (!confirm(t("key.revokeConfirm", { name: k.name }))) return;
                const out = await api("DELETE", `/v1/keys/${encodeURIComponent(k.id)}`);
                announce(out.ok ? t("key.revoked", { name: k.name }) : out.body.message);
                await load();
              },
            });
        return h(
          "tr",
          {},
          h("td", { text: k.name }),
          h("td", { text: t(`key.${k.kind}`) }),
          h("td", { class: "code", text: `${k.prefix}…` }),
          // A store key reads that store only: said with its scopes, by name while it exists.
          h("td", {
            text: k.store_id
              ? `${k.scopes.join(", ")} · ${t("poster.store")}: ${k.store_name ?? k.store_id}`
              : k.scopes.join(", "),
          }),
          h("td", { text: k.origins.join(", ") }),
          h("td", {
            text: k.revoked_at ? `${t("key.revokedAt")} ${when(k.revoked_at)}` : when(k.created_at),
          }),
          // Kept to the hour by the server: enough to tell a key still in use from a forgotten one.
          h("td", { text: k.last_used_at ? when(k.last_used_at) : t("key.neverUsed") }),
          // A rolled key's grace, a temporary key's end: when the servers must have moved on. A
          // revoked key ended then (its Created cell says so), whatever end it had before.
          h("td", {
            text:
              state === "revoked"
                ? ""
                : [state === "rolled" ? t("key.rolled") : "", endNote(k, now, t, locale, when)]
                    .filter(Boolean)
                    .join(" · "),
          }),
          h(
            "td",
            { class: "actions" },
            state === "active" ? keyActions(k, panel, load) : null,
            revoke,
          ),
        );
      }),
    );
    labelCells(rows);
  }
  // Searched as one types, not loaded whole: a chain has thousands of stores.
  const store = storePicker("store_id", t("poster.store"), {
    hint: t("key.storeHint"),
    allLabel: t("key.allStores"),
    onchange: () => lockToStore(),
  });
  const end = endFields();
  const mint = form(
    [
      field("name", t("key.name"), { required: true }),
      store.el,
      field("kind", t("key.kind"), {
        options: [
          ["secret", t("key.secret")],
          ["publishable", t("key.publishable")],
        ],
      }),
      field("origins", t("key.origins"), { rows: 2, hint: t("key.originsHint") }),
      checkboxes("scopes", t("key.scopes"), (document.body.dataset.keyScopes || "").split(" ")),
      ...end.els,
    ],
    t("key.mint"),
    async (v, f) => {
      if (store.unresolved())
        return showErrors(f, { message: t("pick.choose"), details: { field: "store_id" } });
      const ends = end.read(v, Date.now());
      if (ends.error) return showErrors(f, ends.error);
      const scopes = [...f.querySelectorAll("input[name=scopes]:checked")].map((i) => i.value);
      const body = { ...mintBody(v, scopes), expires_at: ends.at };
      const r = await api("POST", "/v1/keys", body);
      if (!r.ok) return showErrors(f, r.body);
      f.reset();
      end.reset();
      store.clear();
      lockToStore();
      announce(
        r.body.expires_at
          ? t("key.mintedUntil", { name: v.name, when: when(r.body.expires_at) })
          : t("key.minted", { name: v.name }),
      );
      once.replaceChildren(shownOnce(t("key.shown"), r.body.key));
      once.querySelector("button").focus();
      await load();
    },
  );
  // A store key is a secret key with stats:read alone: with a store chosen the form shows exactly
  // that, and the other choices wait until the store is cleared ("All stores") again.
  function lockToStore() {
    const held = Boolean(mint.elements.store_id.value);
    mint.elements.kind.disabled = held;
    mint.elements.origins.disabled = held;
    if (held) {
      mint.elements.kind.value = "secret";
      mint.elements.origins.value = "";
    }
    for (const box of mint.querySelectorAll("input[name=scopes]")) {
      box.disabled = held;
      if (held) box.checked = box.value === "stats:read";
    }
  }
  mount(
    h("h1", { text: t("nav.keys") }),
    section(t("key.new"), mint, once),
    section(
      t("nav.keys"),
      panel,
      stackedTable(
        [
          t("key.name"),
          t("key.kind"),
          t("key.prefix"),
          t("key.scopes"),
          t("key.origins"),
          t("created"),
          t("key.lastUsed"),
          t("key.ends"),
          { srOnly: t("key.actions") },
        ],
        rows,
      ),
    ),
  );
  await load();
}

/** /dashboard/dead-letters */
export async function deadLettersView() {
  const rows = h("tbody");
  const replay = h("button", { type: "button", class: "primary", text: t("dead.replay") });
  async function load() {
    const r = await api("GET", "/v1/dead-letters?limit=200");
    if (!r.ok) return announce(r.body.message);
    rows.replaceChildren(
      ...r.body.dead_letters.map((d) =>
        h(
          "tr",
          {},
          h("td", {}, h("input", { type: "checkbox", value: d.id, "aria-label": d.id })),
          h("td", { class: "code", text: d.queue }),
          h("td", { text: d.type || "" }),
          h("td", { text: String(d.attempts) }),
          h("td", { text: d.error || "" }),
          h("td", { text: when(d.received_at) }),
        ),
      ),
    );
    if (!r.body.dead_letters.length)
      rows.append(h("tr", {}, h("td", { colspan: 6, class: "muted", text: t("dead.none") })));
    labelCells(rows);
  }
  replay.addEventListener("click", async () => {
    const ids = [...rows.querySelectorAll("input:checked")].map((i) => i.value);
    if (!ids.length) return announce(t("dead.pick"));
    const r = await api("POST", "/v1/dead-letters/replay", { ids });
    announce(r.ok ? t("dead.replayed", { n: r.body.replayed }) : r.body.message);
    await load();
  });
  mount(
    h("h1", { text: t("nav.dead-letters") }),
    section(
      t("nav.dead-letters"),
      h("p", { class: "muted", text: t("dead.lead") }),
      stackedTable(
        [
          { srOnly: t("dead.replay") },
          t("dead.queue"),
          t("dead.type"),
          t("delivery.attempts"),
          t("dead.error"),
          t("dead.received"),
        ],
        rows,
      ),
      h("div", { class: "actions" }, replay),
    ),
  );
  await load();
}
