/**
 * The landing page of a scan (`/h/…` handoffs and `/p/…` posters), chosen by device:
 *
 * - **phone** (iOS, Android, other): "Open in <app>" (custom scheme on iOS, because Safari never
 *   follows a universal link to the page's own domain; an `intent:` URL on Android), the
 *   universal link / App Link as a second try, the store button, the web fallback, and "Copy
 *   link" for the deferred deep link (install the app, it asks to paste the link on first
 *   launch). On Android the Google Play links (the button and the `intent:` fallback) carry a
 *   signed install referrer instead, which the app reads after installation; on iOS the Smart
 *   App Banner (and the App Clip card, when configured) hands the link to the app.
 * - **in-app browser that blocks app links** (WeChat, QQ, Weibo, …): a guide to "··· → Open in
 *   browser" with an arrow at the menu, and "Copy link". No scheme or intent button: it would
 *   only fail.
 * - **desktop**: "Scan this with your phone" with the QR image and the expiry.
 *
 * Pure: input in, HTML out. Every value is escaped; URLs are emitted only when they are http(s),
 * the configured scheme or an `intent:` URL built by `deep-links.ts`. Nothing navigates without
 * a tap, so previewers and bots that load the page open nothing.
 */
import type { AppsOptions } from "../apps-options";
import { VIA_PARAM } from "../core/app-via";
import type { LandingModel } from "../core/scan";
import {
  appScheme,
  appStoreId,
  intentUrl,
  playStoreLink,
  safeHttpUrl,
  schemeUrl,
  withParams,
} from "./deep-links";
import { expiryBlock } from "./expiry-notice";
import { type HtmlValue, html, raw, type SafeHtml } from "./html";
import { type Lang, t, tHtml } from "./i18n";
import { inAppName } from "./in-app-names";
import { renderDocument } from "./layout";

export type { Lang } from "./i18n";

/** What the landing page shows: the scan's model (core/scan.ts) and what the route adds. */
export interface LandingInput extends LandingModel {
  lang: Lang;
  /** QR image of `link` for the desktop view: http(s), or a path on this origin ("/qr/…"). */
  qrSvgUrl?: string | null;
  /** `c.var.config.apps`. */
  apps: AppsOptions;
  /** Current time, unix seconds, for the countdown (default: now). */
  now?: number;
}

interface Links {
  universal: string | null;
  scheme: string | null;
  intent: string | null;
  appStore: string | null;
  playStore: string | null;
  web: string | null;
}

/** Every URL the page may show, each already checked (null when absent or unsafe). */
function buildLinks(input: LandingInput): Links {
  const { apps, appPath } = input;
  const params = input.deepLinkParams ?? null;
  const link = safeHttpUrl(input.link);
  const web = safeHttpUrl(apps.webFallbackUrl);
  const referrer = input.installReferrer ?? null;
  const playStore = playStoreLink(apps.playStoreUrl, null, referrer);
  // With a referrer, a phone without the app goes to Google Play (which keeps the referrer for
  // the app) rather than to the web: the app then opens this very visit.
  const fallback = referrer
    ? playStoreLink(apps.playStoreUrl, apps.androidPackage, referrer)
    : null;
  // A param carrying the bridge link itself (`qb_link`) is for custom-scheme URLs, which
  // otherwise lose it; the https link (and the copied link) needs no copy of itself.
  const httpParams = link && params ? withoutSelf(params, link) : params;
  return {
    universal: link ? withParams(link, httpParams) : null,
    scheme: schemeUrl(apps.scheme, appPath, params),
    intent: intentUrl({
      pkg: apps.androidPackage,
      scheme: apps.scheme,
      appPath,
      link,
      fallback: fallback ?? web ?? playStore,
      params: appScheme(apps.scheme) ? params : httpParams,
    }),
    appStore: safeHttpUrl(apps.appStoreUrl),
    playStore,
    web,
  };
}

function withoutSelf(params: Record<string, string>, link: string): Record<string, string> {
  const self = link.toUpperCase();
  return Object.fromEntries(
    Object.entries(params).filter(([, v]) => !String(v).toUpperCase().startsWith(self)),
  );
}

