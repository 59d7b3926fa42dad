/**
 * Friendly error pages for people who scanned something that does not work: "link not found"
 * (404), "this code has expired" / "this poster is no longer active at <store>" (410), "this
 * link isn't valid" (400), "too many tries" (429). The JSON API keeps its error bodies; these are for browsers.
 */
import { html, raw } from "./html";
import { type Lang, type MessageKey, t, tHtml } from "./i18n";
import { renderDocument } from "./layout";

export interface MessagePageOptions {
  status: 404 | 410 | 400 | 429;
  lang: Lang;
  /** Overrides the default heading (escaped). */
  title?: string;
  /** Overrides the default text (escaped). */
  message?: string;
  /** For inactive posters: "This poster at <store> is no longer active." (escaped) */
  storeName?: string | null;
  /** What was scanned; a 410 for a poster reads "no longer active", for a handoff "expired". */
  kind?: "handoff" | "poster" | "login";
}

const ICON_SEARCH = raw(
  '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><circle cx="11" cy="11" r="6.5"/><path d="M16 16l4.5 4.5"/></svg>',
);
const ICON_CLOCK = raw(
  '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><circle cx="12" cy="12" r="8.5"/><path d="M12 7.5V12l3 2"/></svg>',
);
const ICON_ALERT = raw(
  '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M12 4l9 16H3z" stroke-linejoin="round"/><path d="M12 10v4M12 17.2v.1"/></svg>',
);

function defaults(opts: MessagePageOptions): {
  title: MessageKey;
  body: MessageKey;
  store?: string;
} {
  if (opts.status === 404) return { title: "msg.notFound.title", body: "msg.notFound.body" };
  if (opts.status === 400) return { title: "msg.invalid.title", body: "msg.invalid.body" };
  if (opts.status === 429) return { title: "msg.slowDown.title", body: "msg.slowDown.body" };
  if (opts.kind === "poster") {
    const store = opts.storeName?.trim();
    return store
      ? { title: "msg.poster.title", body: "msg.poster.bodyStore", store }
      : { title: "msg.poster.title", body: "msg.poster.body" };
  }
  return {
    title: "msg.expired.title",
    body:
      opts.kind === "handoff" || opts.kind === "login"
        ? "msg.expired.body.handoff"
        : "msg.expired.body",
  };
}

/**
 * Render a friendly error page. Serve it with `htmlResponse(page, { status, nonce })`.
 *
 * @example
 * const nonce = newNonce();
 * const page = renderMessagePage({ status: 410, lang, kind: "poster", storeName: "Main St." }, nonce);
 * return htmlResponse(page, { status: 410, nonce });
 */
export function renderMessagePage(opts: MessagePageOptions, nonce: string): string {
  const { lang } = opts;
  const d = defaults(opts);
  const title = opts.title?.trim() || t(lang, d.title);
  const message = opts.message?.trim() || tHtml(lang, d.body, d.store ? { store: d.store } : {});
  const icon =
    opts.status === 404
      ? ICON_SEARCH
      : opts.status === 410 || opts.status === 429
        ? ICON_CLOCK
        : ICON_ALERT;
  return renderDocument({
    lang,
    title,
    nonce,
    script: false,
    body: html`<main data-status="${opts.status}">
<section class="card">
<div class="icon${opts.status === 404 ? "" : " warn"}">${icon}</div>
<h1>${title}</h1>
<p class="lead">${message}</p>
</section>
</main>`,
  });
}
