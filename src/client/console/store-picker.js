// The keys page's store choice: a labelled text input that searches the stores as one types
// (`GET /v1/stores?q=`, the server's search, so a chain of thousands is never loaded whole) and a
// listbox of what matches (the WAI-ARIA combobox pattern: arrows move, Enter picks, Escape
// closes; the screen reader hears the option the arrows are on and how many matched). The id
// of the store picked travels in a hidden input under the form's field name, so the form's
// values are what they were with a <select>: "" for every store, else the store's id.
import { moveActive, storeOptions } from "./key-store.js";
import { api, h, query, t } from "./lib.js";

/** Stores a search shows: type more to narrow. */
export const PICK_LIMIT = 20;
/** Keystrokes closer together than this make one search. */
const DEBOUNCE_MS = 150;

let pickers = 0;

/**
 * A store picker for a form field `name`. `onchange()` runs whenever the picked store changes
 * (typing drops a pick: what the field shows is what is sent).
 * @returns {{ el: HTMLElement, clear: () => void, unresolved: () => boolean }}
 * @example
 * const store = storePicker("store_id", t("poster.store"), { hint, allLabel, onchange });
 */
export function storePicker(name, label, { hint, allLabel, onchange }) {
  const id = `pick${++pickers}-${name}`;
  const value = h("input", { type: "hidden", name });
  const list = h("ul", { id: `${id}-list`, role: "listbox", class: "picker-list", hidden: true });
  const status = h("p", { class: "hint", id: `${id}-status`, role: "status" });
  const input = h("input", {
    id,
    type: "text",
    role: "combobox",
    autocomplete: "off",
    spellcheck: "false",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": list.id,
    placeholder: t("pick.placeholder"),
    "aria-describedby": `${id}-hint ${id}-status ${id}-err`,
  });
  let options = [];
  let active = -1;
  let asked = 0;
  let timer;

  const open = (yes) => {
    list.hidden = !yes;
    input.setAttribute("aria-expanded", String(yes));
    if (!yes) setActive(-1);
  };
  function setActive(i) {
    active = i;
    for (const [n, li] of [...list.children].entries())
      li.setAttribute("aria-selected", String(n === i));
    const li = list.children[i];
    if (li) {
      input.setAttribute("aria-activedescendant", li.id);
      li.scrollIntoView?.({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  }
  function pick(i) {
    const [storeId, text] = options[i];
    value.value = storeId;
    // "All stores" is the empty field, as before anything was typed.
    input.value = storeId ? text : "";
    open(false);
    status.textContent = "";
    onchange();
  }
  async function search() {
    const q = input.value.trim();
    const mine = ++asked;
    const r = await api("GET", `/v1/stores${query({ q, limit: PICK_LIMIT })}`);
    // A slower answer to an earlier keystroke never replaces a later one's.
    if (mine !== asked) return;
    if (!r.ok) {
      status.textContent = r.body.message;
      return open(false);
    }
    const found = r.body.stores;
    options = storeOptions(found, allLabel);
    list.replaceChildren(
      ...options.map(([storeId, text], i) =>
        h("li", {
          id: `${id}-o${i}`,
          role: "option",
          "aria-selected": "false",
          "data-value": storeId,
          text,
          // mousedown, not click: the input keeps the focus (and the list is not closed by its blur).
          onmousedown: (e) => {
            e.preventDefault();
            pick(i);
          },
        }),
      ),
    );
    status.textContent = !found.length
      ? t("pick.none")
      : r.body.next_cursor
        ? t("pick.more", { n: found.length })
        : t("pick.found", { n: found.length });
    open(document.activeElement === input);
  }
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  };

  input.addEventListener("input", () => {
    if (value.value) {
      value.value = "";
      onchange();
    }
    soon();
  });
  input.addEventListener("focus", soon);
  input.addEventListener("blur", () => open(false));
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden) return search();
      setActive(moveActive(active, e.key, options.length));
    } else if (e.key === "Enter" && !list.hidden && active >= 0) {
      // Picks the option; the form is submitted by the next Enter.
      e.preventDefault();
      pick(active);
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();
      open(false);
    }
  });

  const el = h(
    "div",
    { class: "field picker", "data-field": name },
    h("label", { for: id, text: label }),
    h("div", { class: "picker-box" }, input, list),
    value,
    h("p", { class: "hint", id: `${id}-hint`, text: hint }),
    status,
    h("p", { class: "field-error", id: `${id}-err` }),
  );
  return {
    el,
    clear() {
      value.value = "";
      input.value = "";
      status.textContent = "";
      open(false);
    },
    /** Text typed that names no picked store: minting now would quietly mean every store. */
    unresolved: () => !value.value && input.value.trim() !== "",
  };
}