/** An image URL the page's CSP allows: http(s) or a path on this origin. */
function imageUrl(value: string | null | undefined): string | null {
  if (typeof value === "string" && /^\/(?!\/)[^\s\\]*$/.test(value)) return value;
  return safeHttpUrl(value);
}

const ARROW = raw(
  '<svg class="arrow" viewBox="0 0 96 96" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"><path d="M18 90C22 54 46 29 80 16"/><path d="M62 13L80 16L69 30"/></svg>',
);

/** The guide sentence, with the first "···" (the menu button) drawn as a key cap. */
function guideText(text: SafeHtml): SafeHtml {
  const at = text.value.indexOf("···");
  if (at < 0) return text;
  return raw(`${text.value.slice(0, at)}<span class="dots">···</span>${text.value.slice(at + 3)}`);
}

function button(href: string | null, label: HtmlValue, cls: string, action: string): HtmlValue {
  if (!href) return null;
  // One span, one flex item: a label with a <bdi> would otherwise be split into items with the
  // button's gap between them.
  return html`<a class="btn ${cls}" href="${href}" data-action="${action}" rel="noreferrer"><span>${label}</span></a>`;
}

/** The "open" actions for a phone (or a tablet that looks like a Mac). */
function phoneActions(input: LandingInput, links: Links, appName: string): SafeHtml {
  const { lang } = input;
  const platform = input.device.platform === "desktop" ? "ios" : input.device.platform;
  const open = tHtml(lang, "open.button", { app: appName });
  let primary: string | null;
  let action: string;
  if (platform === "android") {
    primary = links.intent ?? links.scheme ?? links.universal;
    action = links.intent ? "intent" : links.scheme ? "scheme" : "universal";
  } else {
    primary = links.scheme ?? links.universal;
    action = links.scheme ? "scheme" : "universal";
  }
  const second = primary !== links.universal ? links.universal : null;
  const stores =
    platform === "ios"
      ? [button(links.appStore, t(lang, "store.appStore"), "btn-soft", "app_store")]
      : platform === "android"
        ? [button(links.playStore, t(lang, "store.playStore"), "btn-soft", "play_store")]
        : [
            button(links.appStore, t(lang, "store.appStore"), "btn-soft", "app_store"),
            button(links.playStore, t(lang, "store.playStore"), "btn-soft", "play_store"),
          ];
  return html`<div class="stack">
${button(primary, open, "btn-primary", action)}
${second && html`<a class="textlink" href="${second}" data-action="universal" rel="noreferrer">${t(lang, "open.appLink")}</a>`}
${stores}
${button(links.web, t(lang, "web.button"), "", "web")}
</div>`;
}

function copyBlock(lang: Lang, link: string | null, via?: "clipboard"): HtmlValue {
  if (!link) return null;
  // The copied link says it came through the clipboard, so the funnel can count that path.
  const url = via ? withParams(link, { [VIA_PARAM]: via }) : link;
  return html`<button type="button" class="btn" data-copy="${url}" data-status="copy-status" data-box="copy-box" data-done="${t(lang, "copy.done")}" data-failed="${t(lang, "copy.failed")}">${t(lang, "copy.button")}</button>
<p id="copy-status" class="status" role="status" aria-live="polite"></p>
<div id="copy-box" class="copybox" dir="ltr">${url}</div>`;
}

function titleOf(input: LandingInput, appName: string): string {
  const key = `title.${input.kind}` as const;
  return input.title?.trim() || t(input.lang, key, { app: appName });
}

function header(input: LandingInput, appName: string): SafeHtml {
  const { lang } = input;
  const title = titleOf(input, appName);
  const lead = tHtml(lang, `lead.${input.kind}`, { app: appName });
  const store = input.storeName?.trim();
  return html`${store && html`<p class="eyebrow">${tHtml(lang, "poster.from", { store })}</p>`}
<h1>${title}</h1>
${input.subtitle?.trim() && html`<p class="sub">${input.subtitle.trim()}</p>`}
<p class="lead">${lead}</p>`;
}

