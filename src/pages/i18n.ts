/**
 * The languages of the scan pages, the choice between them from `Accept-Language` (or an in-app
 * browser's User-Agent), and the lookup of a message. English and Simplified Chinese are in
 * the main bundle; the other catalogs (src/scan-words-kit.ts) weigh too much for it and are
 * handed to {@link addWords} by the route that needs one (routes/scan-language.ts), once per
 * isolate. Messages are plain text with `{name}` placeholders; the page escapes them (and the
 * values put into them) when it renders.
 */
import { LANGUAGES } from "../core/languages";
import { html, type SafeHtml } from "./html";
import { EN, type MessageKey, type Words } from "./words/en";
import { ZH } from "./words/zh";

export type { MessageKey, Words } from "./words/en";

/** Every language of the scan pages: the product's one list (core/languages.ts). */
export const SCAN_LANGS = LANGUAGES;

/** A language of the scan pages. */
export type Lang = (typeof SCAN_LANGS)[number];

/**
 * The languages of the console (`/dashboard`): the same list. A language added to
 * core/languages.ts needs its words here (src/pages/words/), in the console
 * (src/client/console/words/, src/pages/console-words/), on the cards (pages/print-words.ts) and
 * in the widget (src/client/langs/): the type checker and the catalogs' tests name what is missing.
 */
export const CONSOLE_LANGS = LANGUAGES;

/** A language of the console. */
export type ConsoleLang = (typeof CONSOLE_LANGS)[number];

/** The languages whose catalogs live in the lazily imported kit. */
export type KitLang = Exclude<Lang, "en" | "zh">;

/** Every message key (every catalog has all of them; the type checker makes sure). */
export const MESSAGE_KEYS = Object.keys(EN) as MessageKey[];

const WORDS: Partial<Record<Lang, Words>> = { en: EN, zh: ZH };

/**
 * Whether `lang`'s words are at hand (English and Chinese always are; the others once the
 * scan-words kit was handed to {@link addWords}).
 *
 * @example
 * hasWords("en"); // true
 * hasWords("ja"); // false until addWords((await scanWordsKit()).SCAN_WORDS)
 */
export function hasWords(lang: Lang): boolean {
  return WORDS[lang] !== undefined;
}

/**
 * Make catalogs available to {@link t} (the routes pass the scan-words kit's, once per isolate).
 *
 * @example
 * addWords((await scanWordsKit()).SCAN_WORDS);
 */
export function addWords(catalogs: Partial<Record<Lang, Words>>): void {
  Object.assign(WORDS, catalogs);
}

// The languages whose tag is the primary subtag alone.
const PRIMARY = new Set<string>(SCAN_LANGS.filter((lang) => !lang.includes("-")));
// Android and Java still send the retired codes for Hebrew and Indonesian.
const RETIRED: Record<string, Lang> = { iw: "he", in: "id" };

/**
 * The language of a BCP 47 tag (`-` or `_` between subtags, any case), or null when we have
 * none. Chinese follows the script, then the region: `zh-Hant*`, `zh-TW`, `zh-HK`, `zh-MO` are
 * Traditional, every other `zh` Simplified.
 *
 * @example
 * languageOfTag("pt-BR"); // "pt"
 * languageOfTag("zh_TW"); // "zh-Hant"
 * languageOfTag("nl");    // null
 */
export function languageOfTag(tag: string): Lang | null {
  const lower = tag.trim().toLowerCase();
  if (!/^[a-z]{2,8}(?:[-_][a-z0-9]{1,8})*$/.test(lower)) return null;
  const [primary = "", ...rest] = lower.split(/[-_]/);
  if (primary === "zh") {
    if (rest.includes("hant")) return "zh-Hant";
    if (rest.includes("hans")) return "zh";
    return rest.some((s) => s === "tw" || s === "hk" || s === "mo") ? "zh-Hant" : "zh";
  }
  if (PRIMARY.has(primary)) return primary as Lang;
  return RETIRED[primary] ?? null;
}

/** `lang` if offered; Traditional Chinese falls back to Simplified where only that is offered. */
function offeredMatch<L extends Lang>(lang: Lang | null, offered: readonly L[]): L | null {
  if (lang === null) return null;
  if ((offered as readonly Lang[]).includes(lang)) return lang as L;
  if (lang === "zh-Hant" && (offered as readonly Lang[]).includes("zh")) return "zh" as L;
  return null;
}

// A q parameter holding a number, in any notation (anything else, `q=abc`, is ignored).
const Q_PARAM = /^\s*q\s*=\s*([+-]?(?:\d{1,20}(?:\.\d{0,20})?|\.\d{1,20})(?:e[+-]?\d{1,5})?)\s*$/i;

