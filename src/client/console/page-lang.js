// The page's language and its words. English is built into the script; any other language's
// words come in a cached file of their own that the page loads just before the script
// (scripts/build-client.mjs writes it, the server names it), setting `qbConsoleWords`. Should
// that file be missing or be another language's, the page falls back to English as a whole,
// words and formats alike, rather than mixing two languages.
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
