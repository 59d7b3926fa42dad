/**
 * The expiry notice of a landing page: a countdown while a handoff's code is valid, then a
 * notice that it expired (the page script ticks it down and swaps it, see pages/layout.ts).
 * A landing template leaves a slot for it and renders it on each scan.
 */
import { type HtmlValue, html, raw, SafeHtml } from "./html";
import { t } from "./i18n";
import type { LandingInput } from "./landing";

type NoticeInput = Pick<LandingInput, "kind" | "lang" | "expiresAt" | "now">;

/**
 * The expiry notice of a page (a countdown for handoffs), or "" when `expiresAt` is not set.
 *
 * @example
 * renderExpiryNotice({ kind: "handoff", lang: "en", expiresAt: now + 90, now });
 * // '<p class="expiry" data-remaining="90" …>This code expires in 2 min.</p>'
 */
export function renderExpiryNotice(input: NoticeInput): string {
  const block = expiryBlock(input);
  return block instanceof SafeHtml ? block.value : "";
}

/**
 * The notice as markup: a template's stand-in (`expirySlot`) when there is one, nothing
 * without `expiresAt`.
 *
 * @example
 * html`<section>${expiryBlock(input)}</section>`
 */
export function expiryBlock(input: NoticeInput & Pick<LandingInput, "expirySlot">): HtmlValue {
  if (input.expirySlot !== undefined) return raw(input.expirySlot);
  if (typeof input.expiresAt !== "number" || !Number.isFinite(input.expiresAt)) return null;
  const { lang } = input;
  const now = input.now ?? Math.floor(Date.now() / 1000);
  const left = Math.floor(input.expiresAt - now);
  const expired = t(lang, input.kind === "poster" ? "msg.expired.body" : "expiry.expired");
  if (left <= 0) return html`<p class="expiry expired" role="status">${expired}</p>`;
  const text =
    left < 60
      ? t(lang, "expiry.soon")
      : t(lang, "expiry.in", {
          time: t(lang, "expiry.minutes", { n: String(Math.ceil(left / 60)) }),
        });
  return html`<p class="expiry" data-remaining="${left}" data-template="${t(lang, "expiry.in")}" data-expired="${expired}">${text}</p>`;
}

/**
 * Both forms the notice of `input` can take, counting down and expired ("" without
 * `expiresAt`): a page that has a notice carries the CSS and script either form needs, so
 * every render of it, direct or from a template, has the same ones.
 *
 * @example
 * renderDocument({ …, mayContain: expiryVariants(input) });
 */
export function expiryVariants(input: NoticeInput): string {
  const { kind, lang, expiresAt } = input;
  if (typeof expiresAt !== "number" || !Number.isFinite(expiresAt)) return "";
  return (
    renderExpiryNotice({ kind, lang, expiresAt, now: expiresAt - 120 }) +
    renderExpiryNotice({ kind, lang, expiresAt, now: expiresAt })
  );
}
