/**
 * The console's page frame: the document (one cached stylesheet and one cached script, both
 * from this Worker, both carrying the response's CSP nonce), the header with its navigation,
 * language switch and sign-out form, and the words the server writes itself (console-words/, one
 * file per language). Everything else on a console page is drawn by the script, whose words for
 * a language other than English come in a cached file of their own (`assets.words`).
 */

import { RIGHT_TO_LEFT } from "../core/languages";
import { CONSOLE_SECTIONS } from "./console-sections";
import { CONSOLE_PAGE_WORDS, type ConsolePageWords } from "./console-words";
import { type HtmlValue, html, raw } from "./html";
import { CONSOLE_LANGS, type ConsoleLang } from "./i18n";

/**
 * URLs of the console's stylesheet, script and the script's words in the page's language
 * (content-hashed names, cached for a year); English words are in the script itself.
 */
export interface ConsoleAssets {
  css: string;
  js: string;
  words?: string;
}

/**
 * The `lang` attribute for a console language (Simplified Chinese names its script, so browsers
 * pick Simplified glyphs) and the writing direction (the CSS follows it with logical properties).
 *
 * @example
 * htmlLang("zh"); // { lang: "zh-Hans", dir: "ltr" }
 */
export function htmlLang(lang: ConsoleLang): { lang: string; dir: "ltr" | "rtl" } {
  return {
    lang: lang === "zh" ? "zh-Hans" : lang,
    dir: RIGHT_TO_LEFT.includes(lang) ? "rtl" : "ltr",
  };
}

/**
 * The language switch: every console language by its own name, the page's selected; the
 * script stores the choice in the `qb_lang` cookie and reloads (main.js).
 *
 * @example
 * html`<div class="who">${languageSwitch("ja")}</div>`
 */
export function languageSwitch(lang: ConsoleLang): HtmlValue {
  const options = CONSOLE_LANGS.map(
    (id) =>
      html`<option value="${id}" lang="${htmlLang(id).lang}"${id === lang ? raw(" selected") : ""}>${CONSOLE_PAGE_WORDS[id].name}</option>`,
  );
  return html`<select class="lang" data-set-lang aria-label="${word(lang, "language")}">${options}</select>`;
}

/** The views a signed-in person can navigate to. */
export type ConsoleView =
  | "funnel"
  | "stores"
  | "store"
  | "campaigns"
  | "campaign"
  | "posters"
  | "poster"
  | "import"
  | "webhooks"
  | "webhook"
  | "keys"
  | "dead-letters"
  | "audit-log";

export type ShellWord = keyof ConsolePageWords["shell"];

/**
 * A word of the console frame in `lang`.
 *
 * @example
 * word("zh", "stores"); // "门店"
 */
export function word(lang: ConsoleLang, key: ShellWord, vars: Record<string, string> = {}): string {
  return CONSOLE_PAGE_WORDS[lang].shell[key].replace(/\{(\w+)\}/g, (m, k: string) =>
    Object.hasOwn(vars, k) ? vars[k]! : m,
  );
}

const LOGO = raw(
  `<svg viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="8" class="c1"/><path d="M8 8h6v6H8zM18 8h6v6h-6zM8 18h6v6H8z" fill="#fff"/><path d="M18 18h2v2h-2zM22 18h2v2h-2zM18 22h2v2h-2zM22 22h2v2h-2zM20 20h2v2h-2z" fill="#fff"/></svg>`,
);

/**
 * The brand mark and name.
 *
 * @example
 * html`<div class="brand">${brand("Console")}</div>`
 */
export function brand(small: string): HtmlValue {
  return html`${LOGO} qrbridge <small>${small}</small>`;
}

/** Who is signed in, as the frame needs it. */
export interface ShellSession {
  scopes: readonly string[];
  csrf: string;
}

const PARENT: Partial<Record<ConsoleView, ConsoleView>> = {
  store: "stores",
  campaign: "campaigns",
  poster: "posters",
  webhook: "webhooks",
};

