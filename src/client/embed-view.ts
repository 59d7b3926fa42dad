/**
 * The shadow DOM of `<qr-bridge>` (embed.ts): its markup, the parts the element updates, and
 * how each state is drawn — status line, mark over the QR, confirm buttons, countdown, retry
 * button. Drawing only: no timers, no requests, no events.
 */

import { qrColours } from "./embed-colours";
import { deviceName, isRtl, type TextKey, t, type Words } from "./i18n";
import { adoptStyle } from "./style";
import type { Handoff } from "./watch";

// A drawn phone, not an emoji: machines without an emoji font would show a box.
const PHONE =
  '<svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" stroke-width="1.5"><rect x="6" y="2" width="12" height="20" rx="2.5"/><path d="M10.5 18.5h3"/></svg>';

/** The parts of the element's shadow DOM that change. */
export interface EmbedView {
  box: HTMLElement;
  qr: HTMLElement;
  img: HTMLImageElement;
  mark: HTMLElement;
  status: HTMLElement;
  count: HTMLElement;
  bar: HTMLElement;
  button: HTMLButtonElement;
  ask: HTMLElement;
  warn: HTMLElement;
  open: HTMLAnchorElement;
}

/** What a drawing depends on besides the state's name. */
export interface ViewState {
  /** The texts to draw with (blank while they are on their way) and their language. */
  words: Words;
  /** loading, pending, scanned, awaiting_confirmation, …, paused, error. */
  state: string;
  /** The scanning device as the bridge described it, if known. */
  device: unknown;
  /** The error code shown in the `error` state. */
  errorCode: string;
  /** `mode="login"`: the login's wording, and whether another phone was refused. */
  login?: boolean;
  warned?: boolean;
  /** On a phone: the code's link, offered while it is pending instead of a scan. */
  link?: string;
}

/**
 * Fill a shadow root with the element's markup and styles, and return its parts.
 *
 * @example
 * const view = buildView(this.attachShadow({ mode: "open" }));
 * view.button.onclick = () => this.refresh();
 */
export function buildView(root: ShadowRoot): EmbedView {
  root.innerHTML = `<div class="b" part="box"><div class="q" part="qr"><img part="image" width="200" height="200"><div class="m" aria-hidden="true"></div></div><p class="s" part="status" role="status" aria-live="polite"></p><p class="w" part="warning" role="alert" hidden></p><a class="o" part="open" hidden></a><p class="c" part="countdown"></p><div class="bar" aria-hidden="true"><i></i></div><button type="button" class="r" part="button" hidden></button><div class="ask" part="confirm" hidden><button type="button" data-a="approve"></button> <button type="button" data-a="deny"></button></div></div>`;
  adoptStyle(root);
  const $ = <T extends Element>(s: string) => root.querySelector(s) as unknown as T;
  return {
    box: $(".b"),
    qr: $(".q"),
    img: $("img"),
    mark: $(".m"),
    status: $(".s"),
    count: $(".c"),
    bar: $(".bar i"),
    button: $(".r"),
    ask: $(".ask"),
    warn: $(".w"),
    open: $(".o"),
  };
}

/**
 * Draw a state: the status line (naming the device once known), the mark over the QR, the
 * confirm buttons, the countdown bar and the retry button, all in `words` (blank while its
 * texts are on their way), the box right to left in Hebrew and Arabic.
 *
 * @example
 * renderView(view, { words: { lang: "en", texts: en }, state: "scanned", device, errorCode: "" });
 */
export function renderView(v: EmbedView, view: ViewState): void {
  const { words, state: s, device, errorCode, login } = view;
  const { texts } = words;
  const rtl = isRtl(words.lang);
  const say = (k: TextKey, vars?: Record<string, string>) => t(texts, k, vars, rtl);
  // The box follows its texts' direction, not the page's: Hebrew on an English page is right
  // to left, English on a Hebrew page left to right.
  v.box.dir = rtl ? "rtl" : "ltr";
  v.qr.dataset.s = s;
  v.img.alt = say(login ? "l.alt" : "alt");
  // The alt asks to scan: once the code cannot be scanned any more (scanned, done, run out) the
  // image is left to the eyes and the status line says what happened.
  v.img.toggleAttribute("aria-hidden", s !== "pending");
  const name = deviceName(device);
  let key = (s === "scanned" ? (name ? "scanned" : "scannedAny") : s) as TextKey;
  const offer = !!view.link && s === "pending";
  if (offer) key = "onPhone";
  if (s === "error" && errorCode === "image") key = "image";
  const l = (k: TextKey) => (login && texts?.[`l.${k}` as TextKey] ? (`l.${k}` as TextKey) : k);
  const who = name || say("thisPhone");
  v.status.textContent = say(l(key), { device: who, code: errorCode });
  v.open.hidden = !offer;
  if (offer) v.open.href = view.link as string;
  else v.open.removeAttribute("href");
  v.open.textContent = say(l("open"));
  v.warn.hidden = !view.warned || (s !== "scanned" && s !== "pending");
  v.warn.textContent = say("warn");
  v.mark.innerHTML = s === "redeemed" || (login && s === "approved") ? "✓" : PHONE;
  v.ask.hidden = s !== "awaiting_confirmation";
  for (const b of v.ask.children) {
    b.textContent = say((b as HTMLElement).dataset.a as TextKey);
  }
  if (s !== "pending") v.count.textContent = "";
  (v.bar.parentElement as HTMLElement).hidden = s !== "pending";
  // A warned login offers a new code too: another phone holds this one.
  const retry =
    ["expired", "error", "cancelled", "paused", "denied"].includes(s) ||
    (!v.warn.hidden && s === "scanned");
  v.button.hidden = !retry;
  v.button.textContent = say("refresh");
}

/**
 * Draw the countdown to `end` (unix ms): "m:ss" left, and the bar's share of `total` ms left.
 *
 * @example
 * drawCountdown(view, { lang: "en", texts: en }, end, end - Date.now()); // "Expires in 1:00", full bar
 */
export function drawCountdown(v: EmbedView, words: Words, end: number, total: number): void {
  const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
  const time = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  v.count.textContent = t(words.texts, "expiresIn", { t: time }, isRtl(words.lang));
  v.bar.style.transform = `scaleX(${Math.max(0, (end - Date.now()) / total)})`;
}

/**
 * The URL of a handoff's QR image, in the element's `--qb-fg`/`--qb-bg` colours when the bridge
 * can draw them as a readable code (see {@link qrColours}), else black on white.
 *
 * @example
 * view.img.src = qrImageUrl(h, base, getComputedStyle(this));
 */
export function qrImageUrl(
  h: Handoff,
  base: string,
  style: Pick<CSSStyleDeclaration, "getPropertyValue">,
): string {
  const src = new URL(h.qr.svg, `${base}/`);
  const colours = qrColours(
    style.getPropertyValue("--qb-fg").trim(),
    style.getPropertyValue("--qb-bg").trim(),
  );
  for (const [k, v] of Object.entries(colours)) src.searchParams.set(k, v);
  return src.href;
}
