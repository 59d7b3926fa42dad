// The console's tables: a wrapper that scrolls a wide table sideways (and takes the keyboard's
// focus while it does), a phone layout where each row reads as a card, and a list paged on the
// server with previous/next.
import { api, h, t } from "./lib.js";

/**
 * Name each cell of `tbody` after its column's heading, for the phone layout of a
 * `table.stacked` (tables.css), where the heading row is hidden and a row reads as a small card.
 */
export function labelCells(tbody) {
  // A heading read to screen readers alone (a column of buttons) labels no cell on a phone.
  const names = [...(tbody.closest("table")?.tHead?.rows[0]?.cells ?? [])].map((c) =>
    c.querySelector(".sr-only") ? "" : c.textContent,
  );
  // A cell across every column ("No keys yet.") is a message, not a value of one.
  for (const tr of tbody.rows)
    for (const [i, td] of [...tr.cells].entries())
      if (td.colSpan === 1) td.dataset.label = names[i] ?? "";
}

/**
 * A table of `tbody`'s rows under `headings`, in a wrapper that scrolls it sideways on a narrow
 * screen; a `table.stacked`, so on a phone each row reads as a card (see {@link labelCells}).
 * A heading given as `{ srOnly: text }` is read by screen readers and not shown: a column of
 * buttons or checkboxes still has a name (an empty `<th>` has none).
 * @example section(t("nav.keys"), stackedTable([t("name"), t("created")], rows));
 */
export function stackedTable(headings, tbody) {
  const wrap = h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "stacked" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...headings.map((x) =>
            typeof x === "string"
              ? h("th", { scope: "col", text: x })
              : h("th", { scope: "col" }, h("span", { class: "sr-only", text: x.srOnly })),
          ),
        ),
      ),
      tbody,
    ),
  );
  scrollableByKeyboard(wrap);
  return wrap;
}

/**
 * While `wrap` scrolls sideways (a wide table on a mid-sized screen), it takes the focus, so
 * the arrow keys scroll it: a table of plain text has nothing else to Tab to (WCAG 2.1.1, axe:
 * scrollable-region-focusable). Named after its section's heading; no extra Tab stop otherwise.
 */
function scrollableByKeyboard(wrap) {
  if (typeof ResizeObserver !== "function") return;
  const watch = new ResizeObserver(() => {
    if (wrap.scrollWidth > wrap.clientWidth) {
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      const name = wrap.closest("section")?.querySelector("h2,h3")?.textContent;
      if (name) wrap.setAttribute("aria-label", name);
    } else {
      for (const a of ["tabindex", "role", "aria-label"]) wrap.removeAttribute(a);
    }
  });
  watch.observe(wrap);
  watch.observe(wrap.firstChild); // the rows arriving widen the table
}

/**
 * The `load` of a {@link pagedTable} over a list route of the API: `path(cursor)` is the page's
 * path and query (built at each call, so it reads the filter's current values), `field` the
 * answer's array (`posters`, `stores`, `entries`…).
 *
 * @example
 * pagedTable(headings, apiPage("stores", (cursor) => `/v1/stores${query({ q, cursor })}`), row);
 */
export function apiPage(field, path) {
  return async (cursor) => {
    const r = await api("GET", path(cursor));
    return { ok: r.ok, body: r.body, items: r.body[field] || [], next_cursor: r.body.next_cursor };
  };
}

/**
 * A list paged on the server: `load(cursor)` answers `{ items, next_cursor }`, `row(item)` draws
 * one table row under `headings`. Previous/next keep a stack of cursors.
 */
export function pagedTable(headings, load, row, emptyText) {
  const tbody = h("tbody");
  const status = h("p", { class: "muted", role: "status" });
  const prev = h("button", { type: "button", text: t("page.prev"), disabled: true });
  const next = h("button", { type: "button", text: t("page.next"), disabled: true });
  const stack = [];
  let cursor;
  async function show(c) {
    status.textContent = t("loading");
    const out = await load(c);
    // A refused page shows no rows: the last ones were another filter's or page's.
    if (!out.ok) {
      tbody.replaceChildren();
      prev.disabled = next.disabled = true;
      stack.length = 0;
      status.textContent = out.body.message || t("error.generic");
      return;
    }
    cursor = c;
    tbody.replaceChildren(...out.items.map(row));
    labelCells(tbody);
    status.textContent = out.items.length ? "" : emptyText;
    prev.disabled = stack.length === 0;
    next.disabled = !out.next_cursor;
    next.dataset.cursor = out.next_cursor || "";
  }
  prev.addEventListener("click", () => show(stack.pop()));
  next.addEventListener("click", () => {
    stack.push(cursor);
    show(next.dataset.cursor);
  });
  const el = h(
    "div",
    { class: "paged" },
    stackedTable(headings, tbody),
    status,
    h("div", { class: "pager" }, prev, next),
  );
  return {
    el,
    reload: () => {
      stack.length = 0;
      return show(undefined);
    },
  };
}
