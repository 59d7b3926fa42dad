/**
 * The console's page frame: the document (one cached stylesheet and one cached script, both
 * from this Worker, both carrying the response's CSP nonce), the header with its navigation,
 * language switch and sign-out form, and the words the server writes itself, in English and
 * Simplified Chinese. Everything else on a console page is drawn by the script.
 */

import { CONSOLE_SECTIONS } from "./console-sections";
import { type HtmlValue, html, raw } from "./html";
import type { ConsoleLang } from "./i18n";

/** URLs of the console's stylesheet and script (content-hashed names, cached for a year). */
export interface ConsoleAssets {
  css: string;
  js: string;
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
  | "dead-letters";

const WORDS = {
  en: {
    funnel: "Funnel",
    stores: "Stores",
    campaigns: "Campaigns",
    posters: "Posters",
    import: "Import CSV",
    webhooks: "Webhooks",
    keys: "API keys",
    "dead-letters": "Dead letters",
    signOut: "Sign out",
    skip: "Skip to content",
    console: "Console",
    other: "中文",
    otherLang: "zh",
    signIn: "Sign in",
    signInLead:
      "Use a secret API key with the stats:read scope (qb_sk_…) or the admin key. It is exchanged for a session cookie and not kept in the browser. What you can change here is what the key's scopes allow.",
    key: "API key",
    noScript: "The console needs JavaScript; the API at /v1 does everything it does.",
    needs: "This key cannot open this page: it needs the {scope} scope.",
    needsAdmin: "Only a session opened with the admin key can open this page.",
    "error.invalid": "That key is not valid or has been revoked.",
    "error.publishable": "Publishable keys cannot open the dashboard; use a secret key.",
    "error.scope": "This key lacks the stats:read scope.",
    "error.origin": "Sign in from this site's own page.",
    "error.signout": "Sign out from this site's own page.",
  },
  zh: {
    funnel: "转化漏斗",
    stores: "门店",
    campaigns: "活动",
    posters: "海报",
    import: "导入 CSV",
    webhooks: "Webhook",
    keys: "API 密钥",
    "dead-letters": "死信",
    signOut: "退出登录",
    skip: "跳到正文",
    console: "控制台",
    other: "English",
    otherLang: "en",
    signIn: "登录",
    signInLead:
      "请使用带有 stats:read 权限的密钥（qb_sk_…）或管理员密钥。密钥只用于换取会话 Cookie，不会保存在浏览器中。您在这里能修改的内容取决于该密钥的权限。",
    key: "API 密钥",
    noScript: "控制台需要 JavaScript；/v1 API 可以完成同样的操作。",
    needs: "此密钥不能打开此页面：需要 {scope} 权限。",
    needsAdmin: "只有使用管理员密钥登录的会话才能打开此页面。",
    "error.invalid": "密钥无效或已被吊销。",
    "error.publishable": "可公开密钥不能登录控制台，请使用私密密钥。",
    "error.scope": "此密钥缺少 stats:read 权限。",
    "error.origin": "请从本站自己的页面登录。",
    "error.signout": "请从本站自己的页面退出登录。",
  },
} as const;

export type ShellWord = keyof (typeof WORDS)["en"];

/**
 * A word of the console frame in `lang`.
 *
 * @example
 * word("zh", "stores"); // "门店"
 */
export function word(lang: ConsoleLang, key: ShellWord, vars: Record<string, string> = {}): string {
  return WORDS[lang][key].replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
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
  if (section === "keys" || section === "dead-letters") return "admin";
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
    <button type="button" class="ghost" data-set-lang="${word(lang, "otherLang")}" lang="${word(lang, "otherLang") === "zh" ? "zh-Hans" : "en"}">${word(lang, "other")}</button>
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
<html lang="${lang === "zh" ? "zh-Hans" : "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="same-origin">
<meta name="robots" content="noindex,nofollow">
<link rel="icon" href="data:,">
<title>${opts.title} · qrbridge</title>
<link rel="stylesheet" href="${opts.assets.css}" nonce="${nonce}">
<script src="${opts.assets.js}" nonce="${nonce}" defer></script>
</head>
<body${attrs}>
${session ? header({ base, lang, view: opts.view ?? "funnel", session }) : ""}
${opts.body}
</body>
</html>`.value;
}
