/**
 * The expiry notice of a landing page: a countdown while a handoff's code is valid, then a
 * notice that it expired (the page script ticks it down and swaps it, see pages/layout.ts).
 */
import { type HtmlValue, html } from "./html";
import { t } from "./i18n";
import type { LandingInput } from "./landing";

/**
 * The notice as markup (a countdown for handoffs), nothing without `expiresAt`.
 *
 * @example
 * html`<section>${expiryBlock({ kind: "handoff", lang: "en", expiresAt: now + 90, now })}</section>`
 * // '<p class="expiry" role="timer" data-remaining="90" …>This code expires in 2 min.</p><p class="vh" role="status" …></p>'
 */
export function expiryBlock(
  input: Pick<LandingInput, "kind" | "lang" | "expiresAt" | "now">,
): HtmlValue {
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
  // A timer is not read out as it ticks; the empty status after it is, once, when the code runs
  // out (the page script fills it then and hides the timer from screen readers: read once).
  return html`<p class="expiry" role="timer" data-remaining="${left}" data-template="${t(lang, "expiry.in")}" data-expired="${expired}">${text}</p><p class="vh" role="status" data-expiry-status></p>`;
}