/**
 * Safari's Smart App Banner: "Open" (or "Get", then "Open") hands `app-argument` — the bridge
 * link, marked `qb_via=smart_banner` — to the app; with an App Clip configured the banner offers
 * the App Clip card instead, so a scan runs without any install. Null without an App Store id.
 */
function smartBanner(apps: LandingInput["apps"], links: Links): HtmlValue {
  const id = appStoreId(links.appStore);
  if (!id || !links.universal) return null;
  const argument = withParams(links.universal, { [VIA_PARAM]: "smart_banner" });
  const parts = [`app-id=${id}`, `app-argument=${argument.replace(/,/g, "%2C")}`];
  // The configuration checked it is TEAMID.bundle.id: the tag names the bundle id alone.
  const clip = apps.appClipIds?.[0]?.trim().slice(11);
  if (clip) parts.push(`app-clip-bundle-id=${clip}`, "app-clip-display=card");
  return html`<meta name="apple-itunes-app" content="${parts.join(", ")}">`;
}

/**
 * Render the landing page. `nonce` must be the one passed to `htmlResponse`.
 *
 * @example
 * const nonce = newNonce();
 * const page = renderLandingPage({
 *   kind: "poster", link: linkUrl(c, "p", code), appPath: "/store/12", lang: await scanLanguage(c),
 *   device: classifyDevice(c.req.raw.headers), apps: c.var.config.apps, storeName: "Main St.",
 *   deepLinkParams: { s: sessionId },
 * }, nonce);
 * return htmlResponse(page, { nonce });
 */
export function renderLandingPage(input: LandingInput, nonce: string): string {
  const { lang, device } = input;
  const appName = input.apps.name?.trim() || t(lang, "app.fallbackName");
  const links = buildLinks(input);
  const head = header(input, appName);
  let body: SafeHtml;
  let meta: HtmlValue = null;

  if (device.platform === "desktop") {
    const qr = imageUrl(input.qrSvgUrl);
    body = html`<section class="card center">${head}</section>
<section class="card center">
<h2>${t(lang, "desktop.title")}</h2>
<p class="note" id="qr-use">${tHtml(lang, "desktop.body", { app: appName })}</p>
${qr && html`<img class="qr" src="${qr}" alt="${t(lang, "desktop.qrAlt")}" aria-describedby="qr-use" width="260" height="260">`}
${expiryBlock(input)}
${links.web && html`<a class="textlink" href="${links.web}" data-action="web" rel="noreferrer">${t(lang, "web.button")}</a>`}
</section>
<section class="card" data-touch-only hidden>
<p class="note">${t(lang, "desktop.tablet")}</p>
${phoneActions(input, links, appName)}
</section>`;
  } else if (device.blocksAppLinks) {
    const browser =
      inAppName(lang, device.inAppBrowser) || device.browser?.trim() || t(lang, "blocked.inApp");
    const guide = tHtml(
      lang,
      device.platform === "ios" ? "blocked.body.ios" : "blocked.body.android",
      { browser },
    );
    body = html`<section class="card guide" data-mode="open-in-browser">${ARROW}
<h1>${t(lang, "blocked.title")}</h1>
<p>${guideText(guide)}</p>
</section>
<section class="card">${head}${expiryBlock(input)}</section>
<section class="card">
<p class="note">${t(lang, "blocked.copy")}</p>
${copyBlock(lang, links.universal)}
</section>`;
  } else {
    if (device.platform === "ios") meta = smartBanner(input.apps, links);
    body = html`<section class="card">${head}
${phoneActions(input, links, appName)}
${expiryBlock(input)}
</section>
${
  links.universal &&
  input.kind !== "login" &&
  html`<section class="card">
<h2>${t(lang, "deferred.title")}</h2>
<p class="note">${t(lang, "deferred.body")}</p>
${copyBlock(lang, links.universal, "clipboard")}
</section>`
}`;
  }

  return renderDocument({
    lang,
    title: titleOf(input, appName),
    nonce,
    head: meta,
    body: html`<main data-kind="${input.kind}" data-platform="${device.platform}">${body}</main>`,
  });
}
