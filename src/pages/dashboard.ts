/**
 * The console's HTML: the sign-in page, the funnel dashboard and the frame of every other
 * console view. The funnel's filters are a plain GET form (they work without script); the
 * console's one script (src/client/console/, a cached file) fetches the JSON and draws the rest.
 * Nothing is loaded from anywhere but this Worker.
 */
import { WEBHOOK_EVENT_TYPES } from "../core/webhook-events";
import {
  type ConsoleAssets,
  type ConsoleView,
  consoleDocument,
  mayOpen,
  type ShellSession,
  scopeFor,
  sectionOf,
  word,
} from "./console-shell";
import { CONSOLE_PAGE_WORDS } from "./console-words";
import { html } from "./html";
import type { ConsoleLang } from "./i18n";

/** Why a sign-in failed (each has a sentence in every console language). */
export type SignInError = "invalid" | "expired" | "publishable" | "scope" | "origin" | "signout";

/**
 * When a key ended, as the sign-in page says it: day, time and zone (the reporting time zone, as
 * the funnel's days), in the page's language.
 *
 * @example
 * expiryText("en", Date.UTC(2026, 11, 7, 9, 30), "UTC"); // "December 7, 2026 at 09:30 AM UTC"
 */
export function expiryText(lang: ConsoleLang, at: number, timeZone: string): string {
  return new Intl.DateTimeFormat(lang, {
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(at);
}

/**
 * The sign-in page: an API key (secret with `stats:read`, or the admin key) is exchanged for a
 * session cookie. An expired key's error says when it ended (`expiredAt`, in `timeZone`): only
 * the key's whole text finds its row, so this tells nothing to someone without the key.
 *
 * @example
 * renderLoginPage({ base: "", nonce, lang: "en", assets, error: "invalid" });
 */
export function renderLoginPage(opts: {
  base: string;
  nonce: string;
  lang: ConsoleLang;
  assets: ConsoleAssets;
  error?: SignInError;
  expiredAt?: number;
  timeZone?: string;
}): string {
  const { lang } = opts;
  const vars: Record<string, string> =
    opts.expiredAt === undefined
      ? {}
      : { when: expiryText(lang, opts.expiredAt, opts.timeZone ?? "UTC") };
  const error = opts.error ? word(lang, `error.${opts.error}`, vars) : null;
  return consoleDocument({
    ...opts,
    title: word(lang, "signIn"),
    body: html`<main class="login" id="main">
<form method="post" action="${opts.base}/dashboard/login" autocomplete="off">
  <div class="brand">${word(lang, "console")}</div>
  <h1>${word(lang, "signIn")}</h1>
  <p>${word(lang, "signInLead")}</p>
  ${error ? html`<div class="error" role="alert">${error}</div>` : ""}
  <label for="key">${word(lang, "key")}</label>
  <input id="key" name="key" type="password" required autofocus spellcheck="false" autocapitalize="off" placeholder="qb_sk_…">
  <button class="primary" type="submit">${word(lang, "signIn")}</button>
</form>
</main>`,
  });
}

/** The filters the dashboard shows (already validated). */
export interface DashboardFilters {
  from: string;
  to: string;
  store_id?: string;
  campaign_id?: string;
  poster_id?: string;
}

/**
 * The funnel dashboard: the filter form, KPI cards and chart slots.
 *
 * @example
 * renderDashboardPage({ base: "", nonce, lang: "en", assets, filters, session, csvRows: 100_000 });
 */
export function renderDashboardPage(opts: {
  base: string;
  nonce: string;
  lang: ConsoleLang;
  assets: ConsoleAssets;
  filters: DashboardFilters;
  session: ShellSession;
  /** Rows the raw-hop CSV download holds at most (its pages are joined in the browser). */
  csvRows: number;
  /** A store key's session: the store filter is its store, with no "all stores" to pick. */
  storeFixed?: boolean;
  /** The reporting time zone the funnel's days are in (its "last 7 days" end today there). */
  timeZone?: string;
}): string {
  const f = opts.filters;
  const w = CONSOLE_PAGE_WORDS[opts.lang].funnel;
  const kpi = (id: string, label: string) =>
    html`<div class="kpi"><span>${label}</span><strong id="${id}">–</strong><em id="${id}-sub"></em></div>`;
  const card = (id: string, title: string, wide = false) =>
    html`<article class="card${wide ? " wide" : ""}"><h2>${title}<small id="${id}-note"></small></h2><div id="${id}"></div></article>`;
  return consoleDocument({
    ...opts,
    title: word(opts.lang, "funnel"),
    view: "funnel",
    data: opts.timeZone ? { view: "funnel", "time-zone": opts.timeZone } : { view: "funnel" },
    body: html`<main id="main" tabindex="-1">
<h1 class="sr-only">${word(opts.lang, "funnel")}</h1>
<form class="filters" id="filters" method="get" action="${opts.base}/dashboard">
  <label>${w.from}<input type="date" name="from" value="${f.from}" required></label>
  <label>${w.to}<input type="date" name="to" value="${f.to}" required></label>
  <label>${w.store}<select name="store_id">${opts.storeFixed ? "" : html`<option value="">${w.allStores}</option>`}${
    f.store_id ? html`<option value="${f.store_id}" selected>${f.store_id}</option>` : ""
  }</select></label>
  <label>${w.campaign}<select name="campaign_id"><option value="">${w.allCampaigns}</option>${
    f.campaign_id ? html`<option value="${f.campaign_id}" selected>${f.campaign_id}</option>` : ""
  }</select></label>
  <label>${w.poster}<select name="poster_id"><option value="">${w.allPosters}</option>${
    f.poster_id ? html`<option value="${f.poster_id}" selected>${f.poster_id}</option>` : ""
  }</select></label>
  <div class="quick"><button type="button" data-days="7">7d</button><button type="button" data-days="30">30d</button><button type="button" data-days="90">90d</button></div>
  <button class="primary" type="submit">${w.apply}</button>
  <span class="spacer"></span>
  <a class="button" id="csv" href="#" download data-rows="${opts.csvRows}">${w.csv}</a>
  <span class="csv-note" id="csv-note" role="status"></span>
</form>
<p class="status" id="status" role="status">${w.loading}</p>
<section class="kpis">
  ${kpi("k-scans", w.scans)}${kpi("k-unique", w.unique)}${kpi("k-opens", w.opens)}${kpi("k-conv", w.conv)}${kpi("k-median", w.median)}
</section>
<section class="grid">
  ${card("funnel", w.funnel, true)}
  ${card("timeline", w.timeline, true)}
  ${card("stores", w.topStores)}
  ${card("posters", w.topPosters)}
  ${card("sources", w.sources)}
  ${card("platforms", w.platforms)}
  ${card("inapp", w.inapp)}
</section>
</main>`,
  });
}

/**
 * The frame of a console view (stores, campaigns, posters, one of them, the CSV import): the
 * script fills `#view`; results are announced in the `aria-live` region.
 *
 * @example
 * renderConsolePage({ base: "", nonce, lang: "zh", assets, session, view: "poster", id: "7K2M9Q", batchLimit: 1000, keyScopes: SCOPES });
 */
export function renderConsolePage(opts: {
  base: string;
  nonce: string;
  lang: ConsoleLang;
  assets: ConsoleAssets;
  session: ShellSession;
  view: Exclude<ConsoleView, "funnel">;
  id?: string;
  /** Most posters one batch may create (the CSV import's limit). */
  batchLimit: number;
  /** The scopes an API key may hold (the key form's choices). */
  keyScopes: readonly string[];
}): string {
  const { lang, view } = opts;
  const allowed = mayOpen(view, opts.session.scopes);
  const scope = scopeFor(view);
  const needs = scope === "admin" ? word(lang, "needsAdmin") : word(lang, "needs", { scope });
  return consoleDocument({
    ...opts,
    title: word(lang, sectionOf(view)),
    data: {
      view,
      id: opts.id ?? "",
      "batch-limit": String(opts.batchLimit),
      "webhook-events": WEBHOOK_EVENT_TYPES.join(" "),
      "key-scopes": opts.keyScopes.join(" "),
    },
    body: html`<main id="main" tabindex="-1">
<p id="live" class="live" role="status" aria-live="polite"></p>
<div id="view" aria-busy="${allowed ? "true" : "false"}">${
      allowed ? "" : html`<p class="notice" role="alert">${needs}</p>`
    }</div>
<noscript><p class="notice">${word(lang, "noScript")}</p></noscript>
</main>`,
  });
}
