// The page's language, its words and how a word is filled in. English is built into the script;
// any other language's words come in a cached file of their own that the page loads just before
// the script (scripts/build-client.mjs writes it, the server names it), setting
// `qbConsoleWords`. Should that file be missing or be another language's, the page falls back to
// English as a whole, words and formats alike, rather than mixing two languages.
import { withoutBidiControls } from "../bidi-controls";
import { en } from "./words/en.js";

const asked = document.body.dataset.lang || "en";
const loaded = globalThis.qbConsoleWords;
const ready = asked !== "en" && loaded && loaded.lang === asked;

/** The console language the page speaks ("en", "zh", "ja", …). */
export const lang = ready ? asked : "en";
/** Its words; a key it lacks reads the English one. */
export const dict = ready ? loaded.words : en;
/** The English words. */
export const english = en;
/**
 * The locale of numbers, dates and money on the page: the language's tag, Simplified Chinese
 * as mainland China writes it.
 */
export const locale = lang === "zh" ? "zh-CN" : lang;

// Right to left as the server wrote the page (<html dir>, console-shell.ts), which it decides
// from the language: a Latin name or an API message inside a Hebrew or Arabic sentence must keep
// its own direction.
const rtl = document.documentElement?.dir === "rtl";

/**
 * A word in the page's language, `{name}` filled from `vars`' own values (a word's
 * `{constructor}` is no placeholder), their bidi controls dropped. On a right-to-left page a
 * text value (a store's name, a path, a server's message) is isolated (U+2068 … U+2069, what
 * `<bdi>` does): "Main St." keeps its dot at its end inside a Hebrew sentence. Numbers are left
 * as they are: they read left to right by themselves, and some words with them are file names.
 *
 * @example t("store.created", { name: "Main St." }) // "Store Main St. created."
 */
export function t(key, vars) {
  const text = dict[key] ?? english[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, k) => {
    if (!Object.hasOwn(vars, k)) return m;
    const value = withoutBidiControls(String(vars[k] ?? ""));
    return rtl && typeof vars[k] === "string" && value ? `\u2068${value}\u2069` : value;
  });
}
