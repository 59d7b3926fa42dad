// Import posters from a CSV: the file's shape is checked here, then every row by the API's own
// rules in one dry run (`POST /v1/posters/batch?dry_run=true`), so every bad row is named by its
// line before anything is written; only then are the rows sent in chunks, with a progress bar.
import {
  importBatchKey,
  POSTER_COLUMNS,
  POSTER_TEMPLATE,
  postersFromCsv,
  storesByName,
} from "./csv.js";
import { announce, api, h, link, listAll, mount, section, t } from "./lib.js";

/** Rows per request while writing: small enough for a progress bar that moves. */
const CHUNK = 25;

/** /dashboard/import */
export function importView() {
  const limit = Number(document.body.dataset.batchLimit) || 1000;
  const template = URL.createObjectURL(new Blob([POSTER_TEMPLATE], { type: "text/csv" }));
  const file = h("input", {
    type: "file",
    id: "csv-file",
    accept: ".csv,text/csv",
    required: true,
  });
  const button = h("button", { class: "primary", type: "submit", text: t("import.go") });
  const progress = h("progress", {
    max: 1,
    value: 0,
    hidden: true,
    "aria-labelledby": "import-progress",
  });
  const progressText = h("p", { id: "import-progress", class: "muted" });
  const result = h("div", { id: "import-result", tabindex: "-1" });
  const f = h(
    "form",
    { class: "form" },
    h("div", { class: "field" }, h("label", { for: "csv-file", text: t("import.file") }), file),
    h("div", { class: "actions" }, button),
  );
  f.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!file.files?.[0]) return;
    button.disabled = true;
    try {
      await run(await file.files[0].text());
    } finally {
      button.disabled = false;
    }
  });

  function report(title, lines, ok) {
    // replaceChildren writes a null out as the text "null": leave an empty list out instead.
    result.replaceChildren(h("h3", { text: title }));
    if (lines.length)
      result.append(
        h("ul", { class: ok ? "" : "row-errors" }, ...lines.map((l) => h("li", { text: l }))),
      );
    result.className = ok ? "result ok" : "result bad";
    announce(title);
    result.focus();
  }

  async function run(text) {
    progress.hidden = true;
    progressText.textContent = "";
    const { rows, errors } = postersFromCsv(text, limit);
    if (!errors.length && rows.some((r) => r.poster.store !== undefined)) {
      const stores = await listAll("/v1/stores", "stores");
      if (stores.error) return report(stores.error, [], false);
      errors.push(...storesByName(rows, stores.items));
    }
    const problems = (n) => t(n === 1 ? "import.bad1" : "import.bad", { n });
    if (errors.length)
      return report(
        problems(errors.length),
        errors.map((x) =>
          t("import.line", { line: x.line, message: x.word ? t(x.word) : x.message }),
        ),
        false,
      );
    if (!rows.length) return report(t("import.empty"), [], false);
    const posters = rows.map((r) => r.poster);
    progressText.textContent = t("import.checking", { n: rows.length });
    const check = await api("POST", "/v1/posters/batch?dry_run=true", { posters });
    if (!check.ok) {
      const bad = check.body.details?.rows || [];
      const lines = bad.map((x) =>
        t("import.line", { line: rows[x.index]?.line ?? "?", message: `${x.field}: ${x.message}` }),
      );
      const more = (check.body.details?.row_errors || bad.length) - bad.length;
      if (more > 0) lines.push(t("import.more", { n: more }));
      progressText.textContent = "";
      return report(
        problems(check.body.details?.row_errors || 1),
        lines.length ? lines : [check.body.message],
        false,
      );
    }
    progress.hidden = false;
    progress.max = rows.length;
    progress.value = 0;
    let done = 0;
    for (let i = 0; i < rows.length; i += CHUNK) {
      // Keyed by the file and the batch: importing the same file again after a network failure
      // replays the batches already written (for 24 h) instead of writing them twice.
      const batch = posters.slice(i, i + CHUNK);
      const key = await importBatchKey(text, i, batch);
      const out = await api(
        "POST",
        "/v1/posters/batch",
        { posters: batch },
        { "idempotency-key": key },
      );
      if (!out.ok) {
        const x = out.body.details?.rows?.[0];
        const at = x ? rows[i + x.index].line : rows[i].line;
        return report(t("import.stopped", { done, line: at }), [out.body.message], false);
      }
      done += out.body.posters.length;
      progress.value = done;
      progressText.textContent = t("import.progress", { done, n: rows.length });
    }
    report(t("import.done", { n: done }), [], true);
    result.append(h("p", {}, h("a", { href: link("/posters"), text: t("import.see") })));
  }

  mount(
    h("h1", { text: t("nav.import") }),
    section(
      t("import.how"),
      h("p", { text: t("import.lead", { limit }) }),
      h(
        "table",
        { class: "columns" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col", text: t("import.column") }),
            h("th", { scope: "col", text: t("import.meaning") }),
          ),
        ),
        h(
          "tbody",
          {},
          ...POSTER_COLUMNS.map((c) =>
            h(
              "tr",
              {},
              h("td", { class: "code", text: c }),
              h("td", { text: t(`import.col.${c}`) }),
            ),
          ),
        ),
      ),
      h(
        "p",
        {},
        h("a", {
          class: "button",
          href: template,
          download: "posters-template.csv",
          text: t("import.template"),
        }),
      ),
    ),
    section(t("import.upload"), f, progress, progressText, result),
  );
}