/**
 * The list a view belongs to (a poster's page to the posters), for the navigation and titles.
 *
 * @example
 * sectionOf("poster"); // "posters"
 */
export function sectionOf(view: ConsoleView): ConsoleView & ShellWord {
  return (PARENT[view] ?? view) as ConsoleView & ShellWord;
}

/**
 * The scope a view needs (the `/v1` routes it calls need it; the server refuses them anyway).
 *
 * @example
 * scopeFor("webhook"); // "webhooks:write"
 */
export function scopeFor(view: ConsoleView): string {
  const section = sectionOf(view);
  if (section === "funnel") return "stats:read";
  if (section === "webhooks") return "webhooks:write";
  if (section === "keys" || section === "dead-letters" || section === "audit-log") return "admin";
  return "posters:write";
}

/**
 * Whether a session with `scopes` may use a view (the admin key may use every one).
 *
 * @example
 * mayOpen("posters", ["stats:read"]); // false
 */
export function mayOpen(view: ConsoleView, scopes: readonly string[]): boolean {
  return scopes.includes("admin") || scopes.includes(scopeFor(view));
}

function header(opts: {
  base: string;
  lang: ConsoleLang;
  view: ConsoleView;
  session: ShellSession;
}): HtmlValue {
  const { base, lang, view, session } = opts;
  const current = sectionOf(view);
  const items: [ConsoleView & ShellWord, string][] = [["funnel", "/dashboard"]];
  for (const id of CONSOLE_SECTIONS)
    if (mayOpen(id, session.scopes)) items.push([id, `/dashboard/${id}`]);
  return html`<a class="skip" href="#main">${word(lang, "skip")}</a>
<header class="top">
  <div class="brand">${brand(word(lang, "console"))}</div>
  <nav aria-label="${word(lang, "console")}"><ul>${items.map(
    ([id, path]) =>
      html`<li><a href="${base}${path}"${current === id ? raw(' aria-current="page"') : ""}>${word(lang, id)}</a></li>`,
  )}</ul></nav>
  <div class="who">
    ${languageSwitch(lang)}
    <form method="post" action="${base}/dashboard/logout"><input type="hidden" name="csrf" value="${session.csrf}"><button class="ghost" type="submit">${word(lang, "signOut")}</button></form>
  </div>
</header>`;
}

/**
 * A whole console document: the frame (when signed in) around `body`.
 *
 * @example
 * consoleDocument({ base: "", nonce, lang: "en", title: "Stores", assets, body, session, view: "stores" });
 */
export function consoleDocument(opts: {
  base: string;
  nonce: string;
  lang: ConsoleLang;
  title: string;
  assets: ConsoleAssets;
  body: HtmlValue;
  session?: ShellSession;
  view?: ConsoleView;
  data?: Record<string, string>;
}): string {
  const { base, nonce, lang, session } = opts;
  const data: Record<string, string> = { base, lang, ...opts.data };
  if (session) {
    data.csrf = session.csrf;
    data.scopes = session.scopes.join(" ");
  }
  const attrs = Object.entries(data).map(([k, v]) => html` data-${k}="${v}"`);
  return html`<!doctype html>
<html lang="${htmlLang(lang).lang}"${htmlLang(lang).dir === "rtl" ? raw(' dir="rtl"') : ""}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="same-origin">
<meta name="robots" content="noindex,nofollow">
<link rel="icon" href="data:,">
<title>${opts.title} · qrbridge</title>
<link rel="stylesheet" href="${opts.assets.css}" nonce="${nonce}">
${
  opts.assets.words
    ? html`<script src="${opts.assets.words}" nonce="${nonce}" defer></script>\n`
    : ""
}<script src="${opts.assets.js}" nonce="${nonce}" defer></script>
</head>
<body${attrs}>
${session ? header({ base, lang, view: opts.view ?? "funnel", session }) : ""}
${opts.body}
</body>
</html>`.value;
}