/**
 * The page language from an `Accept-Language` header: the offered language with the highest
 * q-value wins (ties go to the earlier entry; a tag we do not offer gives way to the next
 * best); without a header, the language an in-app browser states in its User-Agent; else
 * English. `offered` narrows the choice (the console offers only `CONSOLE_LANGS`).
 *
 * @example
 * pickLanguage("zh-CN,zh;q=0.9,en;q=0.8");         // "zh"
 * pickLanguage("zh-TW");                           // "zh-Hant"
 * pickLanguage("nl-NL,es;q=0.5");                  // "es" (Dutch is not offered)
 * pickLanguage("zh-TW", null, ["en", "zh"]);       // "zh" (only those two offered)
 * pickLanguage(null);                              // "en"
 * // WeChat's browser may send no Accept-Language; its User-Agent says the app's language:
 * pickLanguage(null, "Mozilla/5.0 … MicroMessenger/8.0.47 NetType/WIFI Language/zh_CN"); // "zh"
 */
export function pickLanguage<L extends Lang = Lang>(
  acceptLanguage: string | null | undefined,
  userAgent?: string | null,
  offered: readonly L[] = SCAN_LANGS as readonly Lang[] as readonly L[],
): L | "en" {
  if (!acceptLanguage?.trim()) return userAgentLanguage(userAgent, offered) ?? "en";
  let best: L | "en" = "en";
  let bestQ = 0;
  // Bounded: a header with hundreds of entries is not a browser.
  for (const part of acceptLanguage.slice(0, 1000).split(",", 50)) {
    const [tag = "", ...params] = part.split(";");
    const lang = offeredMatch(languageOfTag(tag), offered);
    if (!lang) continue;
    let q = 1;
    for (const p of params) {
      const m = Q_PARAM.exec(p);
      // Out of the grammar's 0–1 (q=-1, q=1.5, q=1e999, q=0.0001): its number, kept within 0–1,
      // so a q below every other never wins for want of three digits.
      if (m) q = Math.min(1, Math.max(0, Number(m[1])));
    }
    if (q > bestQ) {
      best = lang;
      bestQ = q;
    }
  }
  return best;
}

/**
 * The language an in-app browser states in its User-Agent (`Language/zh_CN` in WeChat,
 * `Language/zh-TW`, `Language/ja`), when it is one of `offered`; else null.
 *
 * @example
 * userAgentLanguage("… MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_TW") // "zh-Hant"
 */
export function userAgentLanguage<L extends Lang = Lang>(
  userAgent: string | null | undefined,
  offered: readonly L[] = SCAN_LANGS as readonly Lang[] as readonly L[],
): L | null {
  const m = /\bLanguage\/([a-z]{2,3}(?:[-_][0-9a-z]{1,8}){0,3})\b/i.exec(
    userAgent?.slice(0, 1000) ?? "",
  );
  return m ? offeredMatch(languageOfTag(m[1]!), offered) : null;
}

// Explicit bidi embeddings, overrides and isolates (LRE…RLO, LRI…PDI) in a value: a stray PDI
// closes the page's <bdi> (or the isolate a browser puts around it) early, and an RLO after it
// turns the rest of the sentence around: a code or a host read backwards. Marks (LRM, RLM)
// only nudge the neutrals inside the isolate, and stay.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * A value as the pages write it into a sentence: without explicit bidi controls.
 *
 * @example
 * sentenceValue("\u2069\u202eMain St."); // "Main St."
 */
export function sentenceValue(value: string): string {
  return value.replace(BIDI_CONTROLS, "");
}

/**
 * A message in a language, with `{name}` placeholders filled from `vars` (unknown placeholders
 * stay as written; a value's explicit bidi controls are dropped, see {@link sentenceValue}).
 * The result is plain text: escape it when writing HTML. A language whose catalog is not
 * loaded reads English.
 *
 * @example
 * t("en", "open.button", { app: "Acme" }); // "Open in Acme"
 * t("zh", "open.button", { app: "Acme" }); // "在 Acme 中打开"
 */
export function t(lang: Lang, key: MessageKey, vars?: Record<string, string>): string {
  const text = (WORDS[lang] ?? EN)[key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? sentenceValue(vars[name]!) : whole,
  );
}

/**
 * A message as HTML: the text escaped, each value (a store, an app, a browser name) escaped and
 * isolated in `<bdi>`, so a Latin name inside an Arabic or Hebrew sentence (or the reverse)
 * keeps its own direction and its punctuation stays where it belongs (its explicit bidi controls
 * dropped, so it cannot close that isolate: {@link sentenceValue}).
 *
 * @example
 * tHtml("en", "poster.from", { store: "<Main St.>" }).value; // "From <bdi>&lt;Main St.&gt;</bdi>"
 */
export function tHtml(lang: Lang, key: MessageKey, vars: Record<string, string>): SafeHtml {
  const parts = (WORDS[lang] ?? EN)[key].split(/\{(\w+)\}/);
  // split with a capture group: even indexes are text, odd ones placeholder names.
  return html`${parts.map((part, i) =>
    i % 2 === 0
      ? part
      : Object.hasOwn(vars, part)
        ? html`<bdi>${sentenceValue(vars[part]!)}</bdi>`
        : `{${part}}`,
  )}`;
}

/**
 * The writing direction of `lang`'s pages, from its catalog (so a page that fell back to
 * English is left to right).
 *
 * @example
 * textDirection("ar"); // "rtl" (once the kit's words are added)
 */
export function textDirection(lang: Lang): "ltr" | "rtl" {
  return t(lang, "doc.dir") === "rtl" ? "rtl" : "ltr";
}
