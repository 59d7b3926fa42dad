// The print files a page offers (a poster's card; the sheets of a store or campaign), in a
// printed language chosen next to them. The console's own language is the default, so a
// person working in Chinese does not print English cards by accident.
import { base, field, h, lang, query, t } from "./lib.js";
import { printedScriptNames, printIssue, unprintableLetter } from "./print-scripts.js";
import { sheetPages } from "./sheet-pages.js";

/**
 * The printed languages the print routes know (pages/print-constants.ts PRINT_LANGS;
 * test/unit/console-print-langs.test.ts keeps the two equal), in their own names.
 */
const PRINT_LANGS = [
  ["en", "English"],
  ["zh", "简体中文"],
  ["zh-Hant", "繁體中文"],
  ["ja", "日本語"],
  ["ko", "한국어"],
  ["es", "Español"],
  ["fr", "Français"],
  ["de", "Deutsch"],
  ["pt", "Português (Brasil)"],
  ["it", "Italiano"],
  ["id", "Bahasa Indonesia"],
  ["vi", "Tiếng Việt"],
  ["th", "ไทย"],
  ["tr", "Türkçe"],
  ["ru", "Русский"],
  ["he", "עברית"],
  ["ar", "العربية"],
];

const fileHref = (path, params) => `${base}/dashboard/api/v1/posters/${path}${query(params)}`;

const download = (label, attrs = {}) =>
  h("a", { class: "button", download: true, text: label, ...attrs });

/**
 * The language picker and the files it applies to: `draw(lang)` fills the box with the links
 * for that language, again each time the choice changes.
 */
function withLanguage(draw) {
  const box = h("span", { class: "downloads-files" });
  const picker = field("print-lang", t("print.lang"), { options: PRINT_LANGS, value: lang });
  const select = picker.querySelector("select");
  select.addEventListener("change", () => draw(box, select.value));
  draw(box, select.value);
  return h("div", { class: "downloads" }, picker, box);
}

/**
 * A poster's print card as PDF and SVG.
 * @example mount(cardLinks("7K2M9Q"));
 */
export function cardLinks(id) {
  const path = (file) => `${encodeURIComponent(id)}/${file}`;
  return withLanguage((box, printLang) =>
    box.replaceChildren(
      download(t("print.cardPdf"), { href: fileHref(path("print.pdf"), { lang: printLang }) }),
      download(t("print.cardSvg"), { href: fileHref(path("print.svg"), { lang: printLang }) }),
    ),
  );
}

/**
 * The A4 sheets of the active posters `filter` selects ({store_id} or {campaign_id}); paused,
 * revoked and ended ones are left out, as their codes would not open the app (scheduled ones,
 * before their start, still print). The PDF holds every page;
 * an SVG is one page, so past one page each page gets its own link (the page count is the
 * `X-Total-Pages` of a HEAD request, which draws nothing the browser has to download); with no
 * active poster (its 404) the links give way to a line saying so.
 * @example section("Posters", sheetLinks({ campaign_id: "cp_5f2k9m1q8z3c" }));
 */
export function sheetLinks(filter) {
  const links = withLanguage((box, printLang) => {
    const params = { ...filter, status: "active", lang: printLang };
    const svg = download(t("print.sheetSvg"), { href: fileHref("print-sheet.svg", params) });
    box.replaceChildren(
      download(t("print.sheetPdf"), { href: fileHref("print-sheet.pdf", params) }),
      svg,
    );
    fetch(fileHref("print-sheet.svg", params), { method: "HEAD", credentials: "same-origin" })
      .then((res) => {
        const total = sheetPages(res.status, res.headers.get("x-total-pages"));
        if (total === null || !svg.isConnected) return;
        // Nothing to print: say so rather than offer files that download an error.
        if (total === "none")
          return box.replaceChildren(h("span", { class: "muted", text: t("print.none") }));
        const pages = Array.from({ length: total }, (_, i) =>
          download(t("print.sheetSvgPage", { n: i + 1, total }), {
            href: fileHref("print-sheet.svg", { ...params, page: i + 1 }),
          }),
        );
        svg.replaceWith(...pages);
      })
      // Without the count the first page's link stays: no worse than before the request.
      .catch(() => {});
  });
  return h("div", {}, links, h("p", { class: "hint", text: t("print.activeOnly") }));
}

/**
 * A notice when a store name printed on the cards holds letters the print fonts lack (they would
 * print as empty boxes; the notice shows the first) or holds emoji sequences (printed as their parts), else null.
 * @example mount(title, printWarning(store.name), …);
 */
export function printWarning(storeName) {
  const issue = printIssue(storeName);
  if (!issue) return null;
  const key = issue === "unprintable" ? "print.unprintable" : "print.emojiParts";
  const letter = unprintableLetter(storeName);
  // The scripts that print, named in the page's language from the one list the check uses.
  const scripts = printedScriptNames(lang);
  return h("p", {
    class: "notice",
    role: "note",
    text: t(key, { name: storeName, letter, scripts }),
  });
}
