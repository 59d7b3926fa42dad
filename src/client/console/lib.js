// What every console view uses: the page's settings, DOM building (text only ever lands in
// `textContent` and attributes, never in markup), calls to the /v1 API under the session, forms
// that show the API's errors next to the field they name, and server-side paging.
import { formatMoney } from "./money.js";
import { lang, locale, t } from "./page-lang.js";

export { lang, locale, t };

const body = document.body;
export const base = body.dataset.base || "";
export const scopes = (body.dataset.scopes || "").split(" ");
/** Whether this session may change stores, campaigns and posters. */
export const canEdit = scopes.includes("admin") || scopes.includes("posters:write");

/** Build an element: `props` sets attributes (`on…` listeners, `text` the text); children append. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") el.textContent = String(v);
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Say `text` to screen readers (and show it) in the page's live region. */
export function announce(text) {
  const live = document.getElementById("live");
  live.textContent = "";
  // A fresh text node, so the same message twice is announced twice.
  setTimeout(() => {
    live.textContent = text;
  }, 30);
}

/** A console link: `/dashboard/...` under the base path. */
export const link = (path) => `${base}/dashboard${path}`;

/**
 * Call the /v1 API under the session: `{ ok, status, body }`; never throws on an HTTP error.
 * `extra` adds request headers (an import's `idempotency-key`).
 */
export async function api(method, path, payload, extra = {}) {
  const headers = { accept: "application/json", ...extra };
  if (method !== "GET") headers["x-csrf-token"] = body.dataset.csrf;
  if (payload !== undefined) headers["content-type"] = "application/json";
  let res;
  try {
    res = await fetch(`${base}/dashboard/api${path}`, {
      method,
      headers,
      credentials: "same-origin",
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
  } catch {
    return { ok: false, status: 0, body: { error: "network", message: t("error.network") } };
  }
  if (res.status === 401) location.assign(link(""));
  const json = await res.json().catch(() => null);
  // A proxy's or the platform's error page is not the API's JSON: say what happened in words.
  const fallback = { error: "server", message: t("error.server", { status: res.status }) };
  return { ok: res.ok, status: res.status, body: json ?? (res.ok ? {} : fallback) };
}

/**
 * Every item of a paged list (`key` of `GET path`, page after page): a chain's stores do not
 * stop at one page. `error` is the failing call's message (the API's own, or the network's).
 */
export async function listAll(path, key) {
  const items = [];
  let cursor;
  do {
    const r = await api("GET", `${path}${query({ limit: 200, cursor })}`);
    if (!r.ok) return { items, error: r.body.message || t("error.generic") };
    items.push(...r.body[key]);
    cursor = r.body.next_cursor;
  } while (cursor);
  return { items, error: null };
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}

let fieldCount = 0;
/**
 * A labelled input whose errors show under it: `name` is the API's field name. Options:
 * type, value, required, hint, options ([value, label] for a select), placeholder, rows.
 */
export function field(name, label, o = {}) {
  const id = `f${++fieldCount}-${name}`;
  const errId = `${id}-err`;
  const hintId = o.hint ? `${id}-hint` : undefined;
  const attrs = {
    id,
    name,
    required: o.required,
    placeholder: o.placeholder,
    "aria-describedby": [hintId, errId].filter(Boolean).join(" "),
    spellcheck: o.type === "code" ? "false" : undefined,
  };
  let input;
  if (o.options) {
    input = h("select", attrs, ...o.options.map(([v, l]) => h("option", { value: v, text: l })));
    // Left alone without a value: the first option stays chosen.
    if (o.value !== undefined) input.value = o.value;
  } else if (o.rows) {
    input = h("textarea", { ...attrs, rows: o.rows });
    input.value = o.value ?? "";
  } else {
    input = h("input", { ...attrs, type: o.type === "code" ? "text" : o.type || "text" });
    input.value = o.value ?? "";
  }
  return h(
    "div",
    { class: "field", "data-field": name },
    h("label", { for: id, text: label }),
    input,
    o.hint ? h("p", { class: "hint", id: hintId, text: o.hint }) : null,
    h("p", { class: "field-error", id: errId }),
  );
}

/** Clear a form's errors. */
export function clearErrors(form) {
  for (const e of form.querySelectorAll(".field-error, .form-error")) e.textContent = "";
  for (const i of form.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
}

/**
 * Show an API error on a form: each `details.fields[].field` (or `details.field`) next to its
 * input (`params.table` goes to `params`), anything else at the form's top; focus the first.
 * The inputs keep what the person typed.
 */
export function showErrors(form, err) {
  clearErrors(form);
  const details = err?.details || {};
  const list = details.fields || (details.field ? [{ field: details.field, message: null }] : []);
  let first = null;
  let placed = false;
  for (const { field: name, message } of list) {
    const box = form.querySelector(`[data-field="${CSS.escape(String(name).split(".")[0])}"]`);
    if (!box) continue;
    const text = message || String(err.message || "").replace(/^[\w.[\]]+: /, "");
    box.querySelector(".field-error").textContent = text;
    const input = box.querySelector("input,select,textarea");
    input.setAttribute("aria-invalid", "true");
    first ??= input;
    placed = true;
  }
  const top = form.querySelector(".form-error");
  if (!placed && top) top.textContent = err?.message || t("error.generic");
  announce(err?.message || t("error.generic"));
  (first || top)?.focus?.();
}

/** A form: `fields` then a submit button; `onsubmit(values, form)` gets the trimmed values. */
export function form(fields, submitLabel, onsubmit, cls = "") {
  const button = h("button", { class: "primary", type: "submit", text: submitLabel });
  const f = h(
    "form",
    { class: `form ${cls}`, novalidate: true },
    h("p", { class: "form-error", role: "alert", tabindex: "-1" }),
    fields,
    h("div", { class: "actions" }, button),
  );
  f.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(f);
    const values = {};
    for (const [k, v] of new FormData(f)) values[k] = String(v).trim();
    button.disabled = true;
    try {
      await onsubmit(values, f);
    } finally {
      button.disabled = false;
    }
  });
  return f;
}

/** A section with a heading. */
export function section(title, ...children) {
  return h("section", { class: "card wide" }, h("h2", { text: title }), ...children);
}

/** A date-time in the page's language. */
export function when(ms) {
  return ms ? new Date(ms).toLocaleString(locale) : "–";
}

/**
 * What conversions were worth (`converted_value`: `{EUR: 12.5}`), each currency as money in the
 * page's language, joined (money.js); "" when there is none.
 * @example money({ EUR: 1234.5, USD: 0.3 }) // "€1,234.50 · $0.30"
 */
export function money(values) {
  return formatMoney(values, locale);
}

/** Mount a view's content. */
export function mount(...nodes) {
  const view = document.getElementById("view");
  // A view leaves out a section with null; replaceChildren would print it as "null".
  view.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined && n !== false));
  view.setAttribute("aria-busy", "false");
}
