/**
 * The dashboard's HTML: the sign-in page and the dashboard shell. The shell carries the
 * filters as a plain GET form (works without script); the inline, nonce'd script fetches the
 * funnel JSON from `/dashboard/api/*` and draws the charts as SVG. Nothing is loaded from
 * anywhere but this Worker.
 */
import { DASHBOARD_CSS } from "./dashboard-style";
import { type HtmlValue, html, raw } from "./html";

const LOGO = raw(
  `<svg viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="8" class="c1"/><path d="M8 8h6v6H8zM18 8h6v6h-6zM8 18h6v6H8z" fill="#fff"/><path d="M18 18h2v2h-2zM22 18h2v2h-2zM18 22h2v2h-2zM22 22h2v2h-2zM20 20h2v2h-2z" fill="#fff"/></svg>`,
);

function documentOf(
  title: string,
  nonce: string,
  body: HtmlValue,
  bodyAttrs: HtmlValue = "",
): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="same-origin">
<meta name="robots" content="noindex,nofollow">
<link rel="icon" href="data:,">
<title>${title}</title>
<style nonce="${nonce}">${raw(DASHBOARD_CSS)}</style>
</head>
<body${bodyAttrs}>
${body}
</body>
</html>`.value;
}

/**
 * The sign-in page: an API key (secret, with `stats:read`) is exchanged for a session cookie.
 *
 * @example
 * return htmlResponse(renderLoginPage({ base: "", nonce, error: "That key is not valid." }), { nonce, status: 401 });
 */
export function renderLoginPage(opts: { base: string; nonce: string; error?: string }): string {
  return documentOf(
    "Sign in · qrbridge dashboard",
    opts.nonce,
    html`<main class="login">
<form method="post" action="${opts.base}/dashboard/login" autocomplete="off">
  <div class="brand">${LOGO} qrbridge <small>dashboard</small></div>
  <h1>Sign in</h1>
  <p>Use a secret API key with the <code>stats:read</code> scope (<code>qb_sk_…</code>). It is exchanged for a session cookie and not kept in the browser.</p>
  ${opts.error ? html`<div class="error" role="alert">${opts.error}</div>` : ""}
  <label for="key">API key</label>
  <input id="key" name="key" type="password" required autofocus spellcheck="false" autocapitalize="off" placeholder="qb_sk_…">
  <button class="primary" type="submit">Sign in</button>
</form>
</main>`,
  );
}

/** The filters the dashboard shows (already validated). */
export interface DashboardFilters {
  from: string;
  to: string;
  store_id?: string;
  campaign_id?: string;
}

/**
 * The dashboard shell: header with sign-out, the filter form, KPI cards and chart slots.
 *
 * @example
 * return htmlResponse(renderDashboardPage({ base: "", nonce, filters, script }), { nonce });
 */
export function renderDashboardPage(opts: {
  base: string;
  nonce: string;
  filters: DashboardFilters;
  /** The dashboard's script (src/client/dashboard.js, built). */
  script: string;
}): string {
  const f = opts.filters;
  const kpi = (id: string, label: string) =>
    html`<div class="kpi"><span>${label}</span><strong id="${id}">–</strong><em id="${id}-sub"></em></div>`;
  const card = (id: string, title: string, wide = false, body: HtmlValue = "") =>
    html`<article class="card${wide ? " wide" : ""}"><h2>${title}<small id="${id}-note"></small></h2><div id="${id}">${body}</div></article>`;
  return documentOf(
    "Funnel · qrbridge dashboard",
    opts.nonce,
    html`<header class="top">
  <div class="brand">${LOGO} qrbridge <small>funnel</small></div>
  <form method="post" action="${opts.base}/dashboard/logout"><button class="ghost" type="submit">Sign out</button></form>
</header>
<main>
<form class="filters" id="filters" method="get" action="${opts.base}/dashboard">
  <label>From<input type="date" name="from" value="${f.from}" required></label>
  <label>To<input type="date" name="to" value="${f.to}" required></label>
  <label>Store<select name="store_id"><option value="">All stores</option>${
    f.store_id ? html`<option value="${f.store_id}" selected>${f.store_id}</option>` : ""
  }</select></label>
  <label>Campaign<select name="campaign_id"><option value="">All campaigns</option>${
    f.campaign_id ? html`<option value="${f.campaign_id}" selected>${f.campaign_id}</option>` : ""
  }</select></label>
  <div class="quick"><button type="button" data-days="7">7d</button><button type="button" data-days="30">30d</button><button type="button" data-days="90">90d</button></div>
  <button class="primary" type="submit">Apply</button>
  <span class="spacer"></span>
  <a class="button" id="csv" href="#" download>Download CSV</a>
</form>
<p class="status" id="status" role="status">Loading…</p>
<section class="kpis">
  ${kpi("k-scans", "Scans")}${kpi("k-unique", "Unique scanners")}${kpi("k-opens", "App opens")}${kpi("k-conv", "Conversions")}${kpi("k-median", "Median scan → app")}
</section>
<section class="grid">
  ${card("funnel", "Funnel", true)}
  ${card("timeline", "Scans over time", true)}
  ${card("stores", "Top stores")}
  ${card("posters", "Top posters")}
  ${card("sources", "Handoffs, posters and QR logins")}
  ${card("platforms", "Platforms")}
  ${card("inapp", "In-app browsers")}
</section>
</main>
<script nonce="${opts.nonce}">${raw(opts.script)}</script>`,
    html` data-base="${opts.base}"`,
  );
}
